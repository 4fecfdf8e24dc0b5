// Collects the puts and dels of one poke for one client, keeping them consistent:
// the client applies dels first, then puts, so a later delete drops an earlier put.
import type { TableName, RowOf } from '../../shared/schema';
import type { RowDel, RowPut } from '../../shared/protocol/poke';
import { scopeOf } from '../../shared/scopes';
import { rowKey } from './changeSet';

export class PokeBuilder {
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
