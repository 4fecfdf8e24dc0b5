// Presence (issue 13): other users' status on avatars, "Ben is viewing" / "Ben is replying…" in a
// conversation, this device's own presence (viewing, replying = a draft in progress, away when idle),
// and the "just replied — send anyway?" check (asked in dialogs/JustRepliedDialog.tsx). Ephemeral:
// the `presence` query reads the core's memory, never the replica.
import { useEffect } from 'react';
import { getBridge } from '../../bridge';
import type { ConversationDetail } from '../../../shared/bridge';
import { IDLE_AWAY_MS, JUST_REPLIED_MS, type PresenceUser } from '../../../shared/protocol/presence';
import { useDirectory } from '../lib/directory';
import { useBridgeQuery } from '../lib/queries';
import { useUi } from '../state/ui';

const setPresence = (p: { status?: 'online' | 'away'; viewing?: string | null; typing?: boolean }) => {
  void getBridge().command('setPresence', p).catch(() => undefined); // signed out: nothing to say
};

export function usePresence(): Map<string, PresenceUser> {
  const q = useBridgeQuery('presence', {});
  return new Map((q.data ?? []).map((u) => [u.userId, u]));
}

/** The status dot on a user's avatar (nothing for offline or unknown ids, e.g. contacts). */
export function PresenceDot({ userId }: { userId: string }) {
  const u = usePresence().get(userId);
  if (!u || u.status === 'offline') return null;
  return <span className={`presence-dot ${u.status}`} data-presence={u.status} aria-hidden="true" />;
}

/** This device is away when idle for IDLE_AWAY_MS, online again at the first input. Mount once. */
export function usePresenceIdle(): void {
  useEffect(() => {
    let away = false;
    let timer = setTimeout(idle, IDLE_AWAY_MS);
    function idle() {
      away = true;
      setPresence({ status: 'away' });
    }
    const active = () => {
      clearTimeout(timer);
      timer = setTimeout(idle, IDLE_AWAY_MS);
      if (away) {
        away = false;
        setPresence({ status: 'online' });
      }
    };
    const evs = ['pointermove', 'keydown', 'focus'] as const;
    for (const e of evs) window.addEventListener(e, active);
    return () => {
      clearTimeout(timer);
      for (const e of evs) window.removeEventListener(e, active);
    };
  }, []);
}

/**
 * In a conversation: says this device views it and replies (a draft in progress), and shows who
 * else does. The relay sends each viewer only to those who may read the conversation.
 */
export function ConversationPresence({ conversationId }: { conversationId: string }) {
  const typing = useUi((s) => (s.drafts[conversationId]?.text.trim().length ?? 0) > 0);
  useEffect(() => {
    setPresence({ viewing: conversationId });
    return () => setPresence({ viewing: null });
  }, [conversationId]);
  useEffect(() => setPresence({ typing }), [typing, conversationId]);
  const presence = usePresence();
  const { userName } = useDirectory();
  const here = [...presence.values()].flatMap((u) => u.viewing.filter((v) => v.conversationId === conversationId).map((v) => ({ id: u.userId, typing: v.typing })));
  if (here.length === 0) return null;
  return (
    <div className="conv-presence" role="status" aria-live="polite">
      {here.map((h) => (
        <span key={h.id} className={h.typing ? 'replying' : 'viewing'}>
          <span className={`presence-dot ${h.typing ? 'replying' : 'online'}`} aria-hidden="true" />
          {userName(h.id)} {h.typing ? 'is replying…' : 'is viewing'}
        </span>
      ))}
    </div>
  );
}

/**
 * Another user's outbound reply in the last JUST_REPLIED_MS, if any: a reply on top of it asks
 * first (JustRepliedDialog, the composer).
 */
export function justRepliedBefore(detail: ConversationDetail, me: string | undefined, now = Date.now()): { authorId: string; body: string } | null {
  const recent = detail.messages.filter((m) => m.direction === 'outbound' && m.authorId && m.authorId !== me && now - m.createdAt < JUST_REPLIED_MS);
  const last = recent[recent.length - 1];
  return last?.authorId ? { authorId: last.authorId, body: last.body } : null;
}
