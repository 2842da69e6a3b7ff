import { startLinkSend } from '../src/passwords/link-batches.js';
import { findActiveStaff } from '../src/staff/principal.js';
import type { BenchContext } from './context.js';
import { backendCpuSeconds, cpuBetween } from './database.js';
import { processCpuSeconds, sampleResident } from './proc.js';
import { ms, perSecond, type Row } from './report.js';

/**
 * A staff link send to many members without a password, started as the back-office starts it
 * (startLinkSend, as federation member services), and carried out by the app's own worker: how long
 * until every member's mail is queued, how fast the mail reaches an SMTP server on loopback that only
 * counts, and the app's peak memory meanwhile.
 */
export async function measureBulkSend(context: BenchContext): Promise<Row[]> {
  const { options, app, database, smtp } = context;
  const { db } = database;
  const memberIds: number[] = await db('members as m')
    .leftJoin('member_credentials as c', 'c.member_id', 'm.id')
    .whereNull('c.member_id')
    .whereNotNull('m.email')
    .where('m.membership_status', 'active')
    .where('m.member_number', '>=', '500000')
    .orderBy('m.id')
    .limit(options.sendMembers)
    .pluck('m.id');
  const staffId = (await db('staff_users').where({ role: 'federation' }).first('id')).id;
  const staff = (await findActiveStaff(db, staffId))!;
  await waitForIdleQueue(context);

  const memory = sampleResident(app.pid);
  // Where the CPU went (2 cores shared by the app, PostgreSQL and the counting SMTP server in this process).
  const cpuBefore = { app: processCpuSeconds(app.pid), db: await backendCpuSeconds(db, database.name), bench: process.cpuUsage() };
  const sentBefore = smtp.count();
  const started = performance.now();
  const batchId = await startLinkSend(db, staff, { memberIds });
  const mails = Number((await db('link_batch_members').where({ batch_id: batchId }).whereNull('outcome').countDistinct<{ n: number }[]>({ n: 'address' }).first())?.n ?? 0);
  const deadline = started + (options.smoke ? 60_000 : 15 * 60_000);
  let queuedMs = Number.NaN;
  let lastLine = 0;
  while (performance.now() < deadline) {
    const now = performance.now();
    if (Number.isNaN(queuedMs)) {
      const waiting = await db('link_batch_members').where({ batch_id: batchId }).where((q) => q.whereNull('outcome').orWhere('outcome', 'sending')).count<{ n: number }[]>({ n: '*' }).first();
      if (Number(waiting?.n) === 0) queuedMs = performance.now() - started;
    }
    const sent = smtp.count() - sentBefore;
    if (now - lastLine > 5000) {
      context.progress(`bulk send: ${sent} / ${mails} mails sent after ${Math.round((now - started) / 1000)} s${Number.isNaN(queuedMs) ? '' : `, all queued in ${Math.round(queuedMs / 1000)} s`}`);
      lastLine = now;
    }
    if (!Number.isNaN(queuedMs) && sent >= mails) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const sent = smtp.count() - sentBefore;
  const lastAt = smtp.lastAt();
  const sendingMs = (sent > 0 && lastAt !== undefined ? lastAt : performance.now()) - started;
  const peakMb = memory.stop();
  const perMail = (seconds: number) => `${((seconds * 1000) / Math.max(1, sent)).toFixed(1)} ms`;
  const cpu = {
    app: perMail(processCpuSeconds(app.pid) - cpuBefore.app),
    db: perMail(cpuBetween(cpuBefore.db, await backendCpuSeconds(db, database.name))),
    sink: perMail(((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpuBefore.bench))),
  };
  const finished = sent >= mails ? '' : ` (NOT FINISHED: ${sent} of ${mails} mails in ${Math.round(sendingMs / 1000)} s)`;
  return [
    {
      what: `staff link send to ${memberIds.length.toLocaleString('en')} members (${mails.toLocaleString('en')} mails): all queued${Number.isNaN(queuedMs) ? ' (NOT FINISHED)' : ''}`,
      app: Number.isNaN(queuedMs) ? '—' : `${(queuedMs / 1000).toFixed(1)} s (${perSecond((memberIds.length * 1000) / queuedMs)})`,
      baseline: '',
      ratio: '',
      target: '≤ 10 s',
      met: queuedMs <= 10_000,
    },
    {
      what: `… mails sent to an SMTP server on loopback that only counts${finished}`,
      app: perSecond((sent * 1000) / sendingMs, ' mails/s'),
      baseline: '',
      ratio: '',
      target: '≥ 300 mails/s',
      met: sent >= mails && (sent * 1000) / sendingMs >= 300,
    },
    { what: '… peak memory of the app (RSS) during the send', app: `${Math.round(peakMb)} MB`, baseline: '', ratio: '', target: '≤ 250 MB', met: peakMb <= 250 },
    { what: '… time from start to the last mail received', app: ms(sendingMs), baseline: '', ratio: '', target: '', met: null },
    {
      what: '… CPU per mail sent: the app; its PostgreSQL backends; the counting SMTP server (and this bench) on the same 2 cores',
      app: `${cpu.app}; ${cpu.db}; ${cpu.sink}`,
      baseline: '',
      ratio: '',
      target: '',
      met: null,
    },
  ];
}

/** Mail left over from the order measurement is sent first, so that it is not counted as the send's. */
async function waitForIdleQueue(context: BenchContext) {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    const left = await context.database.db('mail_queue').whereIn('status', ['queued', 'sending', 'retrying']).count<{ n: number }[]>({ n: '*' }).first();
    if (Number(left?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
