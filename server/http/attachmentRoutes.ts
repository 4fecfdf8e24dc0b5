// POST /attachments (content-addressed upload) and GET /attachments/:id (permission-checked download).
import { httpApi, type AttachmentUploaded } from '../../shared/http';
import { ScopeCheck, loadViewer } from '../sync/visibility';
import { attachmentBlobs } from '../attachmentBlobs';
import { storeAttachment } from '../attachmentsGc';
import type { Services } from '../services';
import { HttpError, readBody, sendJson, type Router } from './router';

export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
const ALLOWED = [
  /^image\/(png|jpeg|gif|webp|heic|heif)$/,
  /^application\/pdf$/,
  /^application\/(msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.[a-z.]+|vnd\.oasis\.opendocument\.[a-z.]+|rtf)$/,
  /^text\/(plain|csv|markdown)$/,
  /^audio\/(mpeg|mp4|ogg|aac|amr|wav|webm)$/,
  /^video\/(mp4|3gpp|quicktime|webm)$/,
];

export function attachmentRoutes(router: Router, svc: Services): void {
  // files in the data dir (SQLite) or rows of the database (PostgreSQL: every relay serves every file)
  const blobs = attachmentBlobs(svc.store, svc.dataDir);
  router.route(httpApi.uploadAttachment, { auth: 'user' }, async ({ req, res, user }) => {
    const mime = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!ALLOWED.some((r) => r.test(mime))) throw new HttpError(415, 'unsupported_type', `files of type ${mime || 'unknown'} cannot be attached`);
    const name = safeName(String(req.headers['x-filename'] ?? 'file'));
    const body = await readBody(req, MAX_ATTACHMENT_BYTES);
    if (body.length === 0) throw new HttpError(400, 'invalid', 'empty file');
    // bytes, then the row in a write transaction that puts them again if a release removed them meanwhile
    const id = await storeAttachment(svc.store, svc.dataDir, body, { mime, name, uploadedBy: user.id });
    sendJson(res, 201, { id, name, mime, size: body.length } satisfies AttachmentUploaded);
  });

  router.route(httpApi.downloadAttachment, { auth: 'user' }, async ({ res, params, user }) => {
    const id = params[0] as string;
    if (!/^[0-9a-f]{64}$/.test(id)) throw new HttpError(404, 'not_found', 'no such attachment');
    const meta = await svc.store.get<{ mime: string; size: number; name: string; uploadedBy: string }>(
      'SELECT mime, size, name, uploaded_by AS "uploadedBy" FROM attachments WHERE sha256 = ?',
      [id],
    );
    if (!meta || !(await mayDownload(svc, user.id, id, meta.uploadedBy))) throw new HttpError(404, 'not_found', 'no such attachment');
    const bytes = await blobs.body(id);
    if (!bytes) throw new HttpError(404, 'not_found', 'no such attachment');
    void res
      .code(200)
      .headers({
        'content-type': meta.mime,
        'content-length': meta.size,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
        'x-content-type-options': 'nosniff',
      })
      .send(bytes);
  });
}

function safeName(encoded: string): string {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    throw new HttpError(400, 'invalid', 'X-Filename must be URL-encoded');
  }
  // no path separators or control characters in a stored file name
  const cleaned = [...name].map((ch) => (ch === '/' || ch === '\\' || ch.charCodeAt(0) < 32 ? '_' : ch)).join('');
  return cleaned.slice(0, 255) || 'file';
}

/** The uploader, or whoever may see a message / chat message / canned response that references the file. */
async function mayDownload(svc: Services, userId: string, id: string, uploadedBy: string): Promise<boolean> {
  if (uploadedBy === userId) return true;
  const viewer = await loadViewer(svc.store.rows, userId);
  if (!viewer) return false;
  const check = new ScopeCheck(svc.store.rows, viewer);
  const pattern = `%"${id}"%`;
  const convs = await svc.store.all<{ id: string }>('SELECT DISTINCT conversation_id AS id FROM messages WHERE attachments LIKE ?', [pattern]);
  for (const c of convs) if (await check.canSee(`conv:${c.id}`)) return true;
  const chats = await svc.store.all<{ id: string }>('SELECT DISTINCT chat_id AS id FROM chat_messages WHERE attachments LIKE ?', [pattern]);
  for (const c of chats) if (await check.canSee(`chat:${c.id}`)) return true;
  const canned = await svc.store.all<{ ownerId: string | null; groupId: string | null }>(
    'SELECT owner_id AS "ownerId", group_id AS "groupId" FROM canned_responses WHERE attachments LIKE ?',
    [pattern],
  );
  for (const r of canned) if (await check.canSee(r.ownerId ? `user:${r.ownerId}` : `group:${r.groupId ?? ''}`)) return true;
  return false;
}
