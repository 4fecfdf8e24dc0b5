// Presence fan-out cost (issue 14): an unchanged state is not sent again, the users changed in one
// turn go out in one frame per recipient, and each distinct frame is encoded once and its bytes
// shared. The real RelayPresence; sockets are presence's own socket interface, recording.
import { describe, expect, it } from 'vitest';
import type { PresenceDownFrame } from '../../shared/protocol/index';
import type { Viewer } from '../../shared/scopes';
import { RelayPresence, type PresenceSocket } from '../sync/presence';

interface Sent {
  frame: PresenceDownFrame;
  bytes: Buffer | null;
}
interface RecordingSocket extends PresenceSocket {
  sent: Sent[];
}

const SALES = 'group-sales';
const viewer = (id: string, role: 'agent' | 'admin' = 'agent'): Viewer => ({ id, role, groupIds: new Set([SALES]) });
function socket(v: Viewer): RecordingSocket {
  const sent: Sent[] = [];
  return {
    userId: v.id,
    viewer: v,
    sent,
    send: (frame) => void sent.push({ frame, bytes: null }),
    sendEncoded: (frame, bytes) => void sent.push({ frame, bytes }),
  };
}
const nextTurn = () => new Promise<void>((r) => setImmediate(r));
/** updates only: the full snapshot each socket gets when it opens is not an update */
const updates = (s: RecordingSocket) => s.sent.filter((x) => !x.frame.full);

function setup() {
  const watchers = [socket(viewer('bob')), socket(viewer('dana')), socket(viewer('admin', 'admin'))];
  const conversations = new Map([
    ['conv-open', { groupId: SALES, visibleTo: null }],
    ['conv-restricted', { groupId: SALES, visibleTo: ['alice', 'bob'] }],
  ]);
  const changes: string[] = [];
  const presence = new RelayPresence({
    recipients: () => watchers.map((w) => ({ viewer: w.viewer as Viewer, conns: [w] })),
    conversation: (id) => conversations.get(id),
    throttleMs: 0,
  });
  presence.onChange((u) => changes.push(u));
  return { presence, watchers, changes };
}

describe('presence fan-out', () => {
  it('users changed in one turn go out as one frame per recipient, its bytes shared by everyone who gets the same', async () => {
    const { presence, watchers } = setup();
    presence.open(socket(viewer('alice')));
    presence.open(socket(viewer('carol')));
    await nextTurn();
    for (const w of watchers) {
      expect(updates(w)).toHaveLength(1);
      expect(updates(w)[0]?.frame.users.map((u) => [u.userId, u.status])).toEqual([['alice', 'online'], ['carol', 'online']]);
    }
    // encoded once: the very same bytes for every recipient
    const bytes = watchers.map((w) => updates(w)[0]?.bytes);
    expect(bytes[0]).toBeInstanceOf(Buffer);
    expect(bytes[1]).toBe(bytes[0]);
    expect(bytes[2]).toBe(bytes[0]);
    expect(JSON.parse((bytes[0] as Buffer).toString('utf8'))).toEqual(updates(watchers[0] as RecordingSocket)[0]?.frame);
    presence.stop();
  });

  it('a second socket of a user already online, and its closing, send nothing', async () => {
    const { presence, watchers, changes } = setup();
    const alice1 = socket(viewer('alice'));
    presence.open(alice1);
    await nextTurn();
    const before = watchers.map((w) => updates(w).length);
    const alice2 = socket(viewer('alice'));
    presence.open(alice2);
    presence.close(alice2);
    await nextTurn();
    // the state was looked at (automatic assignment hears of it) and found the same
    expect(changes.filter((u) => u === 'alice').length).toBeGreaterThanOrEqual(2);
    expect(watchers.map((w) => updates(w).length)).toEqual(before);
    // a real change still goes out
    presence.update(alice1, { type: 'presence', status: 'away' });
    await nextTurn();
    for (const w of watchers) expect(updates(w).at(-1)?.frame.users).toEqual([{ userId: 'alice', status: 'away', viewing: [] }]);
    presence.close(alice1);
    await nextTurn();
    for (const w of watchers) expect(updates(w).at(-1)?.frame.users).toEqual([{ userId: 'alice', status: 'offline', viewing: [] }]);
    presence.stop();
  });

  it('recipients who may see different things get different frames; a restricted conversation reaches only its readers', async () => {
    const { presence, watchers } = setup();
    const [bob, dana, admin] = watchers as [RecordingSocket, RecordingSocket, RecordingSocket];
    const alice = socket(viewer('alice'));
    presence.open(alice);
    presence.update(alice, { type: 'presence', viewing: 'conv-restricted', typing: true });
    await nextTurn();
    expect(updates(bob).at(-1)?.frame.users[0]?.viewing).toEqual([{ conversationId: 'conv-restricted', typing: true }]);
    for (const w of [dana, admin]) {
      expect(updates(w).at(-1)?.frame.users[0]?.viewing).toEqual([]);
      expect((updates(w).at(-1)?.bytes as Buffer).toString('utf8')).not.toContain('conv-restricted');
    }
    // dana and the admin see the same, so they share bytes; bob's differ
    expect(updates(dana).at(-1)?.bytes).toBe(updates(admin).at(-1)?.bytes);
    expect(updates(bob).at(-1)?.bytes).not.toBe(updates(dana).at(-1)?.bytes);
    presence.stop();
  });

  it('a conversation whose audience changed is delivered again even though its viewer did not move', async () => {
    const { presence, watchers } = setup();
    const [bob] = watchers as [RecordingSocket];
    const alice = socket(viewer('alice'));
    presence.open(alice);
    presence.update(alice, { type: 'presence', viewing: 'conv-open' });
    await nextTurn();
    const n = updates(bob).length;
    presence.conversationsChanged(new Set(['conv-open']));
    await nextTurn();
    expect(updates(bob).length).toBe(n + 1);
    expect(updates(bob).at(-1)?.frame.users[0]?.viewing).toEqual([{ conversationId: 'conv-open', typing: false }]);
    presence.stop();
  });
});
