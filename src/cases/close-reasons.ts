/**
 * Why a case is closed without giving its address to anyone (not_found_cases.closed_reason). A module
 * of its own, without imports, because the back-office's browser bundle (ResolveCase) lists them too.
 */
export const CLOSE_REASONS = ['not-member', 'membership-ended', 'handled-otherwise'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
