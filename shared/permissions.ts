// Who may do what: predicates over rows and an Actor, used by the mutators (which
// refuse) and by the UI (which hides or disables). One source of truth.
//
// The rules (decided; the mutators implement exactly these):
// - Admins may do everything an agent may, plus the admin-only things. A deactivated
//   user (users.active = false) may do nothing. "Member" = has a memberships row for
//   the conversation's group.
// - Contacts: create/update: any active user. delete, merge, import, defaults,
//   opt-out: admins only.
// - Conversations: see = admin, or member and (visibleTo null or includes them).
//   Manage (assign): anyone who can see. Change visibleTo: admins and current
//   assignees. Archive: assignees and admins (refused while an invoice is sent).
//   Unarchive: anyone who can see. Delete: admins only (refused while an invoice is sent).
// - Messages: sender is a member of the group or an admin, and can see an existing
//   conversation.
// - Notes: anyone who can see; delete: the author or an admin.
// - Invoices: create/send: anyone who can see; mark paid: admins; void: admins or
//   the creator. Checkouts: create: anyone who can see; mark paid: admins; expire:
//   admins or the creator.
// - Team chat: members send; admins delete; see = members and admins.
// - Broadcast: members of the group and admins.
// - Administration (groups, members, user active/role): admins only, never on themselves
//   for active/role.
import type { Checkout, Conversation, Invoice, Note, Role } from './schema';
import { canSeeChat as canSeeChatScope, canSeeConversation as canSeeConversationScope, type Viewer } from './scopes';
import type { ReadTx } from './tx';

export type { Viewer } from './scopes';

/** A Viewer that may also be deactivated: every predicate below refuses an inactive actor. */
export interface Actor extends Viewer {
  active: boolean;
}

/** Builds the acting user from the database; undefined when the user does not exist. */
export function viewerFromTx(tx: ReadTx, userId: string): Actor | undefined {
  const user = tx.get('users', userId);
  if (!user) return undefined;
  const groupIds = new Set(tx.find('memberships', { userId }).map((m) => m.groupId));
  return { id: user.id, role: user.role, active: user.active, groupIds };
}

const isActive = (v: Viewer): boolean => (v as Partial<Actor>).active !== false;
export const isAdmin = (v: Viewer): boolean => isActive(v) && v.role === 'admin';
export const isRole = (v: Viewer, role: Role): boolean => isActive(v) && v.role === role;

export function canSeeConversation(v: Viewer, c: Pick<Conversation, 'groupId' | 'visibleTo'>): boolean {
  return isActive(v) && canSeeConversationScope(v, c);
}
export function canSeeChat(v: Viewer, c: { members: string[] }): boolean {
  return isActive(v) && canSeeChatScope(v, c);
}
export function isMemberOrAdmin(v: Viewer, groupId: string): boolean {
  return isActive(v) && (v.role === 'admin' || v.groupIds.has(groupId));
}
export const canSendInGroup = isMemberOrAdmin;
export const canBroadcast = isMemberOrAdmin;

type ConvAccess = Pick<Conversation, 'groupId' | 'visibleTo' | 'assignees'>;
const isAssignee = (v: Viewer, c: ConvAccess) => c.assignees.includes(v.id);

/** Open "Manage conversation" and change assignees. */
export const canManage = (v: Viewer, c: ConvAccess): boolean => canSeeConversation(v, c);
export const canChangeVisibility = (v: Viewer, c: ConvAccess): boolean =>
  canSeeConversation(v, c) && (v.role === 'admin' || isAssignee(v, c));
export const canArchive = (v: Viewer, c: ConvAccess): boolean =>
  canSeeConversation(v, c) && (v.role === 'admin' || isAssignee(v, c));
export const canUnarchive = (v: Viewer, c: ConvAccess): boolean => canSeeConversation(v, c);
export const canDelete = (v: Viewer): boolean => isAdmin(v);
export const canDeleteConversation = canDelete;
export const canAddNote = (v: Viewer, c: ConvAccess): boolean => canSeeConversation(v, c);
export const canDeleteNote = (v: Viewer, n: Pick<Note, 'authorId'>): boolean => isActive(v) && (v.role === 'admin' || n.authorId === v.id);
export const canCreateInvoice = (v: Viewer, c: ConvAccess): boolean => canSeeConversation(v, c);
export const canMarkPaid = (v: Viewer): boolean => isAdmin(v);
export const canVoidInvoice = (v: Viewer, i: Pick<Invoice, 'createdBy'>): boolean => isActive(v) && (v.role === 'admin' || i.createdBy === v.id);
export const canExpireCheckout = (v: Viewer, c: Pick<Checkout, 'createdBy'>): boolean => isActive(v) && (v.role === 'admin' || c.createdBy === v.id);
export const canSendChatMessage = (v: Viewer, c: { members: string[] }): boolean => isActive(v) && c.members.includes(v.id);
export const canDeleteChat = (v: Viewer): boolean => isAdmin(v);
export const canEditContact = (v: Viewer): boolean => isActive(v);
export const canAdminContacts = (v: Viewer): boolean => isAdmin(v);
export const canAdminister = (v: Viewer): boolean => isAdmin(v);
