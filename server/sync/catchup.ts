// Catch-up from a client's cookie: what changed since, in the scopes its user sees; cookie null
// (empty replica) or reset: everything the user sees. Streamed: each step reads one bounded page
// by an indexed key (no statement stays open between steps, so commits go on meanwhile) and the
// connection asks for the next step only when its socket has drained. A row written while the
// stream runs may be sent at its newer version or not at all: the live poke of that commit is
// queued behind the stream on the same socket and carries it (or its delete) anyway.
import { scopeOf, type Viewer } from '../../shared/scopes';
import { tableNames, type RowOf, type TableName } from '../../shared/schema';
import type { RowDel, RowPut } from '../../shared/protocol/poke';
import { decodeRow, rowJsonSelect, rowJsonSupported, sqlNamesOf } from '../../shared/store/rowStore';
import type { Rows, Sql } from '../store/types';
import type { Engine } from './engine';
import { EncodedPart, type PartSource } from './connection';
import { encodePooled, SEND_POOL, type Pooled } from './bufferPool';
import { PokeBuilder } from './pokeBuilder';
import { metadataRowOf, ScopeCheck, scopeRows } from './visibility';

/** rows read from the database per step (a step reads, decodes, filters and encodes them: a few ms) */
export const PAGE_ROWS = 500;
/**
 * entries per streamed part: a part goes out as soon as it is full, so a stream waiting for its
 * turn holds less than this (1,000 streams of a reconnect storm hold 1,000 × this, not 1,000 syncs)
 */
export const STREAM_PART_ROWS = 500;
/**
 * bytes of entries per streamed part: a part (one WebSocket message) stays under V8's 128 KiB
 * limit for ordinary heap objects on both ends — a longer string (the relay's run of entries
 * made by SQLite, the client's decoded frame) is a large object with its own fresh mapping, ~1.5 ms
 * each on a machine where a page fault costs 15–19 µs (bench `machine`), 0.013 ms below it
 */
export const STREAM_PART_BYTES = 96 << 10;
/** what one entry of a table is taken to weigh until a run of it has been read */
const FIRST_ENTRY_BYTES = 2048;
const MAX_ROWID = Number.MAX_SAFE_INTEGER;

export interface CatchUpPlan {
  /** why the client must drop its replica first (a `reset` frame precedes the poke); null: incremental */
  reset: string | null;
  baseCookie: number | null;
}

export async function viewerVersion(sql: Sql, userId: string): Promise<number> {
  const r = await sql.get<{ version: number }>('SELECT version FROM viewer_versions WHERE user_id = ?', [userId]);
  return r?.version ?? 0;
}

/** Whether the cookie can be caught up from, or the client must reset; `current`: the version served. */
export async function planCatchUp(engine: Engine, viewer: Viewer, cookie: number | null, current = engine.version()): Promise<CatchUpPlan> {
  let reset: string | null = null;
  if (cookie !== null) {
    if (cookie > current) reset = 'cookie from another relay or database';
    else if (cookie < engine.minRetainedVersion()) reset = 'change log no longer reaches the cookie';
    else if ((await viewerVersion(engine.store, viewer.id)) > cookie) reset = 'your groups or role changed';
  }
  return { reset, baseCookie: reset ? null : cookie };
}

