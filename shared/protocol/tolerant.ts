// How a client (protocol 2 on) reads frames from a relay that may be newer than it: tables,
// fields, frame types and codes it does not know are left out or mapped, never a reason to
// drop the whole frame. Everything it does keep is still validated by the frame schemas.
import { tableNames, type TableName } from '../schema';
import { errorCodes } from '../tx';
import { downFrame, type DownFrame } from './frames';
import { protocolErrorCodes } from './error';
import type { RowPut } from './poke';

export type DownFrameParse =
  | { ok: true; frame: DownFrame; ignored: string[] }
  | { ok: false; ignored: string[]; reason: string };

const knownTables = new Set<string>(tableNames);
const knownResultCodes = new Set<string>(errorCodes);
const knownErrorCodes = new Set<string>(protocolErrorCodes);
/** the down frame types this build knows: the union's own members */
const knownTypes = new Set<string>(downFrame.options.map((o) => o.shape.type.value));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface ResultLike extends Obj {
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

/** An unknown status or code is a refusal that keeps the relay's own message. */
function tolerantResults(results: unknown, ignored: string[]): unknown {
  if (!Array.isArray(results)) return results;
  return results.map((r: unknown) => {
    if (!isObj(r)) return r;
    const x = r as ResultLike;
    const unknownStatus = x.status !== 'ok' && x.status !== 'rejected';
    const unknownCode = typeof x.code === 'string' && !knownResultCodes.has(x.code);
    if (!unknownStatus && !unknownCode) return r;
    ignored.push(`result code ${String(x.code ?? x.status)}`);
    const message = typeof x.message === 'string' && x.message ? x.message : `refused by the relay (${String(x.code ?? x.status)})`;
    return { ...x, status: 'rejected', code: 'invalid', message };
  });
}

export function parseDownFrame(json: unknown): DownFrameParse {
  const ignored: string[] = [];
  if (!isObj(json) || typeof json.type !== 'string') return { ok: false, ignored, reason: 'not a frame' };
  if (!knownTypes.has(json.type)) return { ok: false, ignored: [`frame ${json.type.slice(0, 40)}`], reason: 'unknown frame type' };
  let f: Obj = json;
  if (f.type === 'poke') {
    const puts = Array.isArray(f.puts) ? (f.puts as unknown[]) : f.puts;
    const dels = Array.isArray(f.dels) ? (f.dels as unknown[]) : f.dels;
    const known = (e: unknown) => {
      if (!isObj(e) || typeof e.t !== 'string' || knownTables.has(e.t)) return true;
      ignored.push(`table ${e.t.slice(0, 40)}`);
      return false;
    };
    f = { ...f, puts: Array.isArray(puts) ? puts.filter(known) : puts, dels: Array.isArray(dels) ? dels.filter(known) : dels };
  } else if (f.type === 'pushResult') {
    f = { ...f, results: tolerantResults(f.results, ignored) };
  } else if (f.type === 'welcome' && Array.isArray(f.rejected)) {
    f = { ...f, rejected: tolerantResults(f.rejected, ignored) };
  } else if (f.type === 'error' && typeof f.code === 'string' && !knownErrorCodes.has(f.code)) {
    ignored.push(`error code ${f.code.slice(0, 40)}`);
    f = { ...f, code: 'internal' };
  }
  // A poke's rows (up to thousands a part) are checked here, as `rowPut` would (a known table,
  // a plain object), at a fraction of the schema's per-key cost; the rest goes through the schema.
  let puts: RowPut[] | null = null;
  if (f.type === 'poke' && Array.isArray(f.puts)) {
    puts = checkedPuts(f.puts as unknown[]);
    if (!puts) return { ok: false, ignored, reason: 'a row put is not {t: <table>, r: {…}}' };
    f = { ...f, puts: [] };
  }
  const parsed = downFrame.safeParse(f);
  if (!parsed.success) return { ok: false, ignored, reason: parsed.error.message.slice(0, 500) };
  if (puts && parsed.data.type === 'poke') parsed.data.puts = puts;
  return { ok: true, frame: parsed.data, ignored: [...new Set(ignored)] };
}

const isPlainObject = (v: unknown): v is Obj => {
  if (!isObj(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** `rowPut.array().parse(puts)` with the same outcome (`{t, r}`, other keys left out), or null. */
export function checkedPuts(puts: unknown[]): RowPut[] | null {
  const out: RowPut[] = new Array<RowPut>(puts.length);
  for (let i = 0; i < puts.length; i++) {
    const p = puts[i];
    if (!isObj(p) || typeof p.t !== 'string' || !knownTables.has(p.t) || !isPlainObject(p.r)) return null;
    out[i] = { t: p.t as TableName, r: p.r };
  }
  return out;
}
