// Where attachment bytes live, by the sha256 of their content: files under <dataDir>/attachments
// on the SQLite relay; the `attachment_blobs` table (server/db/postgresOnly.ts) on PostgreSQL, so
// every relay of a cluster serves every attachment whichever relay received it. The metadata row
// (`attachments`: type, name, size, uploader) is the same on both. Who writes and removes bytes,
// and in which transaction, is server/attachmentsGc.ts (uploads and the GC of released files).
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { RelayStore, Sql } from './store/types';

const ID = /^[0-9a-f]{64}$/;
/** Whether `id` can name an attachment (a sha256, lower-case hex). */
export const isAttachmentId = (id: string): boolean => ID.test(id);

export interface AttachmentBlobs {
  /**
   * True when the bytes are rows of the database (PostgreSQL): `put` and `remove` given a write
   * transaction's `sql` commit or roll back with it. Files (SQLite) are written at once.
   */
  readonly inDatabase: boolean;
  /** Keeps `bytes` under `id` (their sha256); nothing happens when it is there already. */
  put(id: string, bytes: Buffer, sql?: Sql): Promise<void>;
  /** Whether the bytes are there (read with `sql`: a write transaction's view, on PostgreSQL). */
  has(id: string, sql?: Sql): Promise<boolean>;
  /** The bytes, whole (providers sending media); undefined when absent. */
  read(id: string): Promise<Buffer | undefined>;
  /** The bytes to send in an HTTP response: a file stream or the stored bytes; undefined when absent. */
  body(id: string): Promise<Buffer | Readable | undefined>;
  remove(id: string, sql?: Sql): Promise<void>;
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
    inDatabase: false,
    async put(id, bytes) {
      if (existsSync(file(id))) return;
      mkdirSync(dir, { recursive: true });
      // whole or not at all under its name: a crash mid-write leaves a temporary file, never a short attachment
      const tmp = join(dir, `.${id}.${randomUUID()}.tmp`);
      writeFileSync(tmp, bytes);
      renameSync(tmp, file(id));
    },
    async has(id) {
      return ID.test(id) && existsSync(file(id));
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
    inDatabase: true,
    async put(id, bytes, sql = store) {
      if (!ID.test(id)) throw new Error('not an attachment id');
      await sql.run('INSERT INTO attachment_blobs (sha256, bytes) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING', [id, bytes]);
    },
    async has(id, sql = store) {
      return ID.test(id) && !!(await sql.get('SELECT 1 AS y FROM attachment_blobs WHERE sha256 = ?', [id]));
    },
    read,
    body: read,
    async remove(id, sql = store) {
      if (ID.test(id)) await sql.run('DELETE FROM attachment_blobs WHERE sha256 = ?', [id]);
    },
  };
}