// Keysets by (version, rowid): SQLite's rowid is the table's physical order, so every page is an
// index range. (The PostgreSQL store runs these with its own row order column.) A page after the
// cursor (v, rid) is read as two ranges of the version index: the rest of version v by rowid, then
// the later versions. (SQLite does not range-scan an index by a row value `(version, rowid) > (?, ?)`
// with the implicit rowid: it scanned from the cookie again for every page, quadratic in the changes.)
interface Keyset {
  /** version = ? AND rowid > ?, by rowid */
  same: string;
  /** version > ?, by (version, rowid) */
  later: string;
}
const keyset = (select: string, from: string, v: string): Keyset => ({
  same: `SELECT ${select} FROM ${from} WHERE ${v} = ? AND rowid > ? ORDER BY rowid LIMIT ?`,
  later: `SELECT ${select} FROM ${from} WHERE ${v} > ? ORDER BY ${v}, rowid LIMIT ?`,
});
const ALL = new Map<TableName, string>();
const SINCE = new Map<TableName, Keyset>();
for (const t of tableNames) {
  const name = sqlNamesOf(t).table;
  ALL.set(t, `SELECT rowid AS _rid, * FROM "${name}" WHERE rowid > ? ORDER BY rowid LIMIT ?`);
  SINCE.set(t, keyset('rowid AS _rid, *', `"${name}"`, 'version'));
}
// SQLite: rows of every table but the scope roots (whose whole row decides access) are read in
// two queries: a page of the columns that name their scope, then, for the rows the viewer may
// read, their entries (`{"t":…,"r":{…}}`) made and joined by the database into one text per run,
// encoded at once into reusable send buffers (bufferPool.ts).
// The second takes only rows at a version the first saw: a row written in between (its scope
// maybe changed, or a new row under a reused rowid) has a newer version and is left to the live
// poke queued behind the stream. No row object or string is built per row (they were most of a full sync's CPU
// and garbage on the relay: ~1 KB of garbage per row, 8 GB in a reconnect storm of 1,000 sockets).
interface ScopeRow { _rid: number; _v: number }
const SCOPE_KEYS = ['id', 'conversationId', 'chatId', 'userId', 'groupId', 'ownerId'];
interface JsonQueries {
  all: string;
  since: Keyset;
  /** entries of the rows rowid in [?, ?] at version <= ?, joined by commas, in rowid order */
  range: string;
  /** entries of the rows whose rowids are in the JSON array ?, at version <= ?, joined by commas, in rowid order */
  list: string;
  /** the same in (version, rowid) order: a catch-up's pages go in that order */
  listSince: string;
}
const JSON_PAGES = new Map<TableName, JsonQueries>();
for (const t of tableNames) {
  if (t === 'conversations' || t === 'chats' || !rowJsonSupported(t)) continue;
  const name = sqlNamesOf(t).table;
  const scopeCols = SCOPE_KEYS.flatMap((k) => {
    const col = sqlNamesOf<TableName>(t, k as 'id').column;
    return col ? [`"${col}" AS "${k}"`] : [];
  });
  const select = ['rowid AS _rid', 'version AS _v', ...scopeCols].join(', ');
  const made = rowJsonSelect(t);
  if (!made.endsWith(' AS _json')) throw new Error(`unexpected row JSON select for ${t}`);
  const entry = `'{"t":${JSON.stringify(t)},"r":' || ${made.slice(0, -' AS _json'.length)} || '}'`;
  const joined = (order: string) => `SELECT group_concat(${entry}, ',' ORDER BY ${order}) AS j FROM "${name}"`;
  const listed = 'WHERE rowid IN (SELECT value FROM json_each(?)) AND version <= ?';
  JSON_PAGES.set(t, {
    all: `SELECT ${select} FROM "${name}" WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    since: keyset(select, `"${name}"`, 'version'),
    range: `${joined('rowid')} WHERE rowid >= ? AND rowid <= ? AND version <= ?`,
    list: `${joined('rowid')} ${listed}`,
    listSince: `${joined('version, rowid')} ${listed}`,
  });
}
const CONV_SCOPES = keyset('rowid AS rid, visibility_version AS v, id', 'conversations', 'visibility_version');
const CHAT_SCOPES = keyset('rowid AS rid, version AS v, scope', 'scope_versions', 'version');
const TOMBS = keyset('rowid AS rid, version AS v, table_name AS t, row_id AS id, scope, audience', 'tombstones', 'version');

/** Up to `n` rows after the cursor (curV, curRid) with version > since, in (version, rowid) order. */
async function keysetPage<T>(store: Sql, k: Keyset, since: number, curV: number, curRid: number, n: number): Promise<T[]> {
  const first = curV > since ? await store.all<T>(k.same, [curV, curRid, n]) : [];
  if (first.length >= n) return first;
  return first.concat(await store.all<T>(k.later, [Math.max(since, curV), n - first.length]));
}

type Phase = { kind: 'convScopes' | 'chatScopes' | 'tombs' } | { kind: 'rows'; table: TableName };

/** entries encoded so far: one, or several joined by commas (`n` of them), and their size */
interface Piece { json: string | Pooled; n: number; bytes: number }
/** a part being filled: dels go first in it, as the client applies them */
interface Part { puts: Piece[]; dels: string[]; rows: number; bytes: number }
const emptyPart = (): Part => ({ puts: [], dels: [], rows: 0, bytes: 0 });
const pooledBytes = (p: Pooled): number => p.views.reduce((n, v) => n + v.length, 0);

/**
 * The rows of a catch-up (since = cookie) or full set (since = null) for one viewer, produced in
 * steps of at most PAGE_ROWS rows read; a part of at most STREAM_PART_ROWS entries and about
 * STREAM_PART_BYTES goes out as soon as it is full (`more: true`), the rest when the stream ends
 * (the last part, maybe empty, lacks `more`).
 */
export class CatchUpStream implements PartSource {
  done = false;
  private readonly check: ScopeCheck;
  private readonly rows: Rows;
  private readonly phases: Phase[];
  private phase = 0;
  /** keyset cursor within the phase: (version, rowid) or (-, rowid) */
  private curV = 0;
  private curRid = 0;
  /** scopes sent whole (audience changed since the cookie): their rows are not sent again */
  private readonly whole = new Set<string>();
  /** scopes whose metadata row was sent (a viewer who may not read them): sent once */
  private readonly metaSent = new Set<string>();
  /**
   * entries are encoded as they are read, so a step's cost stays a page's, not a part's, into the
   * part being filled; parts filled in a step go out at its end
   */
  private open: Part = emptyPart();
  private full: Part[] = [];
  /** average bytes of an entry of each table, from the runs read so far */
  private readonly entryBytes = new Map<TableName, number>();
  /** rows read so far, for metrics and tests */
  rowsRead = 0;

  constructor(
    private readonly engine: Engine,
    viewer: Viewer,
    private readonly since: number | null,
    private readonly partRows = STREAM_PART_ROWS,
    private readonly partBytes = STREAM_PART_BYTES,
  ) {
    this.rows = engine.store.rows;
    this.check = new ScopeCheck(this.rows, viewer);
    const rows = tableNames.map((table): Phase => ({ kind: 'rows', table }));
    this.phases = since === null ? rows : [{ kind: 'convScopes' }, { kind: 'chatScopes' }, { kind: 'tombs' }, ...rows];
    this.resetCursor();
  }

  async step(): Promise<EncodedPart[]> {
    if (this.done) return [];
    const p = this.phases[this.phase];
    if (p) {
      if (await this.runPage(p)) {
        this.phase++;
        this.resetCursor();
      }
    }
    if (this.phase >= this.phases.length) this.done = true;
    return this.cut();
  }

  private resetCursor(): void {
    this.curV = this.since ?? 0;
    this.curRid = this.since === null ? 0 : MAX_ROWID;
  }

  /** One page of the phase; true when the phase is finished. */
  private async runPage(p: Phase): Promise<boolean> {
    const since = this.since ?? -1;
    const store = this.engine.store;
    switch (p.kind) {
      case 'rows': {
        if (store.dialect === 'sqlite' && JSON_PAGES.has(p.table)) return this.runJsonPage(p.table, since);
        // one page read whole, the scopes it names checked at once, then a loop with no read
        const raws =
          this.since === null
            ? await store.all<Record<string, unknown>>(ALL.get(p.table) as string, [this.curRid, PAGE_ROWS])
            : await keysetPage<Record<string, unknown>>(store, SINCE.get(p.table) as Keyset, since, this.curV, this.curRid, PAGE_ROWS);
        const page = raws.map((raw) => {
          this.curRid = raw._rid as number;
          this.curV = raw.version as number;
          const r = decodeRow(p.table, raw);
          this.check.learnRoot(p.table, r);
          return { r, scope: scopeOf(p.table, r) };
        });
        await this.check.prefetch(page.filter((x) => !this.whole.has(x.scope)).map((x) => x.scope));
        const metas: string[] = [];
        for (const { r, scope } of page) {
          if (this.whole.has(scope)) continue;
          const access = this.check.known(scope);
          if (access === 'content') this.put({ t: p.table, r });
          else if (access === 'meta') metas.push(scope); // any change under it may change what the metadata says
        }
        for (const scope of metas) await this.putMeta(scope);
        this.rowsRead += raws.length;
        return raws.length < PAGE_ROWS;
      }
      case 'convScopes':
      case 'chatScopes': {
        // whole scopes are small next to a page; a handful of them per step
        const n = 50;
        const list = await keysetPage<{ rid: number; v: number; id?: string; scope?: string }>(store, p.kind === 'convScopes' ? CONV_SCOPES : CHAT_SCOPES, since, this.curV, this.curRid, n);
        for (const c of list) {
          this.curRid = c.rid;
          this.curV = c.v;
          const scope = c.scope ?? `conv:${c.id ?? ''}`;
          this.whole.add(scope);
          const access = await this.check.access(scope);
          if (access === 'content') {
            for (const { t, r } of await scopeRows(this.rows, scope)) {
              this.put({ t, r });
              this.rowsRead++;
            }
          } else {
            // gone, or now metadata only: the replica drops (and scrubs) what it held; dels go first
            this.del({ scope });
            if (access === 'meta') await this.putMeta(scope);
          }
        }
        return list.length < n;
      }
      case 'tombs': {
        const list = await keysetPage<{ rid: number; v: number; t: TableName; id: string; scope: string; audience: string | null }>(store, TOMBS, since, this.curV, this.curRid, PAGE_ROWS);
        await this.check.prefetch(list.map((x) => x.scope));
        for (const tomb of list) {
          this.curRid = tomb.rid;
          this.curV = tomb.v;
          if (tomb.audience) {
            // A deleted conversation or chat: tell everyone, whatever its audience at deletion. A user
            // it was restricted away from while offline still holds it (the conversation row, and with
            // it its visibilityVersion, is gone). Scope ids are opaque UUIDs: the cost is a few ids.
            if (this.check.known(tomb.scope) !== 'content') this.del({ scope: tomb.scope });
          } else if (this.check.known(tomb.scope) === 'content' && (await this.rows.get(tomb.t, tomb.id)) === undefined) {
            this.del({ t: tomb.t, id: tomb.id });
          }
        }
        this.rowsRead += list.length;
        return list.length < PAGE_ROWS;
      }
    }
  }

  /**
   * A page of a table whose entries SQLite makes (JSON_PAGES): only rows whose scopes were checked,
   * at the version checked; true when the phase is finished.
   */
  private async runJsonPage(table: TableName, since: number): Promise<boolean> {
    const store = this.engine.store;
    const q = JSON_PAGES.get(table) as JsonQueries;
    const raws =
      this.since === null
        ? await store.all<ScopeRow>(q.all, [this.curRid, PAGE_ROWS])
        : await keysetPage<ScopeRow>(store, q.since, since, this.curV, this.curRid, PAGE_ROWS);
    const last = raws[raws.length - 1];
    if (last) {
      this.curRid = last._rid;
      this.curV = last._v;
    }
    // the row's scope columns came as plain columns under their keys
    const scopes = raws.map((raw) => scopeOf(table, raw as unknown as RowOf<TableName>));
    await this.check.prefetch(scopes.filter((s) => !this.whole.has(s)));
    const visible: number[] = [];
    const metas: string[] = [];
    let seen = 0;
    raws.forEach((raw, i) => {
      if (raw._v > seen) seen = raw._v;
      const scope = scopes[i] as string;
      if (this.whole.has(scope)) return;
      const access = this.check.known(scope);
      if (access === 'content') visible.push(raw._rid);
      else if (access === 'meta') metas.push(scope);
    });
    // every row of a full sync's page: a range of rowids; else (a catch-up's page in version
    // order, or rows the viewer may not read) the rowids themselves. Runs end where parts do.
    const whole = this.since === null && visible.length === raws.length;
    for (let i = 0; i < visible.length; ) {
      // as many entries as the part being filled has room for, by count and by their expected size
      const weight = this.entryBytes.get(table) ?? FIRST_ENTRY_BYTES;
      if (!this.fits(1, weight)) this.closePart();
      const room = Math.max(1, Math.min(this.partRows - this.open.rows, Math.floor((this.partBytes - this.open.bytes) / weight)));
      const run = visible.slice(i, i + room);
      i += run.length;
      const r = whole
        ? await store.get<{ j: string | null }>(q.range, [run[0], run[run.length - 1], seen])
        : await store.get<{ j: string | null }>(this.since === null ? q.list : q.listSince, [JSON.stringify(run), seen]);
      // at most run.length entries (fewer when rows were written or deleted in between); encoded
      // at once into send buffers (the string dies before anything else is allocated)
      if (r?.j) {
        const pooled = encodePooled(SEND_POOL, r.j);
        const bytes = pooledBytes(pooled);
        this.entryBytes.set(table, bytes / run.length);
        this.putPiece(pooled, run.length, bytes);
      }
    }
    for (const scope of metas) await this.putMeta(scope);
    this.rowsRead += raws.length;
    return raws.length < PAGE_ROWS;
  }

  private async putMeta(scope: string): Promise<void> {
    if (this.metaSent.has(scope)) return;
    this.metaSent.add(scope);
    const m = await metadataRowOf(this.rows, scope);
    if (m) this.put({ t: m.t, r: m.r });
  }

  private put(p: RowPut): void {
    const json = JSON.stringify(p);
    this.putPiece(json, 1, json.length);
  }

  /** Into the part being filled, or a new one when it has no room (a piece is never split). */
  private putPiece(json: string | Pooled, n: number, bytes: number): void {
    this.room(n, bytes).puts.push({ json, n, bytes });
  }

  private del(d: RowDel): void {
    const json = JSON.stringify(d);
    this.room(1, json.length).dels.push(json);
  }

  /** The part that takes `n` entries of `bytes` (the one being filled, or a new one), counted in it. */
  private room(n: number, bytes: number): Part {
    if (!this.fits(n, bytes)) this.closePart();
    this.open.rows += n;
    this.open.bytes += bytes;
    return this.open;
  }

  /** Whether the part being filled takes `n` more entries of `bytes` (an empty part takes anything). */
  private fits(n: number, bytes: number): boolean {
    return this.open.rows === 0 || (this.open.rows + n <= this.partRows && this.open.bytes + bytes <= this.partBytes);
  }

  private closePart(): void {
    this.full.push(this.open);
    this.open = emptyPart();
  }

  /** Full parts go out at once; everything left once the stream is done. */
  private cut(): EncodedPart[] {
    const out = this.full.map((p) => partChunks(p.puts, p.dels, true));
    this.full = [];
    if (this.done) {
      out.push(partChunks(this.open.puts, this.open.dels, false));
      this.open = emptyPart();
    } else this.poolPending();
    return out;
  }

  /**
   * Entries encoded one by one (scope roots, metadata rows) that wait for their part beyond this
   * step go into a send buffer together: as strings they lived long enough to be promoted.
   */
  private poolPending(): void {
    const out: Piece[] = [];
    let strings: string[] = [];
    let n = 0;
    let bytes = 0;
    const flush = () => {
      if (strings.length === 1) out.push({ json: strings[0] as string, n, bytes });
      else if (strings.length > 1) out.push({ json: encodePooled(SEND_POOL, strings.join(',')), n, bytes: bytes + strings.length - 1 });
      strings = [];
      n = 0;
      bytes = 0;
    };
    // runs of them, in their order
    for (const p of this.open.puts) {
      if (typeof p.json === 'string') {
        strings.push(p.json);
        n += p.n;
        bytes += p.bytes;
      } else {
        flush();
        out.push(p);
      }
    }
    flush();
    this.open.puts = out;
  }
}

/**
 * `{"puts":[…],"dels":[…]}` as chunks: the runs SQLite made stay in their send buffers (they go to
 * the socket as they are, and back to the pool once written), the small pieces between them are
 * joined.
 */
function partChunks(puts: readonly { json: string | Pooled }[], dels: readonly string[], more: boolean): EncodedPart {
  const chunks: Buffer[] = [];
  const pooled: (Buffer | null)[] = [];
  let text = '{"puts":[';
  puts.forEach((p, i) => {
    if (i > 0) text += ',';
    if (typeof p.json === 'string') text += p.json;
    else {
      chunks.push(Buffer.from(text));
      pooled.push(null);
      chunks.push(...p.json.views);
      pooled.push(...p.json.chunks);
      text = '';
    }
  });
  chunks.push(Buffer.from(`${text}],"dels":[${dels.join(',')}]}`));
  pooled.push(null);
  return new EncodedPart(chunks, more, pooled);
}

/** The whole catch-up at once, into one builder: tests and tools (the relay streams it). */
export async function catchUp(engine: Engine, viewer: Viewer, cookie: number | null): Promise<CatchUpPlan & { builder: PokeBuilder }> {
  const plan = await planCatchUp(engine, viewer, cookie);
  const stream = new CatchUpStream(engine, viewer, plan.baseCookie);
  const builder = new PokeBuilder();
  while (!stream.done) {
    for (const part of await stream.step()) {
      const p = JSON.parse(part.body.toString('utf8')) as { puts: RowPut[]; dels: RowDel[] };
      for (const d of p.dels) {
        if ('scope' in d) builder.delScope(d.scope);
        else builder.del(d.t, d.id);
      }
      for (const x of p.puts) builder.put(x.t, x.r as RowOf<TableName>);
    }
  }
  return { ...plan, builder };
}
