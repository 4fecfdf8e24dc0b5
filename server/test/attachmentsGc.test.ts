// The GC of released attachments against uploads and messages that use the same file at the same
// time (content-addressed: a re-upload of a released file is the same id). Each interleaving is
// forced with the GC's test seam (between the row's delete and the bytes' removal), on a real relay.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { refusalSentence } from '../../shared/refusals';
import { attachmentBlobs } from '../attachmentBlobs';
import { releaseAttachments, storeAttachment } from '../attachmentsGc';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs } from './helpers';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

type Ref = { id: string; name: string; mime: string; size: number };
async function upload(token: string, bytes: Buffer): Promise<Ref> {
  const res = await fetch(`${org.relay.httpUrl}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'x-filename': 'quote.pdf' },
    body: bytes,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Ref;
}
const download = (token: string, id: string) => fetch(`${org.relay.httpUrl}/attachments/${id}`, { headers: { authorization: `Bearer ${token}` } });
const release = (ids: string[], afterRowDelete?: (id: string) => Promise<void>) =>
  releaseAttachments(org.relay.services.store, org.relay.services.dataDir, ids, { afterRowDelete });
const rowOf = (id: string) => org.relay.services.store.get('SELECT 1 AS y FROM attachments WHERE sha256 = ?', [id]);
const bytesOf = (id: string) => attachmentBlobs(org.relay.services.store, org.relay.services.dataDir).read(id);

describe('attachment GC against concurrent use', () => {
  it('keeps the bytes of a file uploaded again while the GC releases it', async () => {
    const alice = await org.login('alice@test.parley');
    const bytes = Buffer.from(`%PDF-1.4 re-uploaded ${uuidv7()}`);
    const ref = await upload(alice.accessToken, bytes);
    let again: Ref | undefined;
    // the GC found the file unreferenced and deleted its row; before its bytes go, the same file is uploaded again
    await release([ref.id], async () => {
      again = await upload(alice.accessToken, bytes);
    });
    expect(again?.id).toBe(ref.id);
    // the upload answered 201 with this id: its row and its bytes are there
    expect(await rowOf(ref.id)).toBeDefined();
    expect((await bytesOf(ref.id))?.equals(bytes)).toBe(true);
    const res = await download(alice.accessToken, ref.id);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('never lets a message commit with a file the GC is removing: it is refused in a sentence, and sent once uploaded again', async () => {
    const alice = await org.login('alice@test.parley');
    const bob = await org.login('bob@test.parley');
    const ws = await connectAs(org, 'alice');
    const chatId = uuidv7();
    expect((await ws.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id] })).status).toBe('ok');
    const bytes = Buffer.from(`%PDF-1.4 sent late ${uuidv7()}`);
    // uploaded earlier, sent later: meanwhile the GC releases the file (another message with it was deleted)
    const ref = await upload(alice.accessToken, bytes);
    let sent: Awaited<ReturnType<typeof ws.mutate>> | undefined;
    await release([ref.id], async () => {
      sent = await ws.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'the quote', attachments: [ref] });
    });
    // no message references a file whose bytes are gone
    const referencing = await org.relay.services.store.all('SELECT id FROM chat_messages WHERE attachments LIKE ?', [`%"${ref.id}"%`]);
    if (referencing.length) expect((await download(bob.accessToken, ref.id)).status).toBe(200);
    expect(sent).toMatchObject({ status: 'rejected', code: 'not_found' });
    // what the sender reads on the message's failure
    expect(refusalSentence(sent?.code, sent?.message)).toBe('The attached file "quote.pdf" is no longer on the server. Attach it again.');
    expect(referencing).toEqual([]);

    // attached again: sent, and a release while the message exists keeps it
    const again = await upload(alice.accessToken, bytes);
    expect((await ws.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'the quote', attachments: [again] })).status).toBe('ok');
    await release([again.id]);
    const res = await download(bob.accessToken, again.id);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(again.id);
    await ws.close();
  });
});

describe('storing against a release of the same file', () => {
  it('puts the bytes again when the GC removed them between the upload of the bytes and its row', async () => {
    const { store, dataDir } = org.relay.services;
    const bytes = Buffer.from(`%PDF-1.4 stored twice ${uuidv7()}`);
    const first = await storeAttachment(store, dataDir, bytes, { mime: 'application/pdf', name: 'a.pdf', uploadedBy: org.alice.id });
    // uploaded again: its bytes are there (nothing to write); before its row's transaction, the file is released
    const id = await storeAttachment(store, dataDir, bytes, { mime: 'application/pdf', name: 'a.pdf', uploadedBy: org.alice.id }, {
      afterBytes: async (id) => {
        await release([id]);
        expect(await rowOf(id)).toBeUndefined();
      },
    });
    expect(id).toBe(first);
    expect(await rowOf(id)).toBeDefined();
    expect((await bytesOf(id))?.equals(bytes)).toBe(true);
  });
});
