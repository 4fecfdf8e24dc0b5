// Team chat: self, direct and group chats between users.
import { ensure, ensureNew, mustGet, requireActor, unique } from '../domain/actor';
import { previewOf } from '../domain/conversations';
import { canBeMentioned, canDeleteChat, canEditChat, canLeaveChat, canRemoveChatMember, canSeeChatMeta, canSeeConversation, canSeeConversationMeta, canSendChatMessage, viewerFromTx, type Actor } from '../permissions';
import type { Chat, ChatKind } from '../schema';
import { MutationError, type ReadTx, type Tx } from '../tx';
import { args } from './args';
import { defineMutator } from './define';

const sameMembers = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function ensureActiveUsers(tx: ReadTx, ids: string[]): void {
  for (const id of ids) {
    const u = tx.get('users', id);
    ensure(u && u.active, 'invalid', 'One of the chosen people does not exist or has been deactivated.');
  }
}

/** A chat about a conversation: every member must be allowed to see it (nothing leaks by invitation). */
function ensureMayDiscuss(tx: ReadTx, conversationId: string, userIds: string[]): void {
  const c = tx.get('conversations', conversationId);
  ensure(c, 'not_found', 'That conversation no longer exists.');
  for (const id of userIds) {
    const who = viewerFromTx(tx, id);
    const name = tx.get('users', id)?.name ?? 'Someone';
    ensure(who && canBeMentioned(who, c), 'mention_not_visible', `${name} cannot see this conversation, so they cannot join a chat about it.`);
  }
}

/** A chat the caller may know of (participants, admins: its metadata); any other answers like a missing one. */
function knownChat(tx: ReadTx, actor: Actor, chatId: string): Chat {
  const chat = tx.get('chats', chatId);
  if (!chat || !canSeeChatMeta(actor, chat)) throw new MutationError('not_found', 'That chat does not exist or is not shared with you.');
  return chat;
}

/** The chat, refused unless it is a group chat the actor is in. */
function editableChat(tx: ReadTx, actor: Actor, chatId: string): Chat {
  const chat = knownChat(tx, actor, chatId);
  ensure(chat.kind === 'group', 'invalid', 'Only group chats can be changed. Start a group chat to add people.');
  ensure(canEditChat(actor, chat), 'forbidden', 'Only members of this chat can change it.');
  return chat;
}

/** Deletes a chat and everything under it; returns the attachments it referenced. */
/** A chat without a title, as the audit log names it: its members. */
function chatMemberNames(tx: ReadTx, members: readonly string[]): string {
  return members.map((id) => tx.get('users', id)?.name ?? 'a former user').join(', ');
}

function deleteChatCascade(tx: Tx, chatId: string): string[] {
  const ids = new Set<string>();
  for (const m of tx.find('chatMessages', { chatId })) {
    for (const att of m.attachments) ids.add(att.id);
    tx.del('chatMessages', m.id);
  }
  for (const r of tx.find('readStates', { targetId: chatId })) tx.del('readStates', r.id);
  tx.del('chats', chatId);
  return [...ids].sort();
}

/** A member leaves or is removed: their read mark goes too; the relay scrubs the chat from their replica. */
function dropMember(tx: Tx, chat: Chat, userId: string, now: number): void {
  const members = chat.members.filter((m) => m !== userId);
  tx.del('readStates', `${userId}:${chat.id}`);
  tx.put('chats', { ...chat, members, lastActivityAt: Math.max(chat.lastActivityAt, now) });
}

export const chatMutators = {
  createChat: defineMutator({
    args: args.createChat,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensureNew(tx, 'chats', a.id, 'chat');
      const members = unique(a.members);
      ensure(members.includes(actor.id), 'invalid', 'You must be one of the chat members.');
      ensureActiveUsers(tx, members);
      if (a.conversationId) {
        const conv = tx.get('conversations', a.conversationId);
        if (!conv || !canSeeConversationMeta(actor, conv)) throw new MutationError('not_found', 'That conversation no longer exists.');
        ensure(canSeeConversation(actor, conv), 'forbidden', 'This conversation is confidential: only the people it is visible to can discuss it.');
        ensureMayDiscuss(tx, a.conversationId, members);
      }
      // a chat about a conversation is always a group chat (members can be added later)
      const kind: ChatKind = a.conversationId ? 'group' : members.length === 1 ? 'self' : members.length === 2 ? 'direct' : 'group';
      if (kind !== 'group') {
        const existing = tx.find('chats', { kind }).find((c) => sameMembers(c.members, members));
        ensure(!existing, 'conflict', kind === 'self' ? 'You already have a chat with yourself.' : 'A chat with this person already exists.');
      }
      tx.put('chats', {
        id: a.id, kind, title: kind === 'group' ? (a.title?.trim() || null) : null, members, createdBy: actor.id,
        createdAt: ctx.now, lastActivityAt: ctx.now, lastPreview: '', conversationId: a.conversationId ?? null, metaOnly: null, version: 0,
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
      // named by its title or members, never by what was said in it
      ctx.audit?.('chatDeleted', chat.id, { targetName: chat.title ?? chatMemberNames(tx, chat.members), details: { members: chat.members } });
      ctx.effect({ kind: 'attachmentsReleased', ids: deleteChatCascade(tx, chat.id) });
    },
  }),
  addChatMembers: defineMutator({
    args: args.addChatMembers,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const chat = editableChat(tx, actor, a.chatId);
      const added = unique(a.userIds).filter((id) => !chat.members.includes(id));
      ensure(added.length, 'invalid', 'Everyone chosen is already in this chat.');
      ensureActiveUsers(tx, added);
      if (chat.conversationId) ensureMayDiscuss(tx, chat.conversationId, added);
      tx.put('chats', { ...chat, members: [...chat.members, ...added], lastActivityAt: Math.max(chat.lastActivityAt, ctx.now) });
    },
  }),
  removeChatMember: defineMutator({
    args: args.removeChatMember,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const chat = editableChat(tx, actor, a.chatId);
      ensure(a.userId !== actor.id, 'invalid', 'To remove yourself, leave the chat.');
      ensure(chat.members.includes(a.userId), 'not_found', 'That person is no longer in this chat.');
      ensure(canRemoveChatMember(actor, chat), 'forbidden', 'Only the person who started this chat can remove people from it.');
      dropMember(tx, chat, a.userId, ctx.now);
    },
  }),
  renameChat: defineMutator({
    args: args.renameChat,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const chat = editableChat(tx, actor, a.chatId);
      tx.put('chats', { ...chat, title: a.title || null });
    },
  }),
  leaveChat: defineMutator({
    args: args.leaveChat,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const chat = knownChat(tx, actor, a.chatId);
      ensure(chat.kind === 'group', 'invalid', 'Only group chats can be left.');
      ensure(canLeaveChat(actor, chat), 'forbidden', 'You are not in this chat.');
      if (chat.members.length === 1) {
        // the last one out: nobody could read it any more
        ctx.effect({ kind: 'attachmentsReleased', ids: deleteChatCascade(tx, chat.id) });
        return;
      }
      dropMember(tx, chat, actor.id, ctx.now);
    },
  }),
};
