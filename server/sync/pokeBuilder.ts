// Collects the puts and dels of one poke for one client, keeping them consistent:
// the client applies dels first, then puts, so a later delete drops an earlier put.
import type { TableName, RowOf } from '../../shared/schema';
import type { RowDel, RowPut } from '../../shared/protocol/poke';
import { scopeOf } from '../../shared/scopes';
import { rowKey } from './changeSet';

/** What fan-out writes a poke's entries to: a builder, or a recorder replayed into builders. */
export interface PokeSink {
  put(t: TableName, r: RowOf<TableName>, scope?: string): void;
  del(t: TableName, id: string): void;
  delScope(scope: string): void;
}

/** Entries recorded in order, to be added to one or more builders later (no read in between). */
export class PokeRecorder implements PokeSink {
  private readonly ops: ((b: PokeSink) => void)[] = [];

  put(t: TableName, r: RowOf<TableName>, scope?: string): void {
    this.ops.push((b) => b.put(t, r, scope));
  }

  del(t: TableName, id: string): void {
    this.ops.push((b) => b.del(t, id));
  }

  delScope(scope: string): void {
    this.ops.push((b) => b.delScope(scope));
  }

  replay(b: PokeSink): void {
    for (const op of this.ops) op(b);
  }
}

export class PokeBuilder implements PokeSink {
  private readonly puts = new Map<string, { put: RowPut; scope: string }>();
  private readonly dels = new Map<string, RowDel>();

  put(t: TableName, r: RowOf<TableName>, scope: string = scopeOf(t, r)): void {
    const key = rowKey(t, (r as { id: string }).id);
    this.dels.delete(key);
    this.puts.set(key, { put: { t, r }, scope });
  }

  del(t: TableName, id: string): void {
    const key = rowKey(t, id);
    this.puts.delete(key);
    this.dels.set(key, { t, id });
  }

  delScope(scope: string): void {
    for (const [k, p] of this.puts) if (p.scope === scope) this.puts.delete(k);
    this.dels.set(`scope\u0000${scope}`, { scope });
  }

  get size(): number {
    return this.puts.size + this.dels.size;
  }

  /** Dels first, then puts, cut into parts of at most `partRows` entries. */
  parts(partRows: number): { puts: RowPut[]; dels: RowDel[] }[] {
    const out: { puts: RowPut[]; dels: RowDel[] }[] = [];
    let cur: { puts: RowPut[]; dels: RowDel[] } = { puts: [], dels: [] };
    let n = 0;
    const flush = () => {
      out.push(cur);
      cur = { puts: [], dels: [] };
      n = 0;
    };
    for (const d of this.dels.values()) {
      if (n >= partRows) flush();
      cur.dels.push(d);
      n++;
    }
    for (const p of this.puts.values()) {
      if (n >= partRows) flush();
      cur.puts.push(p.put);
      n++;
    }
    out.push(cur);
    return out;
  }
}
