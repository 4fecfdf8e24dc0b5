import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { ConversationListItem } from '../../../shared/bridge';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';
import { JOURNEY_SIZE, journeyStep, type JourneyFixture } from './offlinePlan';

let org: TestOrg | null = null;
const cores: TestCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await org?.relay.close();
  org = null;
});

const root = resolve(import.meta.dirname, '../../..');
function runChild(dataDir: string, fixture: JourneyFixture, killAfter: number | null): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn(resolve(root, 'node_modules/.bin/tsx'), [resolve(import.meta.dirname, 'offlineChild.ts'), dataDir, JSON.stringify(fixture), String(JOURNEY_SIZE)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const steps = out.match(/^step \d+$/gm)?.length ?? 0;
      if (killAfter !== null && steps >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, out }));
  });
}

describe('offline journey', () => {
  it('200 mixed mutations offline, process killed mid-way, restarted: all applied once, in order; refusals reported', async () => {
    const relayDir = tempDir('parley-relay-');
    org = await startTestRelay({ dataDir: relayDir });
    const port = org.relay.port;
    const sales = org.groups.sales.id;
    const phones = ['+447700900510', '+447700900511', '+447700900512'];
    for (const p of phones) await org.relay.simulator.inbound({ groupId: sales, from: p, body: `hello from ${p}` });
    const dataDir = tempDir();
    const alice = newCore(dataDir);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    await waitFor(async () => (await alice.query('inbox', { view: 'team' })).total === 3, 'three conversations');
    const items = (await alice.query('inbox', { view: 'team' })).items as ConversationListItem[];
    const byPhone = (p: string) => items.find((i) => i.contactPhone === p)!;
    const fixture: JourneyFixture = { me: org.alice.id, bob: org.bob.id, groupId: sales, conversations: phones.map((p) => ({ id: byPhone(p).id, contactId: byPhone(p).contactId })) };
    const clientId = alice.impl.current!.replica.meta()!.clientId;
    await alice.close();
    await org.relay.close();

    const first = await runChild(dataDir, fixture, 90);
    expect(first.code, first.out).not.toBe(0); // killed
    const doneBefore = first.out.match(/^step \d+$/gm)?.length ?? 0;
    expect(doneBefore, first.out).toBeGreaterThanOrEqual(90);
    expect(doneBefore).toBeLessThan(JOURNEY_SIZE);
    const second = await runChild(dataDir, fixture, null);
    expect(second.out).toContain('done');
    expect(second.code).toBe(0);

    org = await startTestRelay({ dataDir: relayDir, port });
    // while the client was away, the second contact opted out: its SMS replies must be refused and reported
    await org.relay.simulator.inbound({ groupId: sales, from: phones[1]!, body: 'STOP' });
    const back = newCore(dataDir);
    cores.push(back);
    await back.start();
    await settled(back, 60_000);

    const store = org.relay.services.engine.store.rows;
    expect((await org.relay.services.engine.client(clientId))?.lastMutationId).toBe(JOURNEY_SIZE);
    const steps = Array.from({ length: JOURNEY_SIZE }, (_, i) => ({ i, s: journeyStep(fixture, i) }));
    const replies = steps.filter((x) => x.s.name === 'sendMessage');
    const okReplies = replies.filter((x) => (x.s.args as { conversationId: string }).conversationId === fixture.conversations[0]!.id);
    const refusedReplies = replies.filter((x) => !okReplies.includes(x));
    for (const x of okReplies) expect((await store.find('messages', { id: `j-msg-${x.i}` }))).toHaveLength(1);
    for (const x of refusedReplies) expect((await store.get('messages', `j-msg-${x.i}`))).toBeUndefined();
    const notes = steps.filter((x) => x.s.name === 'addNote');
    for (const x of notes) expect((await store.find('notes', { id: `j-note-${x.i}` }))).toHaveLength(1);
    // in order: the relay's timestamps follow the client's mutation order
    const relayOrder = (await store.find('messages', { conversationId: fixture.conversations[0]!.id })).filter((m) => m.id.startsWith('j-msg-')).sort((a, b) => a.createdAt - b.createdAt || a.version - b.version).map((m) => m.id);
    expect(relayOrder).toEqual(okReplies.map((x) => `j-msg-${x.i}`));
    const lastEdit = (c: number) => steps.filter((x) => x.s.name === 'updateContact' && (x.s.args as { id: string }).id === fixture.conversations[c]!.contactId).at(-1)!;
    expect((await store.get('contacts', fixture.conversations[0]!.contactId))?.notes).toBe(`edit ${lastEdit(0).i}`);
    const failures = await back.query('failures', {});
    expect(failures.map((f) => f.code)).toEqual(refusedReplies.map(() => 'opted_out'));
    expect(new Set(failures.map((f) => f.targetId))).toEqual(new Set([fixture.conversations[1]!.id]));
    // and the replica equals the relay for what the journey touched
    const mine = await back.query('conversation', { id: fixture.conversations[0]!.id });
    expect(mine?.messages.filter((m) => m.id.startsWith('j-msg-')).map((m) => m.id)).toEqual(relayOrder);
  });
});
