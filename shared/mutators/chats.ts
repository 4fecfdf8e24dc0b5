// Team chat: self, direct and group chats between users.
import { ensure, ensureNew, mustGet, requireActor, unique } from '../domain/actor';
import { previewOf } from '../domain/conversations';
import { canDeleteChat, canSeeChatMeta, canSendChatMessage } from '../permissions';
import { MutationError } from '../tx';
import type { ChatKind } from '../schema';
import { args } from './args';
import { defineMutator } from './define';

const sameMembers = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export const chatMutators = {
  createChat: defineMutator({
    args: args.createChat,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensureNew(tx, 'chats', a.id, 'chat');
      const members = unique(a.members);
      ensure(members.includes(actor.id), 'invalid', 'You must be one of the chat members.');
      for (const id of members) {
        const u = tx.get('users', id);
        ensure(u && u.active, 'invalid', 'One of the chosen people does not exist or has been deactivated.');
      }
      const kind: ChatKind = members.length === 1 ? 'self' : members.length === 2 ? 'direct' : 'group';
      if (kind !== 'group') {
        const existing = tx.find('chats', { kind }).find((c) => sameMembers(c.members, members));
        ensure(!existing, 'conflict', kind === 'self' ? 'You already have a chat with yourself.' : 'A chat with this person already exists.');
      }
      tx.put('chats', {
        id: a.id, kind, title: kind === 'group' ? (a.title?.trim() || null) : null, members, createdBy: actor.id,
        createdAt: ctx.now, lastActivityAt: ctx.now, lastPreview: '', metaOnly: null, version: 0,
      });
    },
  }),
  sendChatMessage: defineMutator({
    args: args.sendChatMessage,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const found = tx.get('chats', a.chatId);
      // a chat the caller may not know of answers like a missing one
      if (!found || !canSeeChatMeta(actor, found)) throw new MutationError('not_found', 'That chat does not exist or is not shared with you.');
      const chat = found;
      ensure(canSendChatMessage(actor, chat), 'forbidden', 'This chat is private to its participants: only they can read or write in it.');
      const attachments = a.attachments ?? [];
      ensure(a.body.trim() || attachments.length, 'invalid', 'Write a message or add an attachment.');
      ensureNew(tx, 'chatMessages', a.id, 'message');
      tx.put('chatMessages', { id: a.id, chatId: chat.id, authorId: actor.id, body: a.body, attachments, createdAt: ctx.now, version: 0 });
      tx.put('chats', { ...chat, lastActivityAt: Math.max(chat.lastActivityAt, ctx.now), lastPreview: previewOf({ body: a.body, attachments, location: null }) });
    },
  }),
  deleteChat: defineMutator({
    args: args.deleteChat,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensure(canDeleteChat(actor), 'forbidden', 'Only admins can delete a team chat.');
      const chat = mustGet(tx, 'chats', a.chatId, 'chat');
      const ids = new Set<string>();
      for (const m of tx.find('chatMessages', { chatId: chat.id })) {
        for (const att of m.attachments) ids.add(att.id);
        tx.del('chatMessages', m.id);
      }
      for (const r of tx.find('readStates', { targetId: chat.id })) tx.del('readStates', r.id);
      tx.del('chats', chat.id);
      ctx.effect({ kind: 'attachmentsReleased', ids: [...ids].sort() });
    },
  }),
};
