// Deletes attachment files no message, chat message or canned response references any more.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db/open';

export function releaseAttachments(db: Db, dataDir: string, ids: string[]): void {
  for (const id of ids) {
    if (!/^[0-9a-f]{64}$/.test(id)) continue;
    const pattern = `%"${id}"%`;
    const used =
      db.prepare('SELECT 1 FROM messages WHERE attachments LIKE ? LIMIT 1').get(pattern) ??
      db.prepare('SELECT 1 FROM chat_messages WHERE attachments LIKE ? LIMIT 1').get(pattern) ??
      db.prepare('SELECT 1 FROM canned_responses WHERE attachments LIKE ? LIMIT 1').get(pattern);
    if (used) continue;
    db.prepare('DELETE FROM attachments WHERE sha256 = ?').run(id);
    rmSync(join(dataDir, 'attachments', id), { force: true });
  }
}
