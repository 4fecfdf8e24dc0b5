// Presence over real WebSockets: who receives whose status, viewing and replying; a conversation's
// id never reaches anyone who may not read it (an outsider, a metadata-only admin); expiry on close;
// several sockets per user; the throttle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceUser } from '../../shared/protocol/index';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation, visibilityVersionOf } from './helpers';
import type { WsTestClient } from './wsClient';

const THROTTLE = 300;
let org: TestOrg;
let admin: WsTestClient;
let alice: WsTestClient;
let bob: WsTestClient;
let carol: WsTestClient;
beforeAll(async () => {
  org = await startTestRelay({ sync: { presenceThrottleMs: THROTTLE } });
  [admin, alice, bob, carol] = await Promise.all([connectAs(org, 'admin'), connectAs(org, 'alice'), connectAs(org, 'bob'), connectAs(org, 'carol')]);
});
afterAll(async () => {
  await Promise.all([admin, alice, bob, carol].map((c) => c.close()));
  await org.relay.close();
});

/** What `c` knows of `userId` now, from every presence frame it received. */
function presenceOf(c: WsTestClient, userId: string): PresenceUser | undefined {
  let out: PresenceUser | undefined;
  for (const f of c.all('presence')) {
    const u = f.users.find((x) => x.userId === userId);
    if (u) out = u;
    else if (f.full) out = undefined;
  }
  return out;
}

/** Waits (on frames, no sleeps) until what `c` knows of `userId` satisfies `pred`. */
async function until(c: WsTestClient, userId: string, pred: (u: PresenceUser | undefined) => boolean): Promise<PresenceUser | undefined> {
  if (pred(presenceOf(c, userId))) return presenceOf(c, userId);
  await c.waitFor('presence', () => pred(presenceOf(c, userId)));
  return presenceOf(c, userId);
}

const sendPresence = (c: WsTestClient, f: object) => c.sendRaw(JSON.stringify({ type: 'presence', ...f }));

