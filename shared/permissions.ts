// Who may do what: predicates over rows and an Actor, used by the mutators (which
// refuse) and by the UI (which hides or disables). One source of truth.
//
// THE RULES (decided; shared/mutators implements exactly these)
// People: admins may do everything an agent may, plus admin-only things. A deactivated
//   user (users.active = false) may do nothing (forbidden). "Member" = has a
//   memberships row for the conversation's group.
// Contacts: createContact/updateContact: any active user; phone normalised to E.164
//   (invalid → invalid), unique among contacts (duplicate → conflict naming the other).
//   deleteContact, mergeContacts, importContacts, setContactDefaults: admins only.
//   setContactOptOut: any active user may opt a contact out (at the contact's request);
//   opting back in is admins only (or the contact's START). Delete cascades to the contact's conversations, refused with
//   outstanding_invoice while any of their invoices is sent. Merge: conversations move,
//   tags union, notes append, email kept if `into` has none, optedOut = either; then at
//   most one open conversation per group: same audience → merged, else the older archived.
//   Import: upsert by phone; one invalid row refuses all (invalid, naming the row).
//   Defaults: users only; assignees within visibleTo when not null (assignee_not_visible).
// Conversations: at most one open per (contact, group), except after unarchive.
//   A message with no open target routes to the open conversation with the greatest
//   openedAt, else creates one; an archived/deleted conversationId counts as none.
//   Contact defaults apply only to conversations created by an inbound message.
// Privacy: "see" below means read the content (canSeeConversation / canSeeChat); an admin
//   outside a restricted conversation or a chat sees its metadata only (…Meta) and may manage,
//   archive and delete it, never write in it. A conversation the caller may not even know of
//   answers exactly like an unknown id (not_found, HIDDEN_CONVERSATION), routed sends included.
// Messages: sender is a member of the group or an admin, and can see an existing
//   conversation; a new conversation may be restricted at creation (visibleTo, including
//   the sender). SMS: opted_out, sms_no_attachments, body required ≤ 1600. WhatsApp:
//   free-form within 24 h of the last inbound, else an approved template
//   (whatsapp_window_closed). Delivery status never moves backwards; failed only
//   from queued/sent. Inbound STOP/STOPALL/UNSUBSCRIBE/CANCEL/END/QUIT opt out,
//   START/UNSTOP/YES opt back in (SMS only).
// Assignment and visibility (manageConversation): caller must see its metadata, and name
//   the visibilityVersion the dialog showed (stale when visibility changed since). Changing
//   visibleTo: admins and current assignees (forbidden). Changing assignees only: anyone
//   who sees it. Every assignee / visibleTo user: active, member of the group or admin
//   (invalid); assignees within visibleTo (assignee_not_visible); visibleTo [] invalid. An
//   admin who gives themselves read access is recorded in the relay's audit_log.
// Archive: assignees and admins; unpaid_invoice while an invoice is sent. Unarchive:
//   anyone who sees it (openedAt = now). Delete: admins only; outstanding_invoice
//   while an invoice is sent; cascades; releases attachments.
// Notes: anyone who sees the conversation; deleteNote: the author or an admin.
// Invoices: create/send: anyone who sees it; markInvoicePaid: admins, from sent;
//   voidInvoice: admins or the creator, from draft/sent. Checkouts: create: anyone who
//   sees it; markCheckoutPaid: admins; expireCheckout: admins or the creator.
//   Checkouts do not block archive or delete.
// Team chat: createChat: active members including the caller (1 = self, 2 = direct,
//   more = group); a second self/direct chat of the same people → conflict.
//   sendChatMessage: members only. deleteChat: admins only (who see every chat's metadata).
//   markRead: the target's metadata must be visible to the caller.
//   Group chats, managed: members add members and rename (group chats only, never a
//   self/direct chat: start a group chat instead); removing someone else: the chat's
//   creator, or any member once the creator has left; anyone leaves (the last one to
//   leave deletes the chat). A removed member loses the chat's scope. "Discuss with…"
//   (createChat with conversationId): a group chat whose every member may see the
//   conversation (mention_not_visible otherwise, naming the person); added members too.
// Canned responses: personal ones only by their owner; shared ones (per group) seen by
//   the group's members, created/edited/deleted by admins. Title 1–80, body 1–4096.
// Mentions (addNote.mentions): every mentioned user must be active and see the
//   conversation (mention_not_visible, naming them); the mention lives in the
//   conversation's scope. markMentionsRead: only the mentioned user.
// Broadcast: members of the group and admins; exactly one of contactIds / tag.
// Administration (groups, members, setUserActive, setUserRole): admins only; never
//   your own active flag or role.
// Snooze (snoozeConversation/unsnoozeConversation): as archive — assignees and admins;
//   open conversations only; until a time (a minute to a year ahead) or until the contact
//   replies. The relay wakes it (wakeConversation, its timer) or an inbound message does.
// Labels: createLabel/updateLabel/deleteLabel admins only (name unique, conflict);
//   labelConversation anyone who sees the conversation. Saved views: their owner only.
// Send later (scheduleMessage): as sendMessage, to an open conversation, 1 minute to 1 year
//   ahead; edit/cancel while scheduled: the author or an admin. Opt-out and the WhatsApp
//   window are checked again when the relay sends it; a refusal marks it failed with why.
// Automatic assignment (setAutoAssign: admins only; mode off / online / online+away, capacity
//   1–100): a new inbound conversation no contact default assigned waits; the relay's autoAssign
//   gives it to the next member after the group's round-robin pointer who is present (per the
//   mode), active, accepting (setAccepting: each user their own flag), may read it and holds
//   fewer open assigned conversations in the group than the capacity; else it keeps waiting.
// System mutations are run by the relay only (it refuses them from clients).
import type { CannedResponse, Chat, Checkout, Conversation, Invoice, Membership, Note, Role } from './schema';
import type { ReadTx } from './tx';

