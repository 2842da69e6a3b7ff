import { LIST_PAGE_SIZE } from '../admin/list-answer.js';

/**
 * The statements admin/scoped-resource.ts sends for one list page of members as federation staff
 * (no scope condition): the page (LIST_PAGE_SIZE rows in the resource's default sort, last name then
 * id) with its total (unfiltered, from the kept counts; by last name, from the kept names), and the
 * associations named on the page (AdminJS's reference populator). Kept beside the measurement so
 * that "the same SQL run directly" stays the same SQL.
 */
export interface SearchCase {
  label: string;
  column: 'email' | 'member_number' | 'last_name' | undefined;
  value: string;
}

interface Statement {
  sql: string;
  values: unknown[];
  /** A statement built from this one's rows (the populator's lookup). */
  then?: (rows: Array<Record<string, unknown>>) => { text: string; values: unknown[] };
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

export function searchStatements(search: SearchCase): Statement[] {
  const populate = (rows: Array<Record<string, unknown>>) => ({ text: 'SELECT * FROM "associations" WHERE "id" = ANY($1::int[])', values: [[...new Set(rows.map((row) => row.association_id))]] });
  if (!search.column) {
    return [
      {
        // The unfiltered total with the page: the per-association counts PostgreSQL keeps (src/members/member-counts.ts).
        sql: `SELECT "members".*, (SELECT sum("members"."members") AS "n" FROM "member_counts" AS "members") AS "__matched_total"
              FROM "members" ORDER BY "last_name" ASC, "id" ASC LIMIT ${LIST_PAGE_SIZE}`,
        values: [],
        then: populate,
      },
    ];
  }
  if (search.column === 'last_name') {
    // A search by last name: the matching names from those PostgreSQL keeps (migration 020), the page by those exact names.
    return [
      {
        sql: `WITH "kept" AS MATERIALIZED (SELECT "members"."last_name" AS "value", sum("members"."members") AS "n" FROM "member_last_names" AS "members"
              WHERE "members"."last_name" ILIKE $1 GROUP BY "members"."last_name")
              SELECT "members".*, (SELECT sum(n) FROM kept) AS "__matched_total" FROM "members" WHERE "members"."last_name" = ANY(ARRAY(SELECT value FROM kept))
              ORDER BY "last_name" ASC, "id" ASC LIMIT ${LIST_PAGE_SIZE}`,
        values: [`%${escapeLike(search.value)}%`],
        then: populate,
      },
    ];
  }
  // Another filtered page: the matching rows' ids and sort values first, then the page's rows by id and the total, in one statement.
  return [
    {
      sql: `WITH "matched" AS MATERIALIZED (SELECT "id", "last_name" FROM "members" WHERE "${search.column}" ILIKE $1),
            "page" AS (SELECT "id" FROM "matched" ORDER BY "last_name" ASC, "id" ASC LIMIT ${LIST_PAGE_SIZE})
            SELECT "row".*, (SELECT count(*) FROM "matched") AS "__matched_total" FROM "members" AS "row" INNER JOIN "page" ON "row"."id" = "page"."id"
            ORDER BY "row"."last_name" ASC, "row"."id" ASC`,
      values: [`%${escapeLike(search.value)}%`],
      then: populate,
    },
  ];
}
