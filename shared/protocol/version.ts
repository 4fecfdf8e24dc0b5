// Protocol versions: what each one added, which ones a relay serves, and how a frame is
// brought down to what an older client understands. The rules (docs/PROTOCOL.md, "Versioning"):
// - A client says its version in hello. The relay serves MIN_PROTOCOL_VERSION..PROTOCOL_VERSION
//   (the current and the previous one), so an app one release behind keeps working until it
//   updates. Older → `error {code: "client_too_old", minVersion}` and the socket closes.
//   Newer → `error {code: "protocol_version", maxVersion}`: the client says hello again with a
//   version the relay serves (a new app against an old relay), if it still speaks one.
// - From version 2 on, clients are tolerant: they ignore tables, fields and frame types they do
//   not know, and take an unknown result code as a refusal with the relay's message. So adding
//   a table, a field, a frame or a code needs no new version; changing or removing one does.
// - Version 1 clients parse strictly: the relay never sends them a table, a result code or a
//   frame type that version 1 did not have (`downgradeFrame`).
//
// History
//   1  0.1: hello/push/ping up; welcome/pushResult/poke/reset/error/pong down.
//   2  0.2: tolerant clients (above); hello.handledUpTo and welcome.rejected make refusals
//      durable (a refusal whose pushResult was lost is delivered again at the next welcome);
//      error codes client_too_old (with minVersion) and protocol_version with maxVersion.
//      Later, additive within 2 (no new version): the `presence` frame both ways and
//      welcome.presence (issue 13). A protocol 2 client ignores a frame type it does not know,
//      and sends `presence` up only to a relay whose welcome says presence: true, so an older
//      protocol 2 relay never sees one; protocol 1 clients never receive it (downgradeFrame).
import type { TableName } from '../schema';
import type { MutationErrorCode } from '../tx';

export const PROTOCOL_VERSION = 2;
/** The oldest client version this relay still serves. */
export const MIN_PROTOCOL_VERSION = 1;

/** The tables protocol 1 (Parley 0.1) knows: frozen. */
export const V1_TABLES: ReadonlySet<string> = new Set<TableName>([
  'users', 'groups', 'memberships', 'contacts', 'conversations', 'messages', 'notes', 'invoices', 'checkouts',
  'chats', 'chatMessages', 'readStates', 'broadcasts', 'broadcastRecipients',
]);

/** The mutation result codes protocol 1 knows: frozen. */
export const V1_RESULT_CODES: ReadonlySet<string> = new Set<MutationErrorCode>([
  'forbidden', 'not_found', 'invalid', 'unpaid_invoice', 'outstanding_invoice', 'opted_out',
  'whatsapp_window_closed', 'sms_no_attachments', 'assignee_not_visible', 'conflict', 'internal',
]);

/** The down frame types protocol 1 knows: frozen. */
export const V1_FRAME_TYPES: ReadonlySet<string> = new Set(['welcome', 'pushResult', 'poke', 'reset', 'error', 'pong']);

/** The error frame codes protocol 1 knows: frozen. */
export const V1_ERROR_CODES: ReadonlySet<string> = new Set([
  'bad_json', 'bad_frame', 'unknown_frame', 'protocol_version', 'unauthorized', 'token_expired', 'not_hello',
  'frame_too_large', 'mutation_order', 'unknown_mutation', 'deactivated', 'internal',
]);

interface FrameLike {
  type: string;
}

/**
 * The frame as a client of `version` may receive it, or null when it must not be sent at all.
 * Only version 1 needs this; from 2 on clients ignore what they do not know.
 */
export function downgradeFrame<F extends FrameLike>(frame: F, version: number): F | null {
  if (version >= 2) return frame;
  if (!V1_FRAME_TYPES.has(frame.type)) return null;
  const f = frame as FrameLike & Record<string, unknown>;
  if (f.type === 'poke') {
    const puts = f.puts as { t: string }[];
    const dels = f.dels as ({ t: string } | { scope: string })[];
    const keepPut = (p: { t: string }) => V1_TABLES.has(p.t);
    const keepDel = (d: { t: string } | { scope: string }) => !('t' in d) || V1_TABLES.has(d.t);
    if (puts.every(keepPut) && dels.every(keepDel)) return frame;
    return { ...frame, puts: puts.filter(keepPut), dels: dels.filter(keepDel) };
  }
  if (f.type === 'pushResult') {
    const results = f.results as { code?: string }[];
    if (results.every((r) => r.code === undefined || V1_RESULT_CODES.has(r.code))) return frame;
    return { ...frame, results: results.map((r) => (r.code === undefined || V1_RESULT_CODES.has(r.code) ? r : { ...r, code: 'invalid' })) };
  }
  if (f.type === 'error' && !V1_ERROR_CODES.has(f.code as string)) return { ...frame, code: 'internal' };
  return frame;
}
