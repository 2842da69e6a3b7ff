import type { Db } from '../src/db/connection.js';
import { hashPassword } from '../src/passwords/hashing.js';
import { demoAssociations, demoMembers, demoStaff } from './demo-data.js';

export class SeedRefusedError extends Error {
  override name = 'SeedRefusedError';
}

export async function isRegisterEmpty(db: Db): Promise<boolean> {
  const row = await db('associations').count<{ count: number }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0) === 0;
}

/** Loads the demo set into an empty register; with reset, empties the register first. */
export async function seedDemoData(db: Db, options: { bcryptCost: number; reset?: boolean }): Promise<void> {
  const hashes = new Map<string, string>();
  for (const account of [...demoStaff, ...demoMembers]) {
    if (account.password) hashes.set(account.password, await hashPassword(account.password, options.bcryptCost));
  }

  await db.transaction(async (trx) => {
    if (options.reset) {
      await trx.raw('TRUNCATE associations, members, staff_users RESTART IDENTITY CASCADE');
    } else if (!(await isRegisterEmpty(trx))) {
      throw new SeedRefusedError('The register already has data. Use --reset to replace it with the demo set.');
    }

    const associationIds = new Map<string, number>();
    for (const { key, ...association } of demoAssociations) {
      const [row] = await trx('associations').insert(association).returning('id');
      associationIds.set(key, row.id);
    }
    const idOf = (key: string | null) => (key === null ? null : associationIds.get(key)!);

    for (const { password, association, ...staff } of demoStaff) {
      const [row] = await trx('staff_users').insert({ ...staff, association_id: idOf(association) }).returning('id');
      await trx('staff_credentials').insert({ staff_user_id: row.id, password_hash: hashes.get(password)! });
    }
    for (const { password, association, ...member } of demoMembers) {
      const [row] = await trx('members').insert({ ...member, association_id: idOf(association) }).returning('id');
      if (password) await trx('member_credentials').insert({ member_id: row.id, password_hash: hashes.get(password)! });
    }
  });
}
