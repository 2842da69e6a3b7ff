import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { assertRefused, noticeText, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { type Portal, startClean, startPortal } from '../helpers/portal.js';
import { sealSecret } from '../../src/staff/second-factor-secrets.js';
import { addStaff, enrolThroughPages, passwordStep, postForm, totpCode, wrongCode } from '../helpers/second-factor.js';
import { visibleText } from '../helpers/web-client.js';

/**
 * The staff second factor over HTTP, with codes computed from the key the enrolment page shows:
 * enrolment, login with a code, wrong and replayed codes, the wrong-code limits, recovery codes,
 * federation member services' reset, and that a session waiting for its code is not logged in.
 * The portal runs with the default STAFF_MFA (optional outside production); a second one with
 * STAFF_MFA=required. Each test uses staff accounts of its own: the demo accounts stay unenrolled.
 */
let portal: Portal;
let federation: StaffClient;
let counter = 0;
const PASSWORD = 'Testi-salasana-kaksivaihe-1';
const CODE_PAGE = '/admin/kaksivaiheinen';
const ENROL_PAGE = '/admin/kaksivaiheinen/kayttoonotto';
const RECOVERY_PAGE = '/admin/kaksivaiheinen/varakoodi';

before(async () => {
  portal = await startPortal();
  federation = await StaffClient.login(portal.base, ...FEDERATION);
});
beforeEach(() => startClean(portal));

/** A new association staff member who has enrolled (from the back-office, as optional mode lets them) and logged out. */
async function enrolledStaff() {
  const email = `kaksivaihe${++counter}@yhdistys.example`;
  const id = await addStaff(portal.db, email, PASSWORD);
  const client = await StaffClient.login(portal.base, email, PASSWORD);
  const { secret, recoveryCodes } = await enrolThroughPages(client);
  await postForm(client, '/admin/logout', {});
  return { id, email, secret, recoveryCodes };
}

const audits = (action: string, actorId: number) => portal.db('audit_log').where({ action, actor_id: actorId }).orderBy('id');

test('a staff member enrols from the back-office: the secret is kept encrypted, the recovery codes only as hashes, and it is audited', async () => {
  const { id, secret, recoveryCodes } = await enrolledStaff();
  const row = await portal.db('staff_second_factors').where({ staff_user_id: id }).first();
  assert.ok(row.enrolled_at, 'enrolled');
  assert.ok(!row.secret_encrypted.includes(secret), 'the secret is not stored in clear');
  const hashes = await portal.db('staff_recovery_codes').where({ staff_user_id: id }).pluck('code_hash');
  assert.equal(hashes.length, 10);
  for (const code of recoveryCodes) assert.ok(!hashes.some((hash: string) => hash.includes(code.replace('-', ''))), 'no recovery code in clear');
  assert.equal(new Set(recoveryCodes).size, 10, 'ten different codes');
  const [audit] = await audits('staff.second-factor-enrolled', id);
  assert.ok(audit, 'enrolment is audited');
  assert.doesNotMatch(JSON.stringify(audit.details), new RegExp(`${secret}|${recoveryCodes[0]}`), 'the audit row names neither secret nor codes');
});

test('once enrolled, the password leads to the code page, and the code computed from the key logs in', async () => {
  const { id, email, secret } = await enrolledStaff();
  const { client, location } = await passwordStep(portal.base, email, PASSWORD);
  assert.equal(location, CODE_PAGE);
  const page = await client.get(CODE_PAGE);
  assert.equal(page.status, 200);
  assert.match(page.text, /autocomplete="one-time-code"/);
  assert.match(page.text, /inputmode="numeric"/);
  const done = await postForm(client, CODE_PAGE, { code: totpCode(secret, Date.now(), 1) });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/admin');
  assert.equal((await client.get('/admin/api/resources/members/actions/list')).status, 200, 'logged in: the API answers');
  assert.equal((await audits('staff.second-factor-succeeded', id)).length, 1);
});

test('a wrong code is refused with a plain message and audited; the page asks again', async () => {
  const { id, email, secret } = await enrolledStaff();
  const { client } = await passwordStep(portal.base, email, PASSWORD);
  const answer = await postForm(client, CODE_PAGE, { code: wrongCode(secret) });
  assert.equal(answer.status, 401);
  assert.match(visibleText(answer.text), /Koodi ei ole oikein\. Kirjoita koodi, jonka sovellus näyttää juuri nyt\./);
  assert.match(answer.text, /aria-invalid="true"/);
  assert.match(answer.text, /<title>Virhe:/);
  const malformed = await postForm(client, CODE_PAGE, { code: '12a' });
  assert.equal(malformed.status, 400);
  assert.match(visibleText(malformed.text), /Kirjoita tunnistuskoodin 6 numeroa/);
  assert.equal((await audits('staff.second-factor-failed', id)).length, 1, 'the wrong code is audited; a malformed one is no guess');
  assert.equal((await client.get('/admin/api/resources/members/actions/list')).location, '/admin/login', 'still not logged in');
});

test('a code that was used is refused the next time, even within its 30 seconds (replay)', async () => {
  const { id, email, secret } = await enrolledStaff();
  const code = totpCode(secret, Date.now(), 1);
  const first = await passwordStep(portal.base, email, PASSWORD);
  assert.equal((await postForm(first.client, CODE_PAGE, { code })).status, 303);
  const second = await passwordStep(portal.base, email, PASSWORD);
  const replayed = await postForm(second.client, CODE_PAGE, { code });
  assert.equal(replayed.status, 401);
  assert.match(visibleText(replayed.text), /Tämä koodi on jo käytetty\. Odota, että sovellus näyttää uuden koodin/);
  const older = await postForm(second.client, CODE_PAGE, { code: totpCode(secret) });
  assert.equal(older.status, 401, 'an older code than the last one used is refused too');
  const failures = await audits('staff.second-factor-failed', id);
  assert.deepEqual(failures.map((row) => row.details.reason), ['used', 'used']);
});

test('two logins racing with one code: exactly one gets in', async () => {
  const { email, secret } = await enrolledStaff();
  const code = totpCode(secret, Date.now(), 1);
  const sessions = await Promise.all([1, 2, 3].map(() => passwordStep(portal.base, email, PASSWORD)));
  const answers = await Promise.all(sessions.map(({ client }) => postForm(client, CODE_PAGE, { code })));
  assert.deepEqual(answers.map((a) => a.status).sort(), [303, 401, 401]);
});

test('5 wrong codes pause code entry for 15 minutes: then even the right code waits, and the lock is audited', async () => {
  const { id, email, secret } = await enrolledStaff();
  const { client } = await passwordStep(portal.base, email, PASSWORD);
  const statuses = [];
  for (let i = 0; i < 5; i += 1) statuses.push((await postForm(client, CODE_PAGE, { code: wrongCode(secret) })).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
  const right = await postForm(client, CODE_PAGE, { code: totpCode(secret, Date.now(), 1) });
  assert.equal(right.status, 429);
  assert.match(visibleText(right.text), /Vääriä koodeja annettiin liian monta\. Voit yrittää uudelleen 15 minuutin kuluttua\./);
  const recovery = await postForm(client, RECOVERY_PAGE, { recoveryCode: 'abcde-23456' });
  assert.equal(recovery.status, 429, 'recovery codes wait too');
  const [locked] = await audits('staff.second-factor-locked', id);
  assert.equal(locked.details.minutes, 15);
  assert.equal((await audits('staff.second-factor-failed', id)).length, 4);
});

test('15 wrong codes in a day lock code entry for a day, said in hours; even the right code waits', async () => {
  const { id, email, secret } = await enrolledStaff();
  const { client } = await passwordStep(portal.base, email, PASSWORD);
  let last;
  for (let i = 1; i <= 15; i += 1) {
    last = await postForm(client, CODE_PAGE, { code: wrongCode(secret) });
    // Past each 15-minute pause, as if that time had passed: only the day's count is left.
    if (i % 5 === 0 && i < 15) await portal.db('rate_limits').where('key', 'like', 'staff-code-pause%').delete();
  }
  assert.equal(last!.status, 429);
  assert.match(visibleText(last!.text), /Voit yrittää uudelleen 24 tunnin kuluttua, tai pyydä liiton jäsenpalvelua nollaamaan tunnistuksesi\./);
  const locks = await audits('staff.second-factor-locked', id);
  assert.deepEqual(locks.map((row) => row.details.minutes), [15, 15, 1440]);
  await portal.db('rate_limits').where('key', 'like', 'staff-code-pause%').delete();
  assert.equal((await postForm(client, CODE_PAGE, { code: totpCode(secret, Date.now(), 1) })).status, 429, 'still locked');
});

test('a recovery code logs in once, says how many are left, and is refused the second time', async () => {
  const { id, email, recoveryCodes } = await enrolledStaff();
  const first = await passwordStep(portal.base, email, PASSWORD);
  const page = await first.client.get(RECOVERY_PAGE);
  assert.equal(page.status, 200);
  const used = await postForm(first.client, RECOVERY_PAGE, { recoveryCode: recoveryCodes[3]!.toUpperCase().replace('-', ' ') });
  assert.equal(used.status, 200);
  assert.match(visibleText(used.text), /Sinulla on jäljellä 9 varakoodia\./);
  assert.equal((await first.client.get('/admin/api/resources/members/actions/list')).status, 200, 'logged in');
  const [audit] = await audits('staff.second-factor-recovery-code-used', id);
  assert.equal(audit.details.recoveryCodesLeft, 9);

  const second = await passwordStep(portal.base, email, PASSWORD);
  const again = await postForm(second.client, RECOVERY_PAGE, { recoveryCode: recoveryCodes[3]! });
  assert.equal(again.status, 401);
  assert.match(visibleText(again.text), /Varakoodi ei ole oikein, tai se on jo käytetty\./);
  assert.equal((await postForm(second.client, RECOVERY_PAGE, { recoveryCode: recoveryCodes[4]! })).status, 200, 'another code still works');
});

test('a secret that can no longer be read (SESSION_SECRET changed) says to ask member services for a reset', async () => {
  const { id, email, secret } = await enrolledStaff();
  await portal.db('staff_second_factors').where({ staff_user_id: id }).update({ secret_encrypted: sealSecret('some-other-session-secret-of-32-characters', id, secret) });
  const { client } = await passwordStep(portal.base, email, PASSWORD);
  const answer = await postForm(client, CODE_PAGE, { code: totpCode(secret, Date.now(), 1) });
  assert.equal(answer.status, 409);
  assert.match(visibleText(answer.text), /Kaksivaiheisen tunnistuksesi tietoja ei voi lukea\. Pyydä liiton jäsenpalvelua nollaamaan tunnistus\./);
  assert.equal((await audits('staff.second-factor-failed', id)).length, 0, 'not the staff member\'s mistake: not counted');
});

test('a session waiting for its code is not logged in: no back-office page, API call or enrolment over the factor', async () => {
  const { id, email } = await enrolledStaff();
  const { client } = await passwordStep(portal.base, email, PASSWORD);
  const row = await portal.db('staff_sessions').whereRaw(`(sess->'pendingStaff'->>'id')::int = ?`, [id]).first();
  assert.ok(row && row.sess.adminUser === undefined, 'the session holds only the pending sign-in');
  const paths = ['/admin', '/admin/resources/members', '/admin/resources/staff_users', '/admin/api/resources/members/actions/list', '/admin/api/resources/members/search/Maija', '/admin/api/dashboard', `/admin/api/resources/staff_users/records/${id}/show`, `/admin/api/resources/staff_users/records/${id}/resetSecondFactor`];
  for (const path of paths) {
    const answer = await client.get(path);
    assert.equal(answer.status, 302, path);
    assert.equal(answer.location, '/admin/login', path);
  }
  const created = await client.post('/admin/api/resources/members/actions/new', { member_number: '999999', first_name: 'Ei', last_name: 'Tule' });
  assert.equal(created.location, '/admin/login');
  assert.equal(await portal.db('members').where({ member_number: '999999' }).first(), undefined);
  const enrol = await client.get(ENROL_PAGE);
  assert.equal(enrol.location, '/admin/login', 'the password alone cannot replace an enrolled factor');
  assert.equal((await postForm(client, ENROL_PAGE, { code: '123456' })).location, '/admin/login');
});

test('a waiting session ends 30 minutes after the password: the code page sends the browser back to the login', async () => {
  const { id, email, secret } = await enrolledStaff();
  const { client } = await passwordStep(portal.base, email, PASSWORD);
  await portal.db('staff_sessions').whereRaw(`(sess->'pendingStaff'->>'id')::int = ?`, [id]).update({ sess: portal.db.raw(`jsonb_set(sess::jsonb, '{pendingStaff,since}', to_jsonb(?::bigint))::json`, [Date.now() - 31 * 60_000]) });
  const late = await postForm(client, CODE_PAGE, { code: totpCode(secret, Date.now(), 1) });
  assert.equal(late.status, 303);
  assert.equal(late.location, '/admin/login');
});

test('federation member services reset a second factor: audited, the staff member signed out everywhere, factor and lock gone', async () => {
  const { id, email, secret } = await enrolledStaff();
  const loggedIn = await passwordStep(portal.base, email, PASSWORD);
  assert.equal((await postForm(loggedIn.client, CODE_PAGE, { code: totpCode(secret, Date.now(), 1) })).status, 303);
  const waiting = await passwordStep(portal.base, email, PASSWORD);
  for (let i = 0; i < 5; i += 1) await postForm(waiting.client, CODE_PAGE, { code: wrongCode(secret) });

  const action = `/admin/api/resources/staff_users/records/${id}/resetSecondFactor`;
  const opened = await federation.get(action);
  assert.deepEqual(opened.json.confirmation, { question: 'secondFactorReset_question', detail: 'secondFactorReset_questionDetail', options: { name: `Testi ${email.split('@')[0]}` }, confirm: true });
  assert.ok(await portal.db('staff_second_factors').where({ staff_user_id: id }).first(), 'opening the action changes nothing');
  const reset = await federation.post(action);
  assert.equal(reset.json.notice.type, 'success');
  assert.match(noticeText(reset.json.notice), /kaksivaiheinen tunnistus nollattiin, ja hänet kirjattiin ulos ylläpidosta \(2 istuntoa\)/);
  const [audit] = await portal.db('audit_log').where({ action: 'staff.second-factor-reset' }).orderBy('id', 'desc');
  assert.equal(audit.actor_id, (await portal.db('staff_users').where({ email: FEDERATION[0] }).first()).id);
  assert.deepEqual([audit.details.staffUserId, audit.details.sessionsEnded], [id, 2]);
  assert.equal(await portal.db('staff_second_factors').where({ staff_user_id: id }).first(), undefined);
  assert.equal(await portal.db('staff_recovery_codes').where({ staff_user_id: id }).first(), undefined);

  assert.equal((await loggedIn.client.get('/admin/api/resources/members/actions/list')).location, '/admin/login', 'signed out');
  assert.equal((await waiting.client.get(CODE_PAGE)).location, '/admin/login', 'the waiting sign-in ended too');
  const again = await passwordStep(portal.base, email, PASSWORD);
  assert.equal(again.location, '/admin', 'STAFF_MFA=optional: no factor, so the password is enough again (the lock was lifted with it)');

  assert.equal((await federation.get(action)).json.confirmation.detail, 'secondFactorReset_notEnrolled', 'nothing left to reset');
  assert.match(noticeText((await federation.post(action)).json.notice), /ei ole kaksivaiheista tunnistusta käytössä/);
  assert.equal((await portal.db('audit_log').where({ action: 'staff.second-factor-reset' }).whereRaw(`(details->>'staffUserId')::int = ?`, [id])).length, 1);
});

test('only federation member services reset, and never their own second factor', async () => {
  const { id } = await enrolledStaff();
  const association = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const action = `/admin/api/resources/staff_users/records/${id}/resetSecondFactor`;
  assertRefused(await association.get(action), 'association staff, opening');
  assertRefused(await association.post(action), 'association staff, confirming');
  assert.ok(await portal.db('staff_second_factors').where({ staff_user_id: id }).first(), 'nothing was reset');

  const ownId = (await portal.db('staff_users').where({ email: FEDERATION[0] }).first()).id;
  const ownAction = `/admin/api/resources/staff_users/records/${ownId}/resetSecondFactor`;
  assert.equal((await federation.get(ownAction)).json.confirmation.detail, 'secondFactorReset_ownFactor', 'the dialog says why before anything is tried');
  const own = await federation.post(ownAction);
  assert.equal(own.json.notice.type, 'error');
  assert.match(noticeText(own.json.notice), /Omaa kaksivaiheista tunnistusta ei voi nollata itse/);
  assert.equal((await portal.db('audit_log').where({ action: 'staff.second-factor-reset' }).whereRaw(`(details->>'staffUserId')::int = ?`, [id])).length, 0);
});

test('STAFF_MFA=optional (the default outside production): staff without a factor log in with the password alone', async () => {
  assert.equal(portal.config.staffMfa, 'optional');
  const { location } = await passwordStep(portal.base, ...ESIMERKKILA);
  assert.equal(location, '/admin');
});

test('STAFF_MFA=required: the first login leads to enrolment, nothing else opens before it, and the code then logs in', async () => {
  const required = await startPortal({ STAFF_MFA: 'required' });
  const { client, location } = await passwordStep(required.base, ...FEDERATION);
  assert.equal(location, ENROL_PAGE);
  assert.equal((await client.get('/admin')).location, '/admin/login', 'not logged in before enrolling');
  assert.equal((await client.get(CODE_PAGE)).location, '/admin/login', 'no code page before there is a factor');
  const page = await client.get(ENROL_PAGE);
  assert.match(visibleText(page.text), /Kaksivaiheinen tunnistus on ylläpidossa pakollinen/);
  assert.match(page.text, /<img src="data:image\/svg\+xml;base64,[^"]+" width="232" height="232" alt="QR-koodi/);
  const raw = await client.web.get(ENROL_PAGE, { origin: required.base, 'sec-fetch-site': 'same-origin' });
  assert.equal(raw.headers.get('cache-control'), 'no-store', 'the page with the key is never cached');
  assert.match(raw.headers.get('content-security-policy') ?? '', /script-src 'self' 'nonce-[^']+'(;|$)/, 'no inline script allowed');
  const { secret } = await enrolThroughPages(client);
  assert.equal((await client.get('/admin/api/resources/members/actions/list')).status, 200, 'logged in after enrolling');

  await postForm(client, '/admin/logout', {});
  const next = await passwordStep(required.base, ...FEDERATION);
  assert.equal(next.location, CODE_PAGE);
  assert.equal((await postForm(next.client, CODE_PAGE, { code: totpCode(secret, Date.now(), 1) })).status, 303);
});

test('malformed bodies to the second-factor forms answer 4xx, never a 5xx, and count no guess', async () => {
  const { id, email } = await enrolledStaff();
  const { client } = await passwordStep(portal.base, email, PASSWORD);
  const enrolling = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const bodies: Array<[string, string | undefined]> = [
    ['code=%00&recoveryCode=%00', 'application/x-www-form-urlencoded'],
    ['code=%E0%A4%A&recoveryCode=%E0%A4%A', 'application/x-www-form-urlencoded'],
    ['code=1&code=2&recoveryCode=a&recoveryCode=b', 'application/x-www-form-urlencoded'],
    ['a=1&b=2&c=3&d=4&e=5&f=6&code=123456', 'application/x-www-form-urlencoded'],
    [`code=${'1'.repeat(5000)}`, 'application/x-www-form-urlencoded'],
    ['{"code":"123456"}', 'application/json'],
    ['code=123456', 'text/plain'],
    ['', undefined],
  ];
  for (const [who, session] of [['waiting', client], ['logged in', enrolling], ['nobody', new StaffClient(portal.base)]] as const) {
    for (const path of [CODE_PAGE, RECOVERY_PAGE, ENROL_PAGE]) {
      for (const [body, type] of bodies) {
        const headers = { origin: portal.base, 'sec-fetch-site': 'same-origin', ...(type ? { 'content-type': type } : {}) };
        const answer = await session.request(path, { method: 'POST', body: body as unknown as URLSearchParams, headers });
        assert.ok(answer.status < 500, `${who} ${path} ${type} ${body.slice(0, 40)} → ${answer.status}`);
      }
    }
  }
  assert.equal((await audits('staff.second-factor-failed', id)).length, 0, 'no malformed body counted as a wrong code');
});
