import type { Db } from '../../src/db/connection.js';

/**
 * Members for volume and crash tests, added to the first association in one statement: active,
 * each with an address of their own (`<prefix><n>@example.fi`), no password yet. Returns the addresses.
 */
export async function addTestMembers(db: Db, count: number, prefix = 'jasen'): Promise<string[]> {
  const association = await db('associations').orderBy('id').first('id');
  if (!association) throw new Error('addTestMembers needs an association (seed the demo data first)');
  const start = Number((await db('members').max<{ max: string | null }>('member_number as max').first())?.max ?? 0) + 1;
  const rows: Array<{ email: string }> = (
    await db.raw(
      `INSERT INTO members (member_number, first_name, last_name, email, association_id)
       SELECT (? + n)::text, 'Testi', 'Jäsen ' || n, ? || n || '@example.fi', ?
       FROM generate_series(1, ?) AS n
       RETURNING email`,
      [Math.max(start, 800000) - 1, prefix, association.id, count],
    )
  ).rows;
  return rows.map((row) => row.email);
}
