// Assignment, visibility, archive, delete, notes and read marks.
import { ensure, ensureNew, mustGet, requireActor, unique } from '../domain/actor';
import { ARCHIVE_BLOCKED_BY_INVOICE, DELETE_BLOCKED_BY_INVOICE, deleteConversationCascade, hasSentInvoice } from '../domain/conversations';
import { canArchive, canBeAssignedInGroup, canChangeVisibility, canDeleteConversation, canDeleteNote, canSeeChat, canSeeConversation, viewerFromTx, type Actor } from '../permissions';
import type { Conversation } from '../schema';
import { MutationError, type ReadTx } from '../tx';
import { args } from './args';
import { defineMutator } from './define';

/** The conversation, refused when missing or hidden from the actor. */
export function visibleConversation(tx: ReadTx, actor: Actor, id: string): Conversation {
  const c = mustGet(tx, 'conversations', id, 'conversation');
  if (!canSeeConversation(actor, c)) throw new MutationError('forbidden', 'You cannot see this conversation.');
  return c;
}

const sameList = (a: string[] | null, b: string[] | null) =>
  a === null || b === null ? a === b : a.length === b.length && a.every((x) => b.includes(x));

/** Assignees and visible-to users: active, and members of the group or admins. */
function ensureEligible(tx: ReadTx, groupId: string, userIds: string[]): void {
  for (const id of userIds) {
    const u = tx.get('users', id);
    const candidate = viewerFromTx(tx, id);
    ensure(u && u.active && candidate, 'invalid', 'One of the chosen people does not exist or has been deactivated.');
    ensure(canBeAssignedInGroup(candidate, groupId), 'invalid', `${u.name} is not a member of this conversation's group.`);
  }
}

export const conversationMutators = {
  manageConversation: defineMutator({
    args: args.manageConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = visibleConversation(tx, actor, a.conversationId);
      ensure(a.visibleTo === null || a.visibleTo.length > 0, 'invalid', 'Choose at least one person, or make it visible to everyone.');
      const visibleTo = a.visibleTo === null ? null : unique(a.visibleTo);
      const assignees = unique(a.assignees);
      if (!sameList(visibleTo, c.visibleTo)) {
        ensure(canChangeVisibility(actor, c), 'forbidden', 'Only admins and assignees can change who sees this conversation.');
      }
      ensureEligible(tx, c.groupId, [...(visibleTo ?? []), ...assignees]);
      if (visibleTo) ensure(assignees.every((u) => visibleTo.includes(u)), 'assignee_not_visible', 'Assignees must be among the people the conversation is visible to.');
      tx.put('conversations', { ...c, visibleTo, assignees });
    },
  }),
  archiveConversation: defineMutator({
    args: args.archiveConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = visibleConversation(tx, actor, a.conversationId);
      ensure(canArchive(actor, c), 'forbidden', 'Only assignees and admins can archive this conversation.');
      if (c.status === 'archived') return;
      ensure(!hasSentInvoice(tx, c.id), 'unpaid_invoice', ARCHIVE_BLOCKED_BY_INVOICE);
      tx.put('conversations', { ...c, status: 'archived', archivedAt: ctx.now });
    },
  }),
  unarchiveConversation: defineMutator({
    args: args.unarchiveConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = visibleConversation(tx, actor, a.conversationId);
      if (c.status === 'open') return;
      // openedAt = now: new messages route here even if another conversation is open.
      tx.put('conversations', { ...c, status: 'open', archivedAt: null, openedAt: ctx.now });
    },
  }),
  deleteConversation: defineMutator({
    args: args.deleteConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensure(canDeleteConversation(actor), 'forbidden', 'Only admins can delete conversations.');
      const c = mustGet(tx, 'conversations', a.conversationId, 'conversation');
      ensure(!hasSentInvoice(tx, c.id), 'outstanding_invoice', DELETE_BLOCKED_BY_INVOICE);
      const ids = deleteConversationCascade(tx, c.id);
      ctx.effect({ kind: 'attachmentsReleased', ids });
    },
  }),
  addNote: defineMutator({
    args: args.addNote,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      visibleConversation(tx, actor, a.conversationId);
      ensureNew(tx, 'notes', a.id, 'note');
      tx.put('notes', { id: a.id, conversationId: a.conversationId, authorId: actor.id, body: a.body, createdAt: ctx.now, version: 0 });
    },
  }),
  deleteNote: defineMutator({
    args: args.deleteNote,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const note = mustGet(tx, 'notes', a.id, 'note');
      visibleConversation(tx, actor, note.conversationId);
      ensure(canDeleteNote(actor, note), 'forbidden', 'Only the author or an admin can delete this note.');
      tx.del('notes', note.id);
    },
  }),
  markRead: defineMutator({
    args: args.markRead,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const conv = tx.get('conversations', a.targetId);
      const chat = conv ? undefined : tx.get('chats', a.targetId);
      ensure(conv || chat, 'not_found', 'That conversation or chat no longer exists.');
      const visible = conv ? canSeeConversation(actor, conv) : chat ? canSeeChat(actor, chat) : false;
      ensure(visible, 'forbidden', 'You cannot see this conversation.');
      tx.put('readStates', { id: `${actor.id}:${a.targetId}`, userId: actor.id, targetId: a.targetId, lastReadAt: a.at, version: 0 });
    },
  }),
};
