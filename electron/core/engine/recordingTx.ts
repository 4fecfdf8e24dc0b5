// A Tx over the replica that records each row's before-image in undo_log the first
// time a pending mutation touches it, so a poke can undo every optimistic effect.
import type { Statement } from 'better-sqlite3';
import type { RowOf, TableName } from '../../../shared/schema';
import type { RowStore } from '../../../shared/store/rowStore';
import type { Tx } from '../../../shared/tx';
import type { ChangeSet } from './changeSet';

export class RecordingTx implements Tx {
  private readonly seen = new Set<string>();

  constructor(
    private readonly store: RowStore,
    private readonly insertUndo: Statement,
    private readonly mutationId: number,
    private readonly changes: ChangeSet,
  ) {}

  get<T extends TableName>(table: T, id: string): RowOf<T> | undefined {
    return this.store.get(table, id);
  }

  find<T extends TableName>(table: T, where: Partial<RowOf<T>>): RowOf<T>[] {
    return this.store.find(table, where);
  }

  put<T extends TableName>(table: T, row: RowOf<T>): void {
    const id = (row as { id: string }).id;
    this.record(table, id);
    this.store.put(table, row);
  }

  del<T extends TableName>(table: T, id: string): void {
    this.record(table, id);
    this.store.del(table, id);
  }

  private record(table: TableName, id: string): void {
    this.changes.add(table, id);
    const key = `${table}\u0000${id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const before = this.store.get(table, id);
    this.insertUndo.run(this.mutationId, table, id, before === undefined ? null : JSON.stringify(before));
  }
}
