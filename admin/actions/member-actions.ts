import type { ActionContext, ActionRequest } from 'adminjs';
import { linkSendProgress, previewLinkSend, startLinkSend, type LinkSelection } from '../../src/passwords/link-batches.js';
import type { Member } from '../../src/members/register.js';
import { whyNoLink } from '../../src/passwords/link-eligibility.js';
import { sendLinkNow } from '../../src/passwords/send-link-now.js';
import type { ServiceDeps } from '../../src/services.js';
import { mailStatusForMember } from '../../src/mail/status-for-member.js';
import { lettersForMember } from '../../src/letters/letter-status.js';
import { Components } from '../components/loader.js';
import { staffOf } from './current-staff.js';

/**
 * What «Lähetä salasanalinkki» asks before sending (catalog keys, admin/locale): the member by name and
 * number, and, when the link rule (src/passwords/link-eligibility.ts) says no, why, with no send at all.
 */
function sendLinkConfirmation(params: Record<string, unknown>) {
  const options = { name: [params.first_name, params.last_name].filter(Boolean).join(' '), number: String(params.member_number ?? ''), email: String(params.email ?? '') };
  const refusal = whyNoLink({ membershipStatus: params.membership_status as Member['membershipStatus'], email: (params.email as string | null) || null });
  return refusal
    ? { question: 'sendLink_refused', detail: `sendLink_refused_${refusal}`, options }
    : { question: 'sendLink_question', detail: 'sendLink_questionDetail', options, confirm: true };
}

/** «Lähetä salasanalinkki» on one member, on the selected ones, and on everyone still waiting for one. */
export function memberActions(services: ServiceDeps) {
  // Opening a bulk send (GET) shows how many would get a link; confirming it (POST) starts the send.
  const confirmOrStart = async (request: ActionRequest, context: ActionContext, selection: LinkSelection) => {
    const staff = staffOf(context);
    if (request.method !== 'post') return { preview: await previewLinkSend(services.db, staff, selection) };
    const batchId = await startLinkSend(services.db, staff, selection);
    const progress = await linkSendProgress(services.db, staff, batchId);
    // Notices carry catalog keys (admin/locale): AdminJS translates them in the staff member's language.
    const notice = progress!.members > 0
      ? { message: 'linkSend_started', options: { count: progress!.members }, type: 'success' as const }
      : { message: 'linkSend_nothingSent', type: 'error' as const };
    return { progress, notice };
  };

  return {
    delete: { isAccessible: false },
    bulkDelete: { isAccessible: false },
    sendLink: {
      actionType: 'record' as const,
      icon: 'Send',
      component: false as const,
      // Asked in the back-office's own dialog (admin/components/action-confirm.tsx): opened (GET), the
      // action says to whom the link goes, or why it cannot go; confirmed (POST), it sends.
      guard: 'sendLink_question',
      custom: { confirmFirst: true },
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const record = context.record!;
        if (request.method !== 'post') return { record: record.toJSON(context.currentAdmin), confirmation: sendLinkConfirmation(record.params) };
        const outcome = await sendLinkNow(services, staffOf(context), Number(record.id()));
        // A catalog key per outcome (admin/locale): exactly what happened, in the staff member's language.
        const notice = { message: `linkSent_${outcome}`, options: { memberNumber: String(record.params.member_number ?? '') }, type: outcome === 'queued' ? ('success' as const) : ('error' as const) };
        return { record: record.toJSON(context.currentAdmin), notice };
      },
    },
    bulkSendLink: {
      actionType: 'bulk' as const,
      icon: 'Send',
      component: Components.ConfirmLinkSend,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const records = context.records ?? [];
        const selection = { memberIds: records.map((r) => Number(r.id())) };
        return { records: records.map((r) => r.toJSON(context.currentAdmin)), ...(await confirmOrStart(request, context, selection)) };
      },
    },
    mailStatus: {
      actionType: 'record' as const,
      icon: 'Mail',
      component: Components.MailStatus,
      // context.record was found through the scoped data layer: the member is visible to this staff member.
      // The printed letters too: for a member without email they are the mail that went.
      handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => ({
        record: context.record!.toJSON(context.currentAdmin),
        lines: await mailStatusForMember(services.db, Number(context.record!.id())),
        letters: await lettersForMember(services.db, Number(context.record!.id())),
      }),
    },
    sendToAllWaiting: {
      actionType: 'resource' as const,
      icon: 'Mail',
      component: Components.ConfirmLinkSend,
      handler: (request: ActionRequest, _response: unknown, context: ActionContext) => confirmOrStart(request, context, 'awaiting-first-link'),
    },
    // Polled by ConfirmLinkSend while a send started from it goes on; only its starter may read it.
    linkSendProgress: {
      actionType: 'resource' as const,
      isVisible: false,
      component: false as const,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => ({
        progress: (await linkSendProgress(services.db, staffOf(context), Number(request.query?.batchId))) ?? null,
      }),
    },
  };
}
