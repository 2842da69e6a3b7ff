import type { LetterStatusLine } from '../../src/letters/letter-status.js';
import { shownDate } from './letter-date.js';

type Translate = (key: string, resourceId?: string, options?: Record<string, unknown>) => string;

/**
 * One printed letter in two plain sentences, in the staff member's language (admin/locale):
 * «Aktivointikirje tulostettu 3.12.2026» and what became of its code («Koodi voimassa 2.1.2027 asti»).
 * The member's page and «Sähköpostien tila» say it alike.
 */
export function letterTexts(line: LetterStatusLine, tm: Translate, resourceId: string, language: string): { printed: string; code: string } {
  return {
    printed: tm('letterStatus_printed', resourceId, { date: shownDate(line.printedAt, language) }),
    code: tm(`letterStatus_code_${line.code.state}`, resourceId, { date: shownDate(line.code.at, language) }),
  };
}
