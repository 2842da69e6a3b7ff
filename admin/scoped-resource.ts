import type { ResourceMetadata } from '@adminjs/sql';
import type { ActionContext, BaseRecord as AdminRecord, CurrentAdmin, ParamsType, RecordJSON } from 'adminjs';
import type { Knex } from 'knex';
import { preparedByText, type Db } from '../src/db/connection.js';
import { asPrincipal, type StaffPrincipal } from '../src/staff/principal.js';
import { BaseRecord, SqlResource, ValidationError, type Filter } from './adminjs-runtime.js';
import { RefusedRequest } from './api-answers.js';
import { databaseErrorToFormError } from './form-errors.js';
import { rememberNotice, type ServiceNotice } from './service-notice.js';

/**
 * The one place where AdminJS touches the database. Every adapter call (count, find, findOne,
 * findMany, create, update, delete) starts from a query already limited to what the logged-in
 * staff member may see; with no staff member in the context there is nothing at all (fail closed).
 * Writes accept only whitelisted columns; everything else in a payload is dropped. Filters and
 * sorting work only on the resource's own visible columns.
 */
export interface ScopeRules {
  /** Limits a query on this table to what the staff member may see. */
  restrict(query: Knex.QueryBuilder, staff: StaffPrincipal): void;
  /** Columns the staff member may set when creating, and values forced on top (e.g. their association). */
  create?: (staff: StaffPrincipal) => { columns: string[]; forced?: Record<string, unknown> } | null;
  /** Columns the staff member may change. */
  update?: (staff: StaffPrincipal) => string[] | null;
  /** Filters on something that is no column (a member's state): the values allowed, and the SQL condition for one (the table under its own name). */
  virtualFilters?: Record<string, { values: readonly string[]; sql: (value: string) => string }>;
  /**
   * Every row the staff member may see, counted faster than by count(*): one row, its column `n`
   * (the unfiltered list's total, carried by the page's rows as a subquery).
   */
  countAll?: (db: Db, staff: StaffPrincipal) => Knex.QueryBuilder;
  /**
   * Columns whose values PostgreSQL keeps apart, each with how many rows have it (members' last
   * names): for a text search on one of them alone, the matching values in the staff member's scope
   * as rows of (value, n). The page is then read by those exact values from the column's index, and
   * the total is their n added up, without finding every matching row.
   */
  keptValues?: Record<string, (db: Db, staff: StaffPrincipal, pattern: string) => Knex.QueryBuilder>;
  /**
   * Text columns whose distinct values are kept in a table of their own (the audit log's actor
   * labels): for a text search on one, the condition that finds the rows by the values that match
   * the ILIKE pattern, in place of the pattern on the column itself.
   */
  matchedThroughValues?: Record<string, (db: Db, pattern: string) => Knex.Raw>;
  /** The order of rows with the same sort value (oldest or newest first); the sort's own direction by default. */
  tieBreak?: 'asc' | 'desc';
  /** Columns that never leave the adapter (even hidden ones would reach the API otherwise). */
  hidden?: string[];
  delete?: boolean;
  /** Problems with the values to be written, per field, as catalog keys (admin/locale `messages`). */
  validate?: (values: Record<string, unknown>) => Record<string, string> | undefined;
  /**
   * Writes through the service under src/ that owns the table's rules (audit rows, links to revoke,
   * sessions to end, mail to queue: all in the write's transaction). Without it, a plain INSERT or
   * UPDATE. What the service reports reaches staff as the action's notice (admin/service-notice.ts).
   */
  save?: (trx: Knex.Transaction, staff: StaffPrincipal, before: Record<string, unknown> | null, values: Record<string, unknown>) => Promise<{ row: Record<string, unknown>; notice?: ServiceNotice }>;
}

// The same ceiling as AdminJS's own perPage limit, so its paging and ours agree.
const MAX_ROWS = 500;

/**
 * AdminJS's record stores a posted payload in itself before saving (BaseRecord.update), so a
 * posted `id` would choose which row gets updated, and posted keys that are no columns (role,
 * password_hash, …) would be sent back as if saved. This record takes only the resource's own
 * visible columns from a payload, and counts an error without a field (not found, forbidden, a
 * refused reference) as a failure rather than a success.
 */
