// Assignment, visibility, archive, delete, notes and read marks.
import { ensure, ensureNew, mustGet, requireActor, unique } from '../domain/actor';
import { conversationName, recordActivity, recordAssignees, recordVisibility } from '../domain/activity';
import { ARCHIVE_BLOCKED_BY_INVOICE, DELETE_BLOCKED_BY_INVOICE, deleteConversationCascade, hasSentInvoice } from '../domain/conversations';
import {
  canArchive, canBeAssignedInGroup, canBeMentioned, canChangeVisibility, canDeleteConversation, canDeleteNote, canSeeChatMeta, canSeeConversation,
  canSeeConversationMeta, hasAdminRole, viewerFromTx, type Actor,
} from '../permissions';
import type { Conversation, RowOf } from '../schema';
import { MutationError, type ReadTx } from '../tx';
import { args } from './args';
import { defineMutator } from './define';

/**
 * The one answer for a conversation that does not exist AND for one the caller may not know of
 * (issue 10 item 17): nobody can probe for hidden conversations by id or by routing.
 */
export const NO_SUCH_CONVERSATION = 'That conversation does not exist or is not shared with you.';
/** An admin outside "Visible to" knows the conversation exists (metadata) but may not read or write in it. */
export const CONFIDENTIAL_CONVERSATION = 'This conversation is confidential: only the people it is visible to can read or write in it. An admin can add themselves from Manage conversation.';

/** The conversation whose metadata the actor may see (manage, archive, delete); hidden = unknown. */
export function knownConversation(tx: ReadTx, actor: Actor, id: string): Conversation {
  const c = tx.get('conversations', id);
  if (!c || !canSeeConversationMeta(actor, c)) throw new MutationError('not_found', NO_SUCH_CONVERSATION);
  return c;
}

/** The conversation, refused when missing or hidden (not_found) or content-confidential to the actor (forbidden). */
export function visibleConversation(tx: ReadTx, actor: Actor, id: string): Conversation {
  const c = knownConversation(tx, actor, id);
  if (!canSeeConversation(actor, c)) throw new MutationError('forbidden', CONFIDENTIAL_CONVERSATION);
  return c;
}

/**
 * A row under a conversation (note, invoice, checkout) the actor may act on: missing, or under a
 * conversation hidden from the actor, answers the same (`That note no longer exists.`).
 */
