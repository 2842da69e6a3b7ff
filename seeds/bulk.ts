import type { Db } from '../src/db/connection.js';

/**
 * Volume data for benchmarks: ~150 associations and N members with Finnish-looking names,
 * ~85 % with an email and a few percent sharing one. Deterministic (seeded PRNG) so runs compare.
 * Rows go in with INSERT … SELECT FROM unnest(arrays): one round trip per 10 000 members.
 */

const FIRST = ['Aino', 'Anna', 'Antti', 'Eero', 'Eija', 'Elina', 'Hanna', 'Heikki', 'Helena', 'Ilkka', 'Juha', 'Jukka', 'Kaarina', 'Kalle', 'Kirsi', 'Lauri', 'Leena', 'Marja', 'Markku', 'Mikko', 'Minna', 'Niina', 'Olli', 'Paavo', 'Päivi', 'Pirjo', 'Riitta', 'Sari', 'Seppo', 'Sirkka', 'Tapio', 'Timo', 'Tuula', 'Ville', 'Väinö', 'Åsa', 'Öhman'];
const LAST = ['Aaltonen', 'Heikkinen', 'Hämäläinen', 'Karjalainen', 'Koskinen', 'Laine', 'Lehtonen', 'Leinonen', 'Mäkelä', 'Mäkinen', 'Nieminen', 'Ojala', 'Rantanen', 'Salminen', 'Salo', 'Tuominen', 'Turunen', 'Virtanen', 'Järvinen', 'Kinnunen', 'Lindholm', 'Söderström', 'Väisänen', 'Heinonen'];
const PLACES = ['Alajärven', 'Espoon', 'Forssan', 'Haminan', 'Hangon', 'Iisalmen', 'Imatran', 'Joensuun', 'Jyväskylän', 'Kajaanin', 'Kemin', 'Kokkolan', 'Kotkan', 'Kuopion', 'Lahden', 'Lappeenrannan', 'Loviisan', 'Mikkelin', 'Oulun', 'Porin', 'Porvoon', 'Raahen', 'Rauman', 'Salon', 'Savonlinnan', 'Seinäjoen', 'Tampereen', 'Tornion', 'Turun', 'Vaasan'];
const SUFFIX = ['Invalidit ry', 'Invalidiyhdistys ry', 'Seudun Invalidit ry', 'Liikuntavammaiset ry', 'Invalidit ja Ystävät ry'];

function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (text: string) => text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z]/g, '');

export interface BulkOptions {
  members: number;
  associations?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function seedBulk(db: Db, options: BulkOptions): Promise<{ associations: number; members: number }> {
  const random = prng(20261124);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const associationCount = options.associations ?? 150;

  const distinctNames = PLACES.length * SUFFIX.length;
  // A second run continues the numbering instead of colliding with the unique names of the first.
  const existing = Number((await db('associations').count<{ count: number }[]>({ count: '*' }).first())?.count ?? 0);
  const names = Array.from({ length: associationCount }, (_, n) => {
    const i = n + existing;
    const name = `${PLACES[i % PLACES.length]} ${SUFFIX[Math.floor(i / PLACES.length) % SUFFIX.length]}`;
    return i < distinctNames ? name : `${name} ${Math.floor(i / distinctNames) + 1}`;
  });
  const associationIds: number[] = (
    await db.raw(
      `INSERT INTO associations (name, contact_email, contact_phone)
       SELECT name, 'yhdistys' || (ord + ?) || '@bulk.example', '040 ' || lpad(ord::text, 7, '0')
       FROM unnest(?::text[]) WITH ORDINALITY AS a(name, ord) RETURNING id`,
      [existing, names],
    )
  ).rows.map((row: { id: number }) => row.id);

  const maxRow = await db('members').max<{ max: string | null }>('member_number as max').first();
  let nextNumber = Math.max(500000, Number(maxRow?.max ?? 0) + 1);
  const batchSize = 10_000;
  let sharedEmail: string | null = null;
  for (let done = 0; done < options.members; done += batchSize) {
    const size = Math.min(batchSize, options.members - done);
    const cols = { number: [] as string[], first: [] as string[], last: [] as string[], email: [] as (string | null)[], association: [] as number[], status: [] as string[], language: [] as string[] };
    for (let i = 0; i < size; i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const number = String(nextNumber++);
      const roll = random();
      let email: string | null = null;
      if (roll < 0.03 && sharedEmail) email = sharedEmail; // a household sharing one address
      else if (roll < 0.85) email = `${ascii(first)}.${ascii(last)}.${number}@example.fi`;
      sharedEmail = email;
      cols.number.push(number);
      cols.first.push(first);
      cols.last.push(last);
      cols.email.push(email);
      cols.association.push(pick(associationIds));
      cols.status.push(random() < 0.04 ? 'ended' : 'active');
      cols.language.push(random() < 0.06 ? 'sv' : random() < 0.02 ? 'en' : 'fi');
    }
    await db.raw(
      // Every member gets a postal address (activation letters, issue #14), made from the number so
      // that the random sequence, and with it every other column, stays as it was.
      `INSERT INTO members (member_number, first_name, last_name, email, association_id, membership_status, preferred_language, street_address, postal_code, post_office)
       SELECT n, f, l, e, a, s, lang,
              (ARRAY['Koulukatu', 'Rantatie', 'Myllytie', 'Kirkkotie', 'Asemakatu', 'Koivukuja'])[1 + n::bigint % 6] || ' ' || (1 + n::bigint % 60),
              lpad((n::bigint * 7919 % 100000)::text, 5, '0'),
              (ARRAY['HELSINKI', 'TAMPERE', 'TURKU', 'OULU', 'JYVÄSKYLÄ', 'VAASA', 'PORVOO'])[1 + n::bigint % 7]
       FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[]) AS u(n, f, l, e, a, s, lang)`,
      // knex's binding type has no nullable arrays; pg sends null elements as SQL NULL.
      [cols.number, cols.first, cols.last, cols.email as unknown as string[], cols.association, cols.status, cols.language],
    );
    options.onProgress?.(done + size, options.members);
  }
  return { associations: associationIds.length, members: options.members };
}
