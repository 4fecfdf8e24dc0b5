// Desktop notifications: new inbound messages in conversations assigned to me, new
// team-chat messages from others, @mentions of me in notes. Never for what initial sync or a
// reset brings. A mention arrives only with a conversation this user may see (its scope).
import type { BridgeEvent } from '../../../shared/bridge';
import type { Replica } from '../db/replica';
import type { PokeOutcome } from '../engine/engine';
import { chatTitle } from './listItems';

const preview = (s: string) => (s.length > 140 ? s.slice(0, 139) + '…' : s);

export function notificationsFor(replica: Replica, me: string, rows: PokeOutcome['newRows']): BridgeEvent[] {
  const out: BridgeEvent[] = [];
  const store = replica.store;
  for (const n of rows) {
    if (n.table === 'messages') {
      const m = store.get('messages', n.id);
      if (!m || m.direction !== 'inbound') continue;
      const c = store.get('conversations', m.conversationId);
      if (!c || !c.assignees.includes(me)) continue;
      const who = store.get('contacts', c.contactId)?.name ?? 'New message';
      out.push({ type: 'notify', title: who, body: preview(m.body || (m.attachments.length ? 'Attachment' : '')), target: { kind: 'conversation', id: c.id } });
    } else if (n.table === 'mentions') {
      const m = store.get('mentions', n.id);
      if (!m || m.userId !== me || m.readAt !== null) continue;
      const c = store.get('conversations', m.conversationId);
      const note = store.get('notes', m.noteId);
      if (!c || !note) continue;
      const author = store.get('users', m.authorId)?.name ?? 'Someone';
      const about = store.get('contacts', c.contactId)?.name ?? 'a conversation';
      out.push({ type: 'notify', title: `${author} mentioned you · ${about}`, body: preview(note.body), target: { kind: 'conversation', id: c.id, noteId: note.id } });
    } else {
      const m = store.get('chatMessages', n.id);
      if (!m || m.authorId === me) continue;
      const chat = store.get('chats', m.chatId);
      if (!chat) continue;
      const author = store.get('users', m.authorId)?.name ?? 'Team chat';
      const title = chat.kind === 'group' ? `${author} in ${chatTitle(replica.db, me, chat.kind, chat.title, chat.members)}` : author;
      out.push({ type: 'notify', title, body: preview(m.body || 'Attachment'), target: { kind: 'chat', id: chat.id } });
    }
  }
  return out;
}