export function rowInVisibleConversation<T extends 'notes' | 'invoices' | 'checkouts'>(tx: ReadTx, actor: Actor, table: T, id: string, what: string): RowOf<T> {
  const row = mustGet(tx, table, id, what);
  const c = tx.get('conversations', row.conversationId);
  if (!c || !canSeeConversationMeta(actor, c)) throw new MutationError('not_found', `That ${what} no longer exists.`);
  if (!canSeeConversation(actor, c)) throw new MutationError('forbidden', CONFIDENTIAL_CONVERSATION);
  return row;
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
      const c = knownConversation(tx, actor, a.conversationId);
      // Absolute lists from an older view would silently undo a newer restriction (issue 10 item 4);
      // changes the saver made themselves since (several saves while offline) are no surprise to them.
      if (a.baseVisibilityVersion !== c.visibilityVersion && c.visibilityChangedBy !== actor.id) {
        throw new MutationError('stale', 'Who can see this conversation changed since you opened Manage conversation. Check the current lists and save again.');
      }
      ensure(a.visibleTo === null || a.visibleTo.length > 0, 'invalid', 'Choose at least one person, or make it visible to everyone.');
      const visibleTo = a.visibleTo === null ? null : unique(a.visibleTo);
      const assignees = unique(a.assignees);
      if (!sameList(visibleTo, c.visibleTo)) {
        ensure(canChangeVisibility(actor, c), 'forbidden', 'Only admins and assignees can change who sees this conversation.');
      }
      ensureEligible(tx, c.groupId, [...(visibleTo ?? []), ...assignees]);
      if (visibleTo) ensure(assignees.every((u) => visibleTo.includes(u)), 'assignee_not_visible', 'Assignees must be among the people the conversation is visible to.');
      const visibilityChanged = !sameList(visibleTo, c.visibleTo);
      // assigned by a person: it no longer waits for automatic assignment
      const next = { ...c, visibleTo, assignees, autoAssignWaiting: c.autoAssignWaiting && assignees.length === 0, visibilityChangedBy: visibilityChanged ? actor.id : c.visibilityChangedBy };
      const targetName = conversationName(tx, c);
      // An admin who gives themselves the content of a confidential conversation is recorded.
      if (hasAdminRole(actor) && !canSeeConversation(actor, c) && canSeeConversation(actor, next)) ctx.audit?.('grantSelfAccess', c.id, { targetName });
      tx.put('conversations', next);
      if (visibilityChanged) {
        const change = recordVisibility(tx, ctx, c.id, c.visibleTo, visibleTo);
        ctx.audit?.('visibilityChanged', c.id, { targetName, details: { ...change, everyone: visibleTo === null } });
      }
      recordAssignees(tx, ctx, c.id, c.assignees, assignees);
    },
  }),
  archiveConversation: defineMutator({
    args: args.archiveConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = knownConversation(tx, actor, a.conversationId);
      ensure(canArchive(actor, c), 'forbidden', 'Only assignees and admins can archive this conversation.');
      if (c.status === 'archived') return;
      ensure(!hasSentInvoice(tx, c.id), 'unpaid_invoice', ARCHIVE_BLOCKED_BY_INVOICE);
      tx.put('conversations', { ...c, status: 'archived', archivedAt: ctx.now });
      recordActivity(tx, ctx, c.id, 'archived');
    },
  }),
  unarchiveConversation: defineMutator({
    args: args.unarchiveConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = knownConversation(tx, actor, a.conversationId);
      if (c.status === 'open') return;
      // openedAt = now: new messages route here even if another conversation is open.
      tx.put('conversations', { ...c, status: 'open', archivedAt: null, openedAt: ctx.now });
      recordActivity(tx, ctx, c.id, 'unarchived');
    },
  }),
  deleteConversation: defineMutator({
    args: args.deleteConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensure(canDeleteConversation(actor), 'forbidden', 'Only admins can delete conversations.');
      const c = knownConversation(tx, actor, a.conversationId);
      ensure(!hasSentInvoice(tx, c.id), 'outstanding_invoice', DELETE_BLOCKED_BY_INVOICE);
      ctx.audit?.('conversationDeleted', c.id, { targetName: conversationName(tx, c) });
      const ids = deleteConversationCascade(tx, c.id);
      ctx.effect({ kind: 'attachmentsReleased', ids });
    },
  }),
  addNote: defineMutator({
    args: args.addNote,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const conv = visibleConversation(tx, actor, a.conversationId);
      ensureNew(tx, 'notes', a.id, 'note');
      const mentioned = unique(a.mentions ?? []).filter((u) => u !== actor.id);
      for (const userId of mentioned) {
        const user = tx.get('users', userId);
        const who = viewerFromTx(tx, userId);
        ensure(user && user.active && who, 'invalid', 'One of the people you mentioned does not exist or has been deactivated.');
        ensure(canBeMentioned(who, conv), 'mention_not_visible', `${user.name} cannot see this conversation, so they cannot be mentioned in it. Remove the mention, or give them access first.`);
      }
      tx.put('notes', { id: a.id, conversationId: a.conversationId, authorId: actor.id, body: a.body, createdAt: ctx.now, version: 0 });
      for (const userId of mentioned) {
        tx.put('mentions', { id: `${a.id}:${userId}`, noteId: a.id, conversationId: a.conversationId, userId, authorId: actor.id, createdAt: ctx.now, readAt: null, version: 0 });
      }
    },
  }),
  deleteNote: defineMutator({
    args: args.deleteNote,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const note = rowInVisibleConversation(tx, actor, 'notes', a.id, 'note');
      ensure(canDeleteNote(actor, note), 'forbidden', 'Only the author or an admin can delete this note.');
      for (const m of tx.find('mentions', { noteId: note.id })) tx.del('mentions', m.id);
      tx.del('notes', note.id);
    },
  }),
  markMentionsRead: defineMutator({
    args: args.markMentionsRead,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      for (const id of unique(a.ids)) {
        const m = tx.get('mentions', id);
        if (!m) continue; // deleted with its note or conversation meanwhile: nothing to mark
        ensure(m.userId === actor.id, 'forbidden', 'You can only mark your own mentions.');
        const readAt = a.read === false ? null : (m.readAt ?? ctx.now);
        if (readAt !== m.readAt) tx.put('mentions', { ...m, readAt });
      }
    },
  }),
  markRead: defineMutator({
    args: args.markRead,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const conv = tx.get('conversations', a.targetId);
      const chat = conv ? undefined : tx.get('chats', a.targetId);
      // missing and hidden answer alike
      const visible = conv ? canSeeConversationMeta(actor, conv) : chat ? canSeeChatMeta(actor, chat) : false;
      ensure(visible, 'not_found', 'That conversation or chat does not exist or is not shared with you.');
      tx.put('readStates', { id: `${actor.id}:${a.targetId}`, userId: actor.id, targetId: a.targetId, lastReadAt: a.at, version: 0 });
    },
  }),
};