describe('presence', () => {
  it('welcome says the relay serves presence; every user sees who is online', async () => {
    expect(alice.all('welcome')[0]?.presence).toBe(true);
    for (const c of [admin, bob, carol]) expect((await until(c, org.alice.id, (u) => u?.status === 'online'))?.status).toBe('online');
  });

  it('viewing and replying reach only those who may read the conversation', async () => {
    const { convId } = await salesConversation(org, admin, alice);
    // restricted to alice and bob: the admin keeps the metadata row only, carol is in another group
    const r = await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id, org.bob.id], assignees: [org.alice.id], baseVisibilityVersion: await visibilityVersionOf(org, convId) });
    expect(r.status).toBe('ok');
    const adminFrames = admin.frames.length;
    const carolFrames = carol.frames.length;

    sendPresence(alice, { viewing: convId });
    await until(bob, org.alice.id, (u) => u?.viewing.some((v) => v.conversationId === convId && !v.typing) === true);
    sendPresence(alice, { typing: true });
    await until(bob, org.alice.id, (u) => u?.viewing.some((v) => v.conversationId === convId && v.typing) === true);
    // the admin and carol get alice's status updates, never the conversation
    await until(admin, org.alice.id, (u) => u?.status === 'online');
    await until(carol, org.alice.id, (u) => u?.status === 'online');
    sendPresence(alice, { status: 'away' });
    await until(admin, org.alice.id, (u) => u?.status === 'away');
    await until(carol, org.alice.id, (u) => u?.status === 'away');
    expect(presenceOf(admin, org.alice.id)?.viewing).toEqual([]);
    expect(JSON.stringify(admin.frames.slice(adminFrames).filter((f) => f.type === 'presence'))).not.toContain(convId);
    expect(JSON.stringify(carol.frames.slice(carolFrames).filter((f) => f.type === 'presence'))).not.toContain(convId);

    // a user who may not read it cannot make the relay announce it either
    const aliceFrames = alice.frames.length;
    sendPresence(carol, { viewing: convId, typing: true, status: 'away' });
    await until(alice, org.carol.id, (u) => u?.status === 'away');
    expect(presenceOf(alice, org.carol.id)?.viewing).toEqual([]);
    // (alice's own entry may still arrive with what she views: only carol's entries count here)
    const carolEntries = alice.frames.slice(aliceFrames).flatMap((f) => (f.type === 'presence' ? f.users.filter((u) => u.userId === org.carol.id) : []));
    expect(carolEntries.length).toBeGreaterThan(0);
    expect(JSON.stringify(carolEntries)).not.toContain(convId);

    // a newcomer's snapshot follows the same rule
    const admin2 = await connectAs(org, 'admin');
    const bob2 = await connectAs(org, 'bob');
    await until(bob2, org.alice.id, (u) => u?.viewing.some((v) => v.conversationId === convId) === true);
    await until(admin2, org.alice.id, (u) => u !== undefined);
    expect(JSON.stringify(admin2.all('presence'))).not.toContain(convId);
    await Promise.all([admin2.close(), bob2.close()]);
    sendPresence(alice, { viewing: null, status: 'online' });
    sendPresence(carol, { viewing: null, status: 'online' });
    await until(bob, org.alice.id, (u) => u?.status === 'online' && u.viewing.length === 0);
  });

  it('a narrowed conversation leaves what a recipient who lost it knows of its viewers at once', async () => {
    const { convId } = await salesConversation(org, admin, alice);
    sendPresence(alice, { viewing: convId, typing: true });
    await until(bob, org.alice.id, (u) => u?.viewing.some((v) => v.conversationId === convId && v.typing) === true);
    // restricted to alice: bob may no longer read it, and alice keeps typing without a new update
    const r = await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [org.alice.id], baseVisibilityVersion: await visibilityVersionOf(org, convId) });
    expect(r.status).toBe('ok');
    const u = await until(bob, org.alice.id, (x) => x !== undefined && !x.viewing.some((v) => v.conversationId === convId));
    expect(u?.status).toBe('online');
    sendPresence(alice, { viewing: null });
  });

  it('a user is online while any socket is open, offline when the last one closes', async () => {
    const carol2 = await connectAs(org, 'carol');
    await carol.close();
    await until(bob, org.carol.id, (u) => u?.status === 'online');
    await carol2.close();
    expect((await until(bob, org.carol.id, (u) => u?.status === 'offline'))?.status).toBe('offline');
    expect(org.relay.services.hub.presence.stateOf(org.carol.id)).toBeNull();
    carol = await connectAs(org, 'carol');
    await until(bob, org.carol.id, (u) => u?.status === 'online');
  });

  it('throttles: a burst of updates goes out as at most one per window, the last state winning', async () => {
    const { convId } = await salesConversation(org, admin, alice);
    sendPresence(alice, { viewing: convId });
    await until(bob, org.alice.id, (u) => u?.viewing.some((v) => v.conversationId === convId) === true);
    const from = bob.frames.length;
    const times: number[] = [];
    bob.ws.on('message', (d: Buffer) => {
      const t = d.toString();
      if (t.startsWith('{"type":"presence"') && t.includes(org.alice.id)) times.push(Date.now());
    });
    for (let i = 0; i < 20; i++) sendPresence(alice, { typing: i % 2 === 0 });
    sendPresence(alice, { typing: true });
    await until(bob, org.alice.id, (u) => u?.viewing.some((v) => v.conversationId === convId && v.typing) === true);
    const about = bob.frames.slice(from).filter((f) => f.type === 'presence' && f.users.some((u) => u.userId === org.alice.id));
    expect(about.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(THROTTLE - 50) // receive-side jitter;
  });

  it('refuses a malformed presence frame with a sentence', async () => {
    sendPresence(bob, { viewing: 42 });
    const e = await bob.waitFor('error');
    expect(e.code).toBe('bad_frame');
  });
});