/** Who is looking: the relay's fan-out and catch-up, the mutators (via Actor) and the UI all build one. */
export interface Viewer {
  id: string;
  role: Role;
  groupIds: ReadonlySet<string>;
}

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

/** The UI's viewer: the signed-in session and the memberships of the directory. */
export function sessionViewer(s: { userId: string; role: Role }, memberships: readonly Pick<Membership, 'groupId' | 'userId'>[] = []): Viewer {
  return { id: s.userId, role: s.role, groupIds: new Set(memberships.filter((m) => m.userId === s.userId).map((m) => m.groupId)) };
}

// ---- the role, and visibility (the relay's fan-out decides scopes with these) ----

/**
 * The admin role, whatever the account's state. For rules about a *target* user (who may be
 * assigned, who keeps assignments when leaving a group) and for the replica's "every chat"
 * listing; an actor's rights use the predicates below, which also refuse a deactivated account.
 */
export const hasAdminRole = (u: Pick<Viewer, 'role'>): boolean => u.role === 'admin';

/** A Viewer without `active` (fan-out, UI) counts as active: the relay drops deactivated sockets. */
const isActive = (v: Viewer): boolean => (v as Partial<Actor>).active !== false;
const isAdmin = (v: Viewer): boolean => isActive(v) && hasAdminRole(v);
const isMemberOrAdmin = (v: Viewer, groupId: string): boolean => isActive(v) && (hasAdminRole(v) || v.groupIds.has(groupId));

// Two levels (issue 10, "confidential means confidential, admins included"): the CONTENT of a
// conversation (its messages, notes, invoices, checkouts, attachments, preview) and of a chat (its
// messages) goes only to those who may read it; an admin outside receives the METADATA row only
// (enough to find, manage, archive or delete it). Fan-out, catch-up, attachments and the mutators
// all decide with the four predicates below; scopes.ts maps them onto scopes.

/**
 * Read a conversation's content. Unrestricted: group members and admins. Restricted ("Visible to"
 * set): only the listed users (who must still be members, or admins), admins included.
 */
export function canSeeConversation(v: Viewer, c: Pick<Conversation, 'groupId' | 'visibleTo'>): boolean {
  if (!isActive(v)) return false;
  const inGroup = hasAdminRole(v) || v.groupIds.has(c.groupId);
  return inGroup && (c.visibleTo === null || c.visibleTo.includes(v.id));
}
/** Know that a conversation exists and manage it (metadata row): readers, and every admin. */
export function canSeeConversationMeta(v: Viewer, c: Pick<Conversation, 'groupId' | 'visibleTo'>): boolean {
  return isAdmin(v) || canSeeConversation(v, c);
}
/** Read a team chat's messages: its participants only, admins included. */
export function canSeeChat(v: Viewer, c: { members: readonly string[] }): boolean {
  return isActive(v) && c.members.includes(v.id);
}
/** Know that a chat exists (participants, kind, activity, count): participants, and admins (who delete chats). */
export function canSeeChatMeta(v: Viewer, c: { members: readonly string[] }): boolean {
  return isAdmin(v) || canSeeChat(v, c);
}
/** A group's scope (its broadcasts): members and admins. */
export const canSeeGroup = (v: Viewer, groupId: string): boolean => isMemberOrAdmin(v, groupId);

// ---- what an actor may do ----

/** Send as the group (a new message, a new conversation). */
export const canSendInGroup = (v: Viewer, groupId: string): boolean => isMemberOrAdmin(v, groupId);
export const canBroadcast = (v: Viewer, groupId: string): boolean => isMemberOrAdmin(v, groupId);
/** May be an assignee of, or among those who see, a conversation of the group. */
export const canBeAssignedInGroup = (u: Viewer, groupId: string): boolean => isMemberOrAdmin(u, groupId);

type ConvAccess = Pick<Conversation, 'groupId' | 'visibleTo' | 'assignees'>;
const isAssignee = (v: Viewer, c: ConvAccess) => c.assignees.includes(v.id);

