// The wire format of a commit notice between relays (issue 15): after a commit, the relay that
// committed publishes what changed on `parley.<orgKey>.commits`, and every other relay pokes its
// own sockets from it. A ChangeSet holds Maps and Sets; on the wire they are arrays (JSON), and
// every message is validated on receipt (zod) before a relay acts on it: rows against the synced
// table's row schema, scopes and audiences by shape. A change set that encodes over
// BIG_COMMIT_BYTES travels as its versions only (`big: true`): a receiver catches its sockets up
// from the database instead. Internal between relays of one organisation (docs/PROTOCOL.md
// "Between relays").
import { z } from 'zod';
import { rowSchema } from '../../shared/bridgeSchemas';
import { tableNameSchema } from '../../shared/protocol/common';
import type { Scope } from '../../shared/scopes';
import { rowKey, type Audience, type ChangeSet, type RowChange, type RowDelete, type VisibilityChange } from '../sync/changeSet';

/** wire format version of commit notices; a receiver refuses other versions (and catches up) */
export const COMMIT_WIRE_VERSION = 1;
/** encoded change sets over this travel as "version only" (NATS' default max payload is 1 MiB) */
export const BIG_COMMIT_BYTES = 256 * 1024;

/** `{"t":"labels","id":"x","scope":"org"}`: the least a put or a delete takes when encoded */
const MIN_ENTRY_BYTES = 36;

/** A commit as a relay learns it from another: its change set, or only its versions (big). */
export type CommitNotice =
  | { prev: number; version: number; big: false; changes: ChangeSet }
  | { prev: number; version: number; big: true };

const version = z.number().int().nonnegative();
const id = z.string().min(1).max(128);
const scope = z.custom<Scope>((v) => typeof v === 'string' && v.length <= 140 && /^(org|(conv|chat|user|group):.+)$/.test(v), 'not a scope');
const audience: z.ZodType<Audience> = z.union([
  z.strictObject({ kind: z.literal('conv'), groupId: id, visibleTo: z.array(id).nullable() }),
  z.strictObject({ kind: z.literal('chat'), members: z.array(id) }),
]);
const put = z.strictObject({ t: tableNameSchema, id, scope, row: z.record(z.string(), z.unknown()) });
const del = z.strictObject({ t: tableNameSchema, id, scope });
const versions = { v: z.literal(COMMIT_WIRE_VERSION), prev: version, version };

const wireSchema = z.union([
  z.strictObject({ ...versions, big: z.literal(true) }),
  z.strictObject({
    ...versions,
    puts: z.array(put),
    dels: z.array(del),
    visibility: z.array(z.tuple([scope, z.strictObject({ before: audience.nullable(), after: audience.nullable() })])),
    viewerChanges: z.array(id),
    deactivated: z.array(id),
  }),
]);
type Wire = z.infer<typeof wireSchema>;

export type DecodeResult = { ok: true; notice: CommitNotice } | { ok: false; error: string };

/**
 * The bytes to publish for a committed change set. `prev` is the organisation's version before
 * the commit (the version the writing transaction read under its lock). Over `maxBytes` the
 * notice is "version only".
 */
export function encodeCommit(changes: ChangeSet, prev: number, maxBytes = BIG_COMMIT_BYTES): Uint8Array {
  // every put or delete takes at least MIN_ENTRY_BYTES on the wire: a change set that cannot fit
  // is not encoded at all (a bulk import of 100,000 rows is never stringified just to be dropped)
  if ((changes.puts.size + changes.dels.size) * MIN_ENTRY_BYTES > maxBytes) return bigNotice(prev, changes.version);
  const wire: Wire = {
    v: COMMIT_WIRE_VERSION,
    prev,
    version: changes.version,
    puts: [...changes.puts.values()].map((p) => ({ t: p.t, id: p.id, scope: p.scope, row: p.row })),
    dels: [...changes.dels.values()].map((d) => ({ t: d.t, id: d.id, scope: d.scope })),
    visibility: [...changes.visibility].map(([s, vc]) => [s, { before: vc.before, after: vc.after }]),
    viewerChanges: [...changes.viewerChanges],
    deactivated: [...changes.deactivated],
  };
  const bytes = Buffer.from(JSON.stringify(wire), 'utf8');
  if (bytes.length <= maxBytes) return bytes;
  return bigNotice(prev, changes.version);
}

/** The "version only" notice: receivers catch up from the database to `version`. */
export function bigNotice(prev: number, version: number): Uint8Array {
  const wire: Wire = { v: COMMIT_WIRE_VERSION, prev, version, big: true };
  return Buffer.from(JSON.stringify(wire), 'utf8');
}

/** Parses and validates a notice; anything malformed is refused with a sentence (never thrown). */
export function decodeCommit(bytes: Uint8Array): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return { ok: false, error: 'the commit notice is not valid JSON' };
  }
  const parsed = wireSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `the commit notice is malformed (${describe(parsed.error.issues)})` };
  const w = parsed.data;
  if (w.version <= w.prev) return { ok: false, error: `the commit notice's version ${w.version} does not follow its previous version ${w.prev}` };
  if ('big' in w) return { ok: true, notice: { prev: w.prev, version: w.version, big: true } };
  const puts = new Map<string, RowChange>();
  for (const p of w.puts) {
    const row = rowSchema(p.t).safeParse(p.row);
    if (!row.success) return { ok: false, error: `the commit notice has a malformed ${p.t} row (${describe(row.error.issues)})` };
    puts.set(rowKey(p.t, p.id), { t: p.t, id: p.id, scope: p.scope, row: row.data });
  }
  const dels = new Map<string, RowDelete>();
  for (const d of w.dels) dels.set(rowKey(d.t, d.id), d);
  const visibility = new Map<Scope, VisibilityChange>(w.visibility);
  const changes: ChangeSet = { version: w.version, puts, dels, visibility, viewerChanges: new Set(w.viewerChanges), deactivated: new Set(w.deactivated) };
  return { ok: true, notice: { prev: w.prev, version: w.version, big: false, changes } };
}

/** The first few issues as "path: message" (a log line between relays, never shown to a person). */
function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'message'}: ${i.message}`)
    .join('; ');
}
