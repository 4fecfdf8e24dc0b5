// The organisation's audit log (issue 13): every statement on `audit_log` lives here. Mutations
// record through ctx.audit inside their transaction (server/sync/engine.ts); sign-ins, provider
// accounts and exports through `record` from the HTTP side. Append-only: the only deletion is
// pruning entries older than the retention setting (itself recorded when changed).
import Papa from 'papaparse';
import { uuidv7 } from 'uuidv7';
import { DEFAULT_AUDIT_RETENTION_DAYS, type AuditCursor, type AuditEntryView, type AuditFilters, type AuditPage } from '../../shared/http/audit';
import type { AuditAction, AuditDetails } from '../../shared/tx';
import { GET_META, SET_META } from '../db/meta';
import type { RelayStore, Sql } from '../store/types';

const INSERT = 'INSERT INTO audit_log (id, org_id, actor_id, action, target, target_name, details, ip, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

const DAY = 24 * 60 * 60 * 1000;
/** pruning runs at most this often when entries are recorded */
const PRUNE_EVERY = 60 * 60 * 1000;
const RETENTION_KEY = 'auditRetentionDays';
const EXPORT_MAX = 100_000;

export interface AuditRecord {
  actorId: string;
  action: AuditAction;
  target: string;
  targetName?: string | null;
  details?: AuditDetails;
  ip?: string | null;
  at?: number;
}

interface Row {
  id: string;
  at: number;
  action: AuditAction;
  actorId: string;
  actorName: string | null;
  target: string;
  targetName: string | null;
  details: string | null;
  ip: string | null;
}

export class AuditLog {
  private lastPrune = 0;

  constructor(
    private readonly store: RelayStore,
    private readonly orgName: (sql: Sql) => Promise<string>,
  ) {}

  /** Appends one entry: in `sql` when given (the caller's write transaction), else on its own. */
  async record(r: AuditRecord, sql: Sql = this.store): Promise<void> {
    const at = r.at ?? Date.now();
    const details = r.details && Object.keys(r.details).length ? JSON.stringify(r.details) : null;
    await sql.run(INSERT, [uuidv7(), await this.orgName(sql), r.actorId, r.action, r.target, r.targetName ?? null, details, r.ip ?? null, at]);
    if (at - this.lastPrune > PRUNE_EVERY) await this.prune(at, sql);
  }

  async retentionDays(sql: Sql = this.store): Promise<number> {
    const v = (await sql.get<{ value: string }>(GET_META, [RETENTION_KEY]))?.value;
    return v ? Number(v) : DEFAULT_AUDIT_RETENTION_DAYS;
  }

  /** Changes the retention, records who did, and prunes what is now too old; answers how many entries went. */
  async setRetention(days: number, actorId: string, ip: string | null): Promise<number> {
    return this.store.write(async (tx) => {
      const previous = await this.retentionDays(tx);
      await tx.run(SET_META, [RETENTION_KEY, String(days)]);
      if (previous !== days) await this.record({ actorId, action: 'auditRetentionChanged', target: 'retention', details: { from: previous, to: days }, ip }, tx);
      return this.prune(Date.now(), tx);
    });
  }

  /** Deletes entries older than the retention; the only way an entry ever leaves the log. */
  async prune(now: number, sql: Sql = this.store): Promise<number> {
    this.lastPrune = now;
    return sql.run('DELETE FROM audit_log WHERE at < ?', [now - (await this.retentionDays(sql)) * DAY]);
  }

  /** One page, newest first. */
  async search(f: AuditFilters & { before?: AuditCursor; limit: number }): Promise<AuditPage> {
    const rows = await this.select(f, f.before, f.limit + 1);
    const more = rows.length > f.limit;
    const entries = rows.slice(0, f.limit).map(view);
    const last = entries[entries.length - 1];
    return { entries, next: more && last ? { at: last.at, id: last.id } : null };
  }

  /** The filtered log as CSV (newest first, at most 100,000 lines); the caller records the export. */
  async exportCsv(f: AuditFilters): Promise<{ csv: string; count: number }> {
    const entries = (await this.select(f, undefined, EXPORT_MAX)).map(view);
    const csv = Papa.unparse(
      {
        fields: ['time (UTC)', 'action', 'actor', 'actor id', 'target', 'target id', 'details', 'ip'],
        data: entries.map((e) => [new Date(e.at).toISOString(), e.action, e.actorName, e.actorId, e.targetName ?? '', e.target, detailsText(e.details), e.ip ?? '']),
      },
      // a cell starting with = + - @ is not run as a formula by a spreadsheet
      { escapeFormulae: true },
    );
    return { csv, count: entries.length };
  }

  private select(f: AuditFilters, before: AuditCursor | undefined, limit: number): Promise<Row[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (f.actorId !== undefined) add('a.actor_id = ?', f.actorId);
    if (f.action !== undefined) add('a.action = ?', f.action);
    if (f.from !== undefined) add('a.at >= ?', f.from);
    if (f.to !== undefined) add('a.at < ?', f.to);
    if (before) add('(a.at < ? OR (a.at = ? AND a.id < ?))', before.at, before.at, before.id);
    const sql =
      'SELECT a.id, a.at, a.action, a.actor_id AS "actorId", u.name AS "actorName", a.target, a.target_name AS "targetName", a.details, a.ip ' +
      'FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY a.at DESC, a.id DESC LIMIT ?';
    return this.store.all<Row>(sql, [...params, limit]);
  }
}

function view(r: Row): AuditEntryView {
  const details = r.details ? (JSON.parse(r.details) as AuditDetails) : {};
  // a failed sign-in with an unknown email has no actor: it is named by the email tried
  const actorName = r.actorName ?? (typeof details.email === 'string' ? details.email : r.actorId || 'unknown');
  return { id: r.id, at: r.at, action: r.action, actorId: r.actorId, actorName, target: r.target, targetName: r.targetName, details, ip: r.ip };
}

const detailsText = (d: AuditDetails): string =>
  Object.entries(d)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`)
    .join('; ');