class ScopedRecord extends BaseRecord {
  override async update(params: Record<string, unknown>, context?: ActionContext) {
    const resource = this.resource as ScopedResource;
    const { [resource.idColumnName]: _id, ...fields } = resource.visibleFields(params);
    return super.update(fields, context);
  }

  override isValid(): boolean {
    return super.isValid() && !this.baseError;
  }

  /**
   * A record this one refers to (a member's association) reaches the browser as what AdminJS's
   * reference link shows: its id, its title, and its show action when the staff member may open it.
   * Whole, with its columns and every action of its resource, it was half of each row of a member
   * list: 87 KB for 20 members, to be built, serialized and sent on every search.
   */
  override toJSON(currentAdmin?: CurrentAdmin): RecordJSON {
    const populated = this.populated;
    this.populated = {};
    let json: RecordJSON;
    try {
      json = super.toJSON(currentAdmin);
    } finally {
      this.populated = populated;
    }
    json.populated = Object.fromEntries(Object.entries(populated).map(([path, record]) => [path, record ? referenceJSON(record, currentAdmin) : null]));
    return json;
  }
}

function referenceJSON(record: AdminRecord, currentAdmin?: CurrentAdmin): RecordJSON {
  const decorated = record.resource.decorate();
  const show = decorated.recordActions(record, currentAdmin).filter((action) => action.name === 'show');
  return {
    params: {},
    populated: {},
    baseError: null,
    errors: {},
    id: record.id(),
    title: decorated.titleOf(record),
    recordActions: show.map((action) => action.toJSON(currentAdmin)),
    bulkActions: [],
  };
}

// The column a filtered page carries its total in; no table has it.
const TOTAL = '__matched_total';

/** A condition a filter added: its column, and for a text search its ILIKE pattern. */
interface Condition {
  path: string;
  pattern?: string;
}

export class ScopedResource extends SqlResource {
  private readonly table: string;
  /** Totals counted by find() for the filter AdminJS's list passes on to count(). */
  private readonly totals = new WeakMap<Filter, number>();
  readonly idColumnName: string;

  constructor(
    metadata: ResourceMetadata,
    private readonly db: Db,
    private readonly rules: ScopeRules,
  ) {
    super(metadata);
    this.table = metadata.tableName;
    this.idColumnName = metadata.idProperty.path();
  }

  /** Only the keys of a payload that are this resource's visible columns. */
  visibleFields(params: Record<string, unknown> = {}): Record<string, unknown> {
    const columns = new Set(this.columns());
    return Object.fromEntries(Object.entries(params).filter(([key]) => columns.has(key)));
  }

  /** AdminJS builds the record of a new row from the posted payload: only visible columns go in. */
  override build(params: Record<string, unknown>): AdminRecord {
    return new ScopedRecord(this.visibleFields(params), this);
  }

  private staffOf(context: unknown): StaffPrincipal {
    const staff = asPrincipal((context as { currentAdmin?: unknown } | undefined)?.currentAdmin);
    if (!staff) throw new Error('No staff member in the adapter context: refusing to touch the database');
    return staff;
  }

  private scoped(context: unknown): { query: Knex.QueryBuilder; staff: StaffPrincipal } {
    const staff = this.staffOf(context);
    const query = this.db(this.table);
    this.rules.restrict(query, staff);
    return { query, staff };
  }

  private columns(): string[] {
    return this.properties()
      .map((p) => p.path())
      .filter((path) => !this.rules.hidden?.includes(path));
  }

