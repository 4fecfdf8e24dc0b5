// The relay's Tx: a RowStore that stamps every written row with the transaction's
// version (one bump per mutation), keeps conversations' visibilityVersion, writes
// tombstones for deletes and records the change set for poke fan-out.
import type { RowOf, TableName } from '../../shared/schema';
import { scopeOf } from '../../shared/scopes';
import type { Tx } from '../../shared/tx';
import type { SyncRows } from '../store/types';
import { audienceOf, emptyChangeSet, rowKey, sameAudience, type ChangeSet } from './changeSet';

const TOMBSTONE =
  'INSERT INTO tombstones (table_name, row_id, scope, version, audience) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (table_name, row_id) DO UPDATE SET scope = excluded.scope, version = excluded.version, audience = excluded.audience';
const SCOPE_VERSION = 'INSERT INTO scope_versions (scope, version) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET version = excluded.version';
const VIEWER_VERSION = 'INSERT INTO viewer_versions (user_id, version) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET version = excluded.version';

/**
 * Runs synchronously inside `WriteTx.sync` (server/store/types.ts): everything it reads and
 * writes goes through `SyncRows`, so a run that is repeated (PostgreSQL) does the same again.
 */
export class ServerTx implements Tx {
  readonly changes: ChangeSet = emptyChangeSet();

  /** `version` is the version this transaction commits at (current global version + 1). */
  constructor(
    private readonly store: SyncRows,
    readonly version: number,
    /** ids for new rows, replayed identically when the run is repeated */
    readonly newId: () => string,
    /** the transaction's time (ms since epoch), the same on every run */
    readonly now: number,
  ) {}

  /** A relay-only write (credentials, timers…) in this transaction, in portable SQL. */
  exec(sql: string, params?: readonly unknown[]): void {
    this.store.exec(sql, params);
  }

  count<T extends TableName>(table: T, where: Partial<RowOf<T>>): number {
    return this.store.count(table, where);
  }

  get<T extends TableName>(table: T, id: string): RowOf<T> | undefined {
    return this.store.get(table, id);
  }

  find<T extends TableName>(table: T, where: Partial<RowOf<T>>): RowOf<T>[] {
    return this.store.find(table, where);
  }

  put<T extends TableName>(table: T, row: RowOf<T>): void {
    const id = (row as { id: string }).id;
    const stamped = { ...row, version: this.version } as RowOf<T>;
    const needsPrev = table === 'conversations' || table === 'chats' || table === 'users' || table === 'memberships';
    const prev = needsPrev ? this.store.get(table, id) : undefined;
    if (table === 'conversations') this.stampConversation(stamped as RowOf<'conversations'>, prev as RowOf<'conversations'> | undefined);
    if (table === 'chats' && prev && !sameAudience(audienceOf(table, prev), audienceOf(table, stamped))) {
      this.noteVisibility(table, id, prev, stamped);
      this.store.exec(SCOPE_VERSION, [`chat:${id}`, this.version]);
    }
    if (table === 'users') {
      const p = prev as RowOf<'users'> | undefined;
      const n = stamped as RowOf<'users'>;
      if (p && (p.role !== n.role || p.active !== n.active)) this.noteViewer(id);
      if (p?.active && !n.active) this.changes.deactivated.add(id);
    }
    if (table === 'memberships' && !prev) this.noteViewer((stamped as RowOf<'memberships'>).userId);
    this.store.put(table, stamped);
    const key = rowKey(table, id);
    this.changes.dels.delete(key);
    this.changes.puts.set(key, { t: table, id, scope: scopeOf(table, stamped), row: stamped });
  }

  del<T extends TableName>(table: T, id: string): void {
    const prev = this.store.get(table, id);
    if (!prev) return;
    this.store.del(table, id);
    const scope = scopeOf(table, prev);
    const key = rowKey(table, id);
    this.changes.puts.delete(key);
    this.changes.dels.set(key, { t: table, id, scope });
    const audience = audienceOf(table, prev);
    if (audience) {
      const v = this.changes.visibility.get(scope);
      this.changes.visibility.set(scope, { before: v ? v.before : audience, after: null });
    }
    if (table === 'memberships') this.noteViewer((prev as RowOf<'memberships'>).userId);
    this.store.exec(TOMBSTONE, [table, id, scope, this.version, audience ? JSON.stringify(audience) : null]);
  }

  private stampConversation(row: RowOf<'conversations'>, prev: RowOf<'conversations'> | undefined): void {
    if (!prev) return;
    if (sameAudience(audienceOf('conversations', prev), audienceOf('conversations', row))) {
      row.visibilityVersion = prev.visibilityVersion;
      return;
    }
    row.visibilityVersion = this.version;
    this.noteVisibility('conversations', row.id, prev, row);
  }

  private noteVisibility(table: 'conversations' | 'chats', id: string, prev: RowOf<TableName>, next: RowOf<TableName>): void {
    const scope = table === 'conversations' ? (`conv:${id}` as const) : (`chat:${id}` as const);
    const v = this.changes.visibility.get(scope);
    this.changes.visibility.set(scope, { before: v ? v.before : audienceOf(table, prev), after: audienceOf(table, next) });
  }

  private noteViewer(userId: string): void {
    this.changes.viewerChanges.add(userId);
    this.store.exec(VIEWER_VERSION, [userId, this.version]);
  }

  /** Whether anything was written (a version is consumed only then). */
  get wrote(): boolean {
    return this.changes.puts.size > 0 || this.changes.dels.size > 0;
  }
}
