// Which rows a write touched, so the bridge's `changed` event lets the UI refetch only that.
import type { TableName } from '../../../shared/schema';

export class ChangeSet {
  readonly tables = new Set<TableName>();
  readonly ids = new Set<string>();

  add(table: TableName, id: string): void {
    this.tables.add(table);
    this.ids.add(id);
  }

  merge(other: ChangeSet): void {
    for (const t of other.tables) this.tables.add(t);
    for (const i of other.ids) this.ids.add(i);
  }

  get empty(): boolean {
    return this.tables.size === 0;
  }

  toEvent(): { type: 'changed'; tables: TableName[]; ids: string[] } {
    return { type: 'changed', tables: [...this.tables], ids: [...this.ids] };
  }
}