  /**
   * A filter value its column cannot hold (a non-date in a date filter, a number past bigint, a NUL)
   * is refused with a 400 (RefusedRequest, answered in JSON by admin/api-answers.ts) before it
   * reaches PostgreSQL, whose error would otherwise be a 500. Answers the conditions it added.
   */
  private applyFilter(query: Knex.QueryBuilder, filter: Filter | undefined): Condition[] {
    const allowed = new Set(this.columns());
    const conditions: Condition[] = [];
    for (const [path, entry] of Object.entries(filter?.filters ?? {})) {
      const virtual = this.rules.virtualFilters?.[path];
      if (virtual) {
        if (typeof entry.value !== 'string' || !virtual.values.includes(entry.value)) throw new RefusedRequest('invalidFilter');
        query.whereRaw(virtual.sql(entry.value));
        conditions.push({ path });
        continue;
      }
      const property = entry.property;
      if (!property || !allowed.has(path) || entry.value === undefined || entry.value === '') continue;
      const condition: Condition = { path };
      conditions.push(condition);
      const value = entry.value as unknown;
      const type = property.type();
      if (type === 'date' || type === 'datetime') {
        const { from, to } = typeof value === 'object' && value !== null ? (value as { from?: unknown; to?: unknown }) : { from: value, to: value };
        for (const bound of [from, to]) if (bound !== undefined && bound !== '' && !isIsoDate(bound)) throw new RefusedRequest('invalidFilter');
        if (from) query.where(path, '>=', from as string);
        if (to) query.where(path, '<=', to as string);
      } else if (typeof value !== 'string') {
        query.whereRaw('false'); // arrays or objects where a value belongs: match nothing rather than guess
      } else if (value.includes('\u0000')) {
        throw new RefusedRequest('invalidCharacters');
      } else if (type === 'string' && !property.availableValues()) {
        condition.pattern = `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const throughValues = this.rules.matchedThroughValues?.[path];
        if (throughValues) query.where(throughValues(this.db, condition.pattern));
        else query.whereILike(path, condition.pattern);
      } else if (type === 'number' || type === 'reference') {
        // Compared as bigint: a number past an integer column's range matches nothing instead of failing.
        if (!/^-?\d{1,18}$/.test(value)) throw new RefusedRequest('invalidFilter');
        query.whereRaw('?? = ?::bigint', [path, value]);
      } else if (type === 'boolean') {
        if (value !== 'true' && value !== 'false') throw new RefusedRequest('invalidFilter');
        query.where(path, value === 'true');
      } else if (type === 'string') {
        if (!(property.availableValues() as unknown[]).includes(value)) throw new RefusedRequest('invalidFilter'); // a database enum
        query.where(path, value);
      } else {
        query.whereRaw('??::text = ?', [path, value]); // JSON and other types: compared as text, never parsed
      }
    }
    return conditions;
  }

  /** For a text search on a kept-values column alone: the matching values (value, n) in the staff member's scope. */
  private keptValuesFor(conditions: Condition[], staff: StaffPrincipal): { path: string; values: Knex.QueryBuilder } | undefined {
    const [only] = conditions;
    const kept = conditions.length === 1 && only?.pattern !== undefined ? this.rules.keptValues?.[only.path] : undefined;
    return kept && { path: only!.path, values: kept(this.db, staff, only!.pattern!) };
  }

  private build_(row: Record<string, unknown>): AdminRecord {
    for (const column of this.rules.hidden ?? []) delete row[column];
    return new ScopedRecord(row, this);
  }

  override async count(filter: Filter, context?: unknown): Promise<number> {
    const counted = this.totals.get(filter);
    if (counted !== undefined) {
      this.totals.delete(filter);
      return counted;
    }
    const { query, staff } = this.scoped(context);
    const conditions = this.applyFilter(query, filter);
    if (conditions.length === 0 && this.rules.countAll) return Number((await this.rules.countAll(this.db, staff).first())?.n ?? 0);
    const kept = this.keptValuesFor(conditions, staff);
    if (kept) {
      const total = await this.db.from(kept.values.as('kept')).sum<{ n: string | null }>({ n: 'n' }).first();
      return Number(total?.n ?? 0);
    }
    const row = await query.count<{ n: number }[]>({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  override async find(filter: Filter, options: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } }, context?: unknown) {
    const { query, staff } = this.scoped(context);
    const conditions = this.applyFilter(query, filter);
    const sortBy = options.sort?.sortBy && this.columns().includes(options.sort.sortBy) ? options.sort.sortBy : this.idColumnName;
    const direction = options.sort?.direction === 'desc' ? 'desc' : 'asc';
    // AdminJS's list sends this same sort object back to the browser (meta): make it the sort that
    // was applied, not an echo of whatever column name the query string asked for.
    if (options.sort) Object.assign(options.sort, { sortBy, direction });
    const limit = Math.min(Math.max(Number(options.limit) || 10, 1), MAX_ROWS);
    const offset = Math.max(Number(options.offset) || 0, 0);
    const order = (q: Knex.QueryBuilder) => q.orderBy(sortBy, direction).orderBy(this.idColumnName, this.rules.tieBreak ?? direction).limit(limit).offset(offset);
    if (conditions.length === 0) {
      // The total comes with the page, as for a filtered one: one round trip fewer on every opening of the list.
      const total = this.rules.countAll?.(this.db, staff);
      const rows: Record<string, unknown>[] = await preparedByText(order(total ? query.select(`${this.table}.*`, this.db.raw('(?) AS ??', [total, TOTAL])) : query));
      return this.withTotal(filter, rows);
    }
    const kept = this.keptValuesFor(conditions, staff);
    if (kept) {
      // The rows with exactly the matching values stand for the search's matches: with the default
      // sort (the value, then id) PostgreSQL reads just the page from the column's index.
      const { query: scope } = this.scoped(context);
      const rows: Record<string, unknown>[] = await preparedByText(
        order(
          scope
            .withMaterialized('kept', kept.values)
            .whereRaw('?? = ANY(ARRAY(SELECT value FROM kept))', [`${this.table}.${kept.path}`])
            .select(`${this.table}.*`, this.db.raw('(SELECT sum(n) FROM kept) AS ??', [TOTAL])),
        ),
      );
      return this.withTotal(filter, rows);
    }
    // A filtered page is read from the matching rows, found first and counted in the same
    // statement. Left to itself PostgreSQL walks the sort index and tests each row against the
    // filter, expecting matches spread evenly along it; a common last name sits in one stretch of
    // that index, so «Virtanen» read 91,000 rows (166 ms) where the trigram index finds its 4,288.
    // Only their ids and sort values are kept (not whole rows: 7.6 → 6.2 ms for those 4,288); the
    // page's rows are then read by id. AdminJS's list asks count() for the same filter object next:
    // it gets the total from here.
    const id = this.idColumnName;
    const keys = query.clone().select(id, ...(sortBy === id ? [] : [sortBy]));
    const rows: Record<string, unknown>[] = await preparedByText(
      this.db
        .withMaterialized('matched', keys)
        .with('page', order(this.db.from('matched').select(id)))
        .from({ row: this.table })
        .join('page', `row.${id}`, `page.${id}`)
        .select('row.*', this.db.raw('(SELECT count(*) FROM matched) AS ??', [TOTAL]))
        .orderBy(`row.${sortBy}`, direction)
        .orderBy(`row.${id}`, this.rules.tieBreak ?? direction),
    );
    return this.withTotal(filter, rows);
  }

  /** The page's records; the total its rows carry is kept for count(), which AdminJS asks next with the same filter. */
  private withTotal(filter: Filter, rows: Record<string, unknown>[]): AdminRecord[] {
    const total = rows[0]?.[TOTAL];
    if (total !== undefined) this.totals.set(filter, Number(total));
    return rows.map(({ [TOTAL]: _total, ...row }) => this.build_(row));
  }

  override async findOne(id: string, context?: unknown) {
    if (!/^\d{1,18}$/.test(String(id))) return null;
    const { query } = this.scoped(context);
    const row = await preparedByText(query.where(this.idColumnName, id).first());
    return row ? this.build_(row) : null;
  }

  override async findMany(ids: (string | number)[], context?: unknown) {
    const numeric = ids.map(String).filter((id) => /^\d{1,18}$/.test(id)).slice(0, MAX_ROWS);
    if (numeric.length === 0) return [];
    const { query } = this.scoped(context);
    // A list page's references (its members' associations) are read here, once per page: prepared, as the page's own statement.
    const rows: Record<string, unknown>[] = await preparedByText(query.whereIn(this.idColumnName, numeric));
    return rows.map((row: Record<string, unknown>) => this.build_(row));
  }

  override async create(params: Record<string, unknown>, context?: unknown): Promise<ParamsType> {
    const staff = this.staffOf(context);
    const allowed = this.rules.create?.(staff);
    if (!allowed) throw new ValidationError({}, { message: 'forbidden', type: 'forbidden' });
    const values = { ...pick(params, allowed.columns), ...allowed.forced };
    const needed = (await this.neededOnCreate()).filter((column) => allowed.columns.includes(column));
    this.check(values, needed.filter((column) => values[column] === undefined || values[column] === null));
    try {
      const row = await this.db.transaction(async (trx) => {
        if (!this.rules.save) return (await trx(this.table).insert(values).returning('*'))[0];
        const saved = await this.rules.save(trx, staff, null, values);
        rememberNotice(context, saved.notice);
        return saved.row;
      });
      return this.build_(row).params;
    } catch (error) {
      throw databaseErrorToFormError(error);
    }
  }

  override async update(id: string, params: Record<string, unknown>, context?: unknown): Promise<ParamsType> {
    const { query, staff } = this.scoped(context);
    const columns = this.rules.update?.(staff);
    if (!columns) throw new ValidationError({}, { message: 'forbidden', type: 'forbidden' });
    const values = pick(params, columns);
    this.check(values, Object.keys(values).filter((column) => values[column] === null && this.notNull().includes(column)));
    try {
      const row = await this.db.transaction(async (trx) => {
        const before = await query.clone().transacting(trx).where(this.idColumnName, id).forUpdate().first();
        if (!before) throw new ValidationError({}, { message: 'notFound', type: 'notFound' });
        if (this.rules.save) {
          const saved = await this.rules.save(trx, staff, before, values);
          rememberNotice(context, saved.notice);
          return saved.row;
        }
        if (Object.keys(values).length === 0) return before;
        return (await trx(this.table).where(this.idColumnName, id).update(values).returning('*'))[0];
      });
      return this.build_(row).params;
    } catch (error) {
      throw databaseErrorToFormError(error);
    }
  }

  /**
   * Every problem of a form at once, each on its field: the required fields left empty and what the
   * resource's own rules find. (PostgreSQL would name only the first empty NOT NULL column.) The
   * browser's own checks are off on the back-office's forms (admin/components/record-form.tsx), so
   * this is where an empty required field is reported, in the staff member's language.
   */
  private check(values: Record<string, unknown>, missing: string[]) {
    const problems = { ...Object.fromEntries(missing.map((column) => [column, 'formError_required'])), ...this.rules.validate?.(values) };
    if (Object.keys(problems).length > 0) {
      throw new ValidationError(Object.fromEntries(Object.entries(problems).map(([field, message]) => [field, { message, type: 'invalid' }])));
    }
  }

  private notNull(): string[] {
    return this.properties().filter((p) => p.isRequired()).map((p) => p.path());
  }

  private needed: Promise<string[]> | undefined;

  /** NOT NULL columns without a default: a new row cannot be saved without them. Read once from the schema. */
  private neededOnCreate(): Promise<string[]> {
    this.needed ??= this.db('information_schema.columns')
      .where({ table_schema: this.db.raw('current_schema()'), table_name: this.table, is_nullable: 'NO' })
      .whereNull('column_default')
      .pluck('column_name')
      .catch((error: unknown) => {
        this.needed = undefined; // not kept: the next save asks again
        throw error;
      });
    return this.needed;
  }

  override async delete(id: string, context?: unknown) {
    const { query } = this.scoped(context);
    if (!this.rules.delete) throw new ValidationError({}, { message: 'forbidden', type: 'forbidden' });
    try {
      await query.where(this.idColumnName, id).delete();
    } catch (error) {
      throw databaseErrorToFormError(error);
    }
  }
}

/** 2024-06-01, 2024-06-01T12:00, 2024-06-01T12:00:00.000Z: a real calendar date, as AdminJS's date filter sends. */
function isIsoDate(value: unknown): boolean {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value) : null;
  if (!match) return false;
  const [year, month, day, hours = 0, minutes = 0, seconds = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return year! >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day && hours! < 24 && minutes! < 60 && seconds! < 60;
}

/** Only the listed columns, with AdminJS's empty form fields stored as NULL rather than ''. */
function pick(params: Record<string, unknown>, columns: string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const column of columns) {
    if (!(column in params)) continue;
    const value = params[column];
    if (value !== null && typeof value === 'object') continue;
    picked[column] = typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value;
  }
  return picked;
}
