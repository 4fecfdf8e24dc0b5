// Deletes attachments (their row and their bytes: a file, or a row on PostgreSQL) no message,
// chat message or canned response references any more.
import type { RelayStore } from './store/types';
import { attachmentBlobs } from './attachmentBlobs';

export async function releaseAttachments(db: RelayStore, dataDir: string, ids: string[]): Promise<void> {
  const blobs = attachmentBlobs(db, dataDir);
  for (const id of ids) {
    if (!/^[0-9a-f]{64}$/.test(id)) continue;
    const pattern = `%"${id}"%`;
    const used =
      (await db.get('SELECT 1 AS y FROM messages WHERE attachments LIKE ? LIMIT 1', [pattern])) ??
      (await db.get('SELECT 1 AS y FROM chat_messages WHERE attachments LIKE ? LIMIT 1', [pattern])) ??
      (await db.get('SELECT 1 AS y FROM canned_responses WHERE attachments LIKE ? LIMIT 1', [pattern]));
    if (used) continue;
    await db.run('DELETE FROM attachments WHERE sha256 = ?', [id]);
    await blobs.remove(id);
  }
}