/** Open "Manage conversation" and change assignees (an admin outside "Visible to" too: metadata only). */
export const canManage = (v: Viewer, c: ConvAccess): boolean => canSeeConversationMeta(v, c);
export const canChangeVisibility = (v: Viewer, c: ConvAccess): boolean => canSeeConversationMeta(v, c) && (hasAdminRole(v) || isAssignee(v, c));
export const canArchive = (v: Viewer, c: ConvAccess): boolean => canSeeConversationMeta(v, c) && (hasAdminRole(v) || isAssignee(v, c));
/** Write in it (messages, notes, invoices, checkouts): who may read its content. */
export const canWriteInConversation = (v: Viewer, c: ConvAccess): boolean => canSeeConversation(v, c);
export const canDeleteConversation = (v: Viewer): boolean => isAdmin(v);
/** Snooze and unsnooze: the rule of archive. */
export const canSnooze = (v: Viewer, c: ConvAccess): boolean => canArchive(v, c);
/** Set or remove a label on a conversation: anyone who sees it (its metadata is enough, as for archive). */
export const canLabel = (v: Viewer, c: ConvAccess): boolean => canSeeConversationMeta(v, c);
/** Create, rename, recolour and delete the organisation's labels. */
export const canManageLabels = (v: Viewer): boolean => isAdmin(v);
/** Edit or cancel a scheduled (send later) message: its author or an admin. */
export const canEditScheduled = (v: Viewer, m: { authorId: string | null }): boolean => isActive(v) && (hasAdminRole(v) || m.authorId === v.id);
export const canDeleteNote = (v: Viewer, n: Pick<Note, 'authorId'>): boolean => isActive(v) && (hasAdminRole(v) || n.authorId === v.id);
/** Mark an invoice or a checkout paid by hand. */
export const canMarkPaid = (v: Viewer): boolean => isAdmin(v);
export const canVoidInvoice = (v: Viewer, i: Pick<Invoice, 'createdBy'>): boolean => isActive(v) && (hasAdminRole(v) || i.createdBy === v.id);
export const canExpireCheckout = (v: Viewer, c: Pick<Checkout, 'createdBy'>): boolean => isActive(v) && (hasAdminRole(v) || c.createdBy === v.id);
export const canSendChatMessage = (v: Viewer, c: { members: readonly string[] }): boolean => isActive(v) && c.members.includes(v.id);
export const canDeleteChat = (v: Viewer): boolean => isAdmin(v);
/** Add members to a group chat and rename it: its members. */
export const canEditChat = (v: Viewer, c: Pick<Chat, 'kind' | 'members'>): boolean => c.kind === 'group' && canSendChatMessage(v, c);
/** Remove someone else from a group chat: its creator, or any member once the creator has left. */
export const canRemoveChatMember = (v: Viewer, c: Pick<Chat, 'kind' | 'members' | 'createdBy'>): boolean =>
  canEditChat(v, c) && (c.createdBy === v.id || !c.members.includes(c.createdBy));
/** Leave a group chat: any member. */
export const canLeaveChat = (v: Viewer, c: Pick<Chat, 'kind' | 'members'>): boolean => canEditChat(v, c);
/** Create, edit or delete a canned response: the owner of a personal one; admins for a group's shared ones. */
export const canEditCanned = (v: Viewer, r: Pick<CannedResponse, 'ownerId' | 'groupId'>): boolean =>
  isActive(v) && (r.ownerId !== null ? r.ownerId === v.id : hasAdminRole(v));
/** Shared canned responses: admins manage them (the settings screen offers the group picker). */
export const canManageSharedCanned = (v: Viewer): boolean => isAdmin(v);
/** May `target` be @mentioned in a note of this conversation: only if they may see it. */
export const canBeMentioned = (target: Viewer, c: Pick<Conversation, 'groupId' | 'visibleTo'>): boolean => canSeeConversation(target, c);

/** Delete, merge and import contacts; opt-out and conversation defaults. */
export const canAdminContacts = (v: Viewer): boolean => isAdmin(v);
/** Groups, members, people, roles and provider accounts (the relay's /admin API too). */
export const canAdminister = (v: Viewer): boolean => isAdmin(v);

/**
 * What the conversation screen may offer, each a predicate above: the core answers them in the
 * `conversation` query (`permissions`), the UI enables by them, the result schema has one
 * boolean per key. A new per-conversation right is one line here.
 */
export const conversationRights = {
  canManage,
  canArchive,
  canSnooze,
  canLabel,
  /** false: an admin outside "Visible to" — the screen shows the metadata only */
  canRead: (v: Viewer, c: ConvAccess) => canSeeConversation(v, c),
  canDelete: (v: Viewer) => canDeleteConversation(v),
  canMarkPaid: (v: Viewer) => canMarkPaid(v),
} satisfies Record<string, (v: Viewer, c: ConvAccess) => boolean>;
export type ConversationRights = { [K in keyof typeof conversationRights]: boolean };

export function conversationRightsOf(v: Viewer, c: ConvAccess): ConversationRights {
  const out: Partial<ConversationRights> = {};
  for (const k of Object.keys(conversationRights) as (keyof ConversationRights)[]) out[k] = conversationRights[k](v, c);
  return out as ConversationRights;
}
