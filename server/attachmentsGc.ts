// The life of an attachment on the relay: stored (POST /attachments, provider media), referenced
// by messages, chat messages and canned responses, and deleted (its row and its bytes: a file, or
// a row on PostgreSQL) once released and referenced by nothing. Safe with uploads, pushes and GC
// running at once, on one relay or several on one database, because each step that decides runs
// in a write transaction of the store, and those are serialized (SQLite: one writer; PostgreSQL:
// the organisation's version row FOR UPDATE, every relay):
//  - storeAttachment writes the bytes first, outside the write lock (up to 25 MB), then in one
//    write transaction puts them again if the GC removed them meanwhile, and inserts the row;
//  - releaseAttachments checks the references and deletes the row in one write transaction (on
//    PostgreSQL the bytes too, same transaction); files are removed in a second write transaction,
//    only when no upload made the row again meanwhile;
//  - a pushed mutation naming attachments is refused, in its own transaction, when one has no row
//    (Engine.applyPushed → missingAttachment): uploaded earlier, released by the GC since, the
//    file is attached again instead of being sent without bytes.
// So a committed row always has its bytes, and a reference committed by a client always has its row.
import { createHash } from 'node:crypto';
import type { AttachmentRef } from '../shared/schema';
import { attachmentBlobs, isAttachmentId } from './attachmentBlobs';
import type { RelayStore, Sql } from './store/types';

export interface StoredAttachment {
  mime: string;
  name: string;
  /** a user's id, or 'system' for media received from a provider */
  uploadedBy: string;
}

/** Test seams: called between the steps whose interleaving with other writers matters. */
export interface AttachmentSeams {
  /** storeAttachment: the bytes are written, the row's transaction has not begun */
  afterBytes?: (id: string) => Promise<void>;
  /** releaseAttachments: the row's delete committed, the bytes are not removed yet */
  afterRowDelete?: (id: string) => Promise<void>;
}

/** Stores `bytes` and their row (kept as they are when the file is there already); returns the id (sha256). */
export async function storeAttachment(store: RelayStore, dataDir: string, bytes: Buffer, meta: StoredAttachment, seams: AttachmentSeams = {}): Promise<string> {
  const blobs = attachmentBlobs(store, dataDir);
  const id = createHash('sha256').update(bytes).digest('hex');
  await blobs.put(id, bytes);
  await seams.afterBytes?.(id);
  await store.write(async (tx) => {
    // a release of the same file may have removed them since: a row always has its bytes
    if (!(await blobs.has(id, tx))) await blobs.put(id, bytes, tx);
    await tx.run('INSERT INTO attachments (sha256, mime, size, name, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING', [
      id, meta.mime, bytes.length, meta.name, meta.uploadedBy, Date.now(),
    ]);
  });
  return id;
}

/** Deletes the attachments among `ids` that no message, chat message or canned response references. */
export async function releaseAttachments(store: RelayStore, dataDir: string, ids: string[], seams: AttachmentSeams = {}): Promise<void> {
  const blobs = attachmentBlobs(store, dataDir);
  for (const id of ids) {
    if (!isAttachmentId(id)) continue;
    const released = await store.write(async (tx) => {
      if (await referenced(tx, id)) return false;
      await tx.run('DELETE FROM attachments WHERE sha256 = ?', [id]);
      // rows of the database go with the row that describes them
      if (blobs.inDatabase) await blobs.remove(id, tx);
      return true;
    });
    if (!released) continue;
    await seams.afterRowDelete?.(id);
    if (blobs.inDatabase) continue;
    // a file is not part of the transaction: removed under the write lock, unless an upload of the
    // same file made its row again since the delete (the upload's transaction checked the file)
    await store.write(async (tx) => {
      if (!(await tx.get('SELECT 1 AS y FROM attachments WHERE sha256 = ?', [id]))) await blobs.remove(id);
    });
  }
}

async function referenced(sql: Sql, id: string): Promise<boolean> {
  const pattern = `%"${id}"%`;
  return !!(
    (await sql.get('SELECT 1 AS y FROM messages WHERE attachments LIKE ? LIMIT 1', [pattern])) ??
    (await sql.get('SELECT 1 AS y FROM chat_messages WHERE attachments LIKE ? LIMIT 1', [pattern])) ??
    (await sql.get('SELECT 1 AS y FROM canned_responses WHERE attachments LIKE ? LIMIT 1', [pattern]))
  );
}

/**
 * The first attachment a mutation's arguments name (`attachments`, as every mutation that
 * attaches files names them) that has no row, or undefined. Read in the mutation's transaction,
 * so the GC (same lock) either ran before, and the row is gone, or runs after and sees the reference.
 */
export async function missingAttachment(sql: Sql, args: unknown): Promise<AttachmentRef | undefined> {
  const refs = attachmentsOf(args);
  if (!refs.length) return undefined;
  const ids = [...new Set(refs.map((r) => r.id))];
  const found = await sql.all<{ sha256: string }>(`SELECT sha256 FROM attachments WHERE sha256 IN (${ids.map(() => '?').join(', ')})`, ids);
  const present = new Set(found.map((r) => r.sha256));
  return refs.find((r) => !present.has(r.id));
}

function attachmentsOf(args: unknown): AttachmentRef[] {
  if (typeof args !== 'object' || args === null || !('attachments' in args)) return [];
  const list: unknown = args.attachments;
  return Array.isArray(list) ? list.filter((r): r is AttachmentRef => typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string') : [];
}
