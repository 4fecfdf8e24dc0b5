// The relay's attachment store as providers use it: content-addressed bytes (server/attachmentBlobs.ts:
// files in the data dir, or the database on PostgreSQL) plus a row in the relay's `attachments`
// table, stored as POST /attachments stores them (server/attachmentsGc.ts storeAttachment), so
// inbound media downloads like any other attachment.
import type { ProviderAttachmentStore } from './deps';
import type { RelayStore } from '../store/types';
import { attachmentBlobs } from '../attachmentBlobs';
import { storeAttachment } from '../attachmentsGc';

const MAX_BYTES = 25 * 1024 * 1024;

export function relayAttachmentStore(db: RelayStore, dataDir: string): ProviderAttachmentStore {
  const blobs = attachmentBlobs(db, dataDir);
  return {
    async put(bytes, meta) {
      if (bytes.length > MAX_BYTES) throw new Error(`inbound media larger than ${MAX_BYTES} bytes`);
      const name = meta.name.replace(/[/\\]/g, '_').slice(0, 255) || 'file';
      const mime = meta.mime.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';
      // 'system': received from a provider, not uploaded by a user
      const id = await storeAttachment(db, dataDir, bytes, { mime, name, uploadedBy: 'system' });
      return { id, name, mime, size: bytes.length };
    },
    info: (id) => db.get<{ mime: string; name: string }>('SELECT mime, name FROM attachments WHERE sha256 = ?', [id]),
    read: (id) => blobs.read(id),
  };
}
