// Attachments: content-addressed upload with type/size limits; download only for those who may see a reference.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { attachmentBlobs } from '../attachmentBlobs';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs } from './helpers';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

async function upload(token: string, body: Buffer, mime: string, name = 'photo name.png'): Promise<Response> {
  return fetch(`${org.relay.httpUrl}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': mime, 'x-filename': encodeURIComponent(name) },
    body,
  });
}
const download = (token: string, id: string) => fetch(`${org.relay.httpUrl}/attachments/${id}`, { headers: { authorization: `Bearer ${token}` } });

describe('attachments', () => {
  it('uploads, limits and serves only to those who may see it', async () => {
    const alice = await org.login('alice@test.parley');
    const bob = await org.login('bob@test.parley');
    const carol = await org.login('carol@test.parley');
    const bytes = Buffer.from('\x89PNG fake image bytes');
    const res = await upload(alice.accessToken, bytes, 'image/png');
    expect(res.status).toBe(201);
    const ref = (await res.json()) as { id: string; name: string; mime: string; size: number };
    expect(ref).toEqual({ id: createHash('sha256').update(bytes).digest('hex'), name: 'photo name.png', mime: 'image/png', size: bytes.length });

    expect((await upload(alice.accessToken, Buffer.from('MZ'), 'application/x-msdownload')).status).toBe(415);
    expect((await upload(alice.accessToken, Buffer.alloc(25 * 1024 * 1024 + 1), 'application/pdf')).status).toBe(413);
    expect((await fetch(`${org.relay.httpUrl}/attachments`, { method: 'POST', body: bytes })).status).toBe(401);

    // the uploader may download; nobody else until a visible message references it
    const mine = await download(alice.accessToken, ref.id);
    expect(mine.status).toBe(200);
    expect(Buffer.from(await mine.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await download(bob.accessToken, ref.id)).status).toBe(404);

    const ws = await connectAs(org, 'alice');
    const chatId = uuidv7();
    expect((await ws.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id] })).status).toBe('ok');
    expect((await ws.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'look', attachments: [ref] })).status).toBe('ok');
    expect((await download(bob.accessToken, ref.id)).status).toBe(200);
    expect((await download(carol.accessToken, ref.id)).status).toBe(404);
    await ws.close();
  });

  it('forgets a file (its row and its bytes) once nothing references it', async () => {
    const admin = await org.login('admin@test.parley');
    const alice = await org.login('alice@test.parley');
    const bytes = Buffer.from(`%PDF-1.4 released ${uuidv7()}`);
    const ref = (await (await upload(admin.accessToken, bytes, 'application/pdf', 'released.pdf')).json()) as { id: string; name: string; mime: string; size: number };
    const { store } = org.relay.services.engine;
    const blobs = attachmentBlobs(store, org.relay.services.dataDir);
    expect((await blobs.read(ref.id))?.equals(bytes)).toBe(true);

    const ws = await connectAs(org, 'admin');
    const chatId = uuidv7();
    expect((await ws.mutate('createChat', { id: chatId, members: [org.admin.id, org.alice.id] })).status).toBe('ok');
    expect((await ws.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'keep this', attachments: [ref] })).status).toBe('ok');
    expect((await download(alice.accessToken, ref.id)).status).toBe(200);
    expect((await ws.mutate('deleteChat', { chatId })).status).toBe('ok');
    await org.relay.services.effects.idle();

    expect(await store.get('SELECT 1 AS y FROM attachments WHERE sha256 = ?', [ref.id])).toBeUndefined();
    expect(await blobs.read(ref.id)).toBeUndefined();
    expect((await download(admin.accessToken, ref.id)).status).toBe(404);
    await ws.close();
  });
});
