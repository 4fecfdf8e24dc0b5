// Where attachment bytes live, by the sha256 of their content: files under <dataDir>/attachments
// on the SQLite relay; the `attachment_blobs` table (server/db/postgresOnly.ts) on PostgreSQL, so
// every relay of a cluster serves every attachment whichever relay received it. The metadata row
// (`attachments`: type, name, size, uploader) is the same on both.
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { RelayStore } from './store/types';

const ID = /^[0-9a-f]{64}$/;

export interface AttachmentBlobs {
  /** Keeps `bytes` under `id` (their sha256); nothing happens when it is there already. */
  put(id: string, bytes: Buffer): Promise<void>;
  /** The bytes, whole (providers sending media); undefined when absent. */
  read(id: string): Promise<Buffer | undefined>;
  /** The bytes to send in an HTTP response: a file stream or the stored bytes; undefined when absent. */
  body(id: string): Promise<Buffer | Readable | undefined>;
  remove(id: string): Promise<void>;
}

/** The attachment bytes of this relay's store. */
export function attachmentBlobs(store: RelayStore, dataDir: string): AttachmentBlobs {
  return store.dialect === 'postgres' ? databaseBlobs(store) : fileBlobs(join(dataDir, 'attachments'));
}

function fileBlobs(dir: string): AttachmentBlobs {
  const file = (id: string) => {
    if (!ID.test(id)) throw new Error('not an attachment id');
    return join(dir, id);
  };
  return {
    async put(id, bytes) {
      mkdirSync(dir, { recursive: true });
      if (!existsSync(file(id))) writeFileSync(file(id), bytes);
    },
    async read(id) {
      return ID.test(id) && existsSync(file(id)) ? readFileSync(file(id)) : undefined;
    },
    async body(id) {
      return ID.test(id) && existsSync(file(id)) ? createReadStream(file(id)) : undefined;
    },
    async remove(id) {
      if (ID.test(id)) rmSync(file(id), { force: true });
    },
  };
}

function databaseBlobs(store: RelayStore): AttachmentBlobs {
  const read = async (id: string) => {
    if (!ID.test(id)) return undefined;
    return (await store.get<{ bytes: Buffer }>('SELECT bytes FROM attachment_blobs WHERE sha256 = ?', [id]))?.bytes;
  };
  return {
    async put(id, bytes) {
      if (!ID.test(id)) throw new Error('not an attachment id');
      await store.run('INSERT INTO attachment_blobs (sha256, bytes) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING', [id, bytes]);
    },
    read,
    body: read,
    async remove(id) {
      if (ID.test(id)) await store.run('DELETE FROM attachment_blobs WHERE sha256 = ?', [id]);
    },
  };
}
