// Argument schemas of every mutation: the contract between renderer, core and relay.
// Ids of created rows are made by the client (UUIDv7) so optimistic rows keep their id.
import { z } from 'zod';
import { labelColors } from '../labelColors';
import { WEEKDAYS } from '../domain/sla';

const id = z.string().min(1).max(128);
const userIds = z.array(id).max(500);
const text = (max: number) => z.string().max(max);
export const channelSchema = z.enum(['sms', 'whatsapp']);
export const attachmentRefSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/, 'attachment id is a sha256 hex digest'),
  name: z.string().min(1).max(255),
  mime: z.string().min(1).max(127),
  size: z.number().int().nonnegative(),
});
export const locationSchema = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), label: z.string().max(200).optional() });
const currency = z.string().regex(/^[A-Z]{3}$/, 'currency is a 3-letter ISO code');
const lineItem = z.object({
  description: z.string().trim().min(1).max(200),
  quantity: z.number().int().min(1).max(100_000),
  unitAmount: z.number().int().min(0).max(100_000_000),
});

const labelName = z.string().trim().min(1, 'Give the label a name.').max(40, 'A label name is at most 40 characters.');
const labelColor = z.enum(labelColors);
const viewFilters = z.object({
  labelId: id.optional(),
  assignee: id.optional(),
  channel: channelSchema.optional(),
  groupId: id.optional(),
  status: z.enum(['open', 'snoozed', 'archived']).optional(),
  unreadOnly: z.boolean().optional(),
}).strict();
export const templateSchema = z.object({
  name: z.string().trim().min(1, 'a template needs a name').max(120),
  language: z.string().trim().regex(/^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/, 'the language is a code such as en or en_GB'),
  body: z.string().trim().min(1, 'a template needs its text').max(1024),
  providerId: z.string().trim().max(200).optional(),
  forPayments: z.boolean().optional(),
});

export const contactFields = {
  name: z.string().trim().min(1, 'name is required').max(120),
  /** any common format: normalised to E.164 by the mutator, refused if not a valid number */
  phone: z.string().trim().min(3).max(32),
  email: z.string().trim().email().max(254).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
  notes: text(5000).optional(),
};

const cannedFields = {
  title: z.string().trim().min(1, 'a canned response needs a title').max(80),
  body: z.string().trim().min(1, 'a canned response needs text').max(4096),
  attachments: z.array(attachmentRefSchema).max(10).optional(),
};

export const args = {
  // contacts
  createContact: z.object({ id, ...contactFields }),
  updateContact: z.object({
    id,
    name: contactFields.name.optional(),
    phone: contactFields.phone.optional(),
    email: contactFields.email,
    tags: contactFields.tags,
    notes: contactFields.notes,
  }),
  deleteContact: z.object({ id }),
  /** keeps `intoId`; moves conversations of `fromId` to it, unions tags, then deletes `fromId` */
  mergeContacts: z.object({ intoId: id, fromId: id }),
  /** onMatch: what a row whose phone belongs to an existing contact does — update its fields, keep it (only adds tags and fills an empty email), or skip the row. Never overwrites unless asked. */
  importContacts: z.object({ contacts: z.array(z.object({ id, ...contactFields, onMatch: z.enum(['update', 'keep', 'skip']).optional() })).min(1).max(5000) }),
  setContactDefaults: z.object({ id, visibleTo: userIds.nullable(), assignees: userIds }),
  setContactOptOut: z.object({ id, optedOut: z.boolean() }),

  // conversations and messages
  /** Sends to the conversation, or (no conversationId) to the contact's open conversation in the group, created if none (with newConversationId). */
  sendMessage: z.object({
    id,
    conversationId: id.optional(),
    contactId: id,
    groupId: id,
    newConversationId: id.optional(),
    channel: channelSchema,
    body: text(4096),
    attachments: z.array(attachmentRefSchema).max(10).optional(),
    location: locationSchema.optional(),
    templateName: z.string().max(120).optional(),
    /**
     * Restrict at creation: who may see the conversation this message creates (the sender among
     * them). Refused (conflict) when the message would go to an existing conversation instead.
     */
    visibleTo: userIds.min(1).nullable().optional(),
  }),
  /**
   * Assignment and visibility in one Save, as "Manage conversation" does. baseVisibilityVersion:
   * the conversation's visibilityVersion the dialog showed; `stale` when visibility changed since.
   */
  manageConversation: z.object({ conversationId: id, visibleTo: userIds.nullable(), assignees: userIds, baseVisibilityVersion: z.number().int().nonnegative() }),
  archiveConversation: z.object({ conversationId: id }),
  unarchiveConversation: z.object({ conversationId: id }),
  deleteConversation: z.object({ conversationId: id }),
  /** mentions: user ids @mentioned in the note (each must see the conversation) */
  addNote: z.object({ id, conversationId: id, body: z.string().trim().min(1, 'a note needs text').max(10_000), mentions: userIds.max(50).optional() }),
  /** the caller's own mentions: read (default) or back to unread */
  markMentionsRead: z.object({ ids: z.array(id).min(1).max(500), read: z.boolean().optional() }),
  deleteNote: z.object({ id }),
  /** read mark for a conversation or chat; at = 0 marks it unread */
  markRead: z.object({ targetId: id, at: z.number().int().nonnegative() }),

  // snooze (shared/mutators/snooze.ts)
  /** until: ms since epoch; null = until the contact replies */
  snoozeConversation: z.object({ conversationId: id, until: z.number().int().positive().nullable() }),
  unsnoozeConversation: z.object({ conversationId: id }),

  // labels and saved views (shared/mutators/labels.ts)
  createLabel: z.object({ id, name: labelName, color: labelColor }),
  updateLabel: z.object({ id, name: labelName.optional(), color: labelColor.optional() }),
  deleteLabel: z.object({ id }),
  labelConversation: z.object({ conversationId: id, labelId: id, applied: z.boolean() }),
  saveView: z.object({ id, name: z.string().trim().min(1, 'Give the view a name.').max(60, 'A view name is at most 60 characters.'), filters: viewFilters }),
  deleteView: z.object({ id }),

  // send later (shared/mutators/scheduled.ts)
  scheduleMessage: z.object({
    id,
    conversationId: id,
    channel: channelSchema,
    body: text(4096),
    templateName: z.string().max(120).optional(),
    sendAt: z.number().int().positive(),
  }),
  editScheduledMessage: z.object({ messageId: id, body: text(4096).optional(), sendAt: z.number().int().positive().optional() }),
  cancelScheduledMessage: z.object({ messageId: id }),

  // invoices and checkouts
  createInvoice: z.object({
    id,
    conversationId: id,
    currency,
    lineItems: z.array(lineItem).min(1).max(100),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'due date is YYYY-MM-DD'),
    /** true: send at once (posts a message with the payment link) */
    send: z.boolean().optional(),
    messageId: id.optional(),
  }),
  sendInvoice: z.object({ invoiceId: id, messageId: id }),
  markInvoicePaid: z.object({ invoiceId: id }),
  voidInvoice: z.object({ invoiceId: id }),
  createCheckout: z.object({
    id,
    conversationId: id,
    description: z.string().trim().min(1).max(200),
    amount: z.number().int().min(1).max(100_000_000),
    currency,
    messageId: id,
  }),
  markCheckoutPaid: z.object({ checkoutId: id }),
  expireCheckout: z.object({ checkoutId: id }),

  // team chat
  /** members must include the author; one member = a chat with yourself */
  createChat: z.object({ id, members: userIds.min(1), title: z.string().trim().max(80).nullable().optional(), conversationId: id.optional() }),
  /** group chats: add members, remove one, rename, leave */
  addChatMembers: z.object({ chatId: id, userIds: userIds.min(1).max(100) }),
  removeChatMember: z.object({ chatId: id, userId: id }),
  renameChat: z.object({ chatId: id, title: z.string().trim().max(80) }),
  leaveChat: z.object({ chatId: id }),
  sendChatMessage: z.object({ id, chatId: id, body: text(10_000), attachments: z.array(attachmentRefSchema).max(10).optional() }),
  deleteChat: z.object({ chatId: id }),

  // canned responses: groupId null = personal (only you), else shared with the group (admins)
  createCannedResponse: z.object({ id, groupId: id.nullable(), ...cannedFields }),
  updateCannedResponse: z.object({ id, title: cannedFields.title.optional(), body: cannedFields.body.optional(), attachments: cannedFields.attachments }),
  deleteCannedResponse: z.object({ id }),

  // broadcast
  sendBroadcast: z.object({
    id,
    groupId: id,
    channel: channelSchema,
    body: text(1600),
    templateName: z.string().max(120).optional(),
    contactIds: z.array(id).max(10_000).optional(),
    tag: z.string().trim().min(1).max(40).optional(),
  }),

  // administration (admins only)
  createGroup: z.object({ id, name: z.string().trim().min(1).max(80), smsNumber: z.string().max(32).nullable().optional(), whatsappNumber: z.string().max(32).nullable().optional(), paymentInstructions: text(2000).optional() }),
  updateGroup: z.object({ id, name: z.string().trim().min(1).max(80).optional(), smsNumber: z.string().max(32).nullable().optional(), whatsappNumber: z.string().max(32).nullable().optional(), paymentInstructions: text(2000).optional() }),
  /** the group's first-response target (business minutes; null = no SLA) and business hours (null = around the clock) */
  setGroupSla: z.object({
    groupId: id,
    minutes: z.number().int('The first-response target must be a whole number of minutes.').nullable(),
    businessHours: z
      .object({
        tz: z.string().trim().min(1, 'Choose a time zone for the business hours.').max(64),
        days: z.partialRecord(z.enum(WEEKDAYS), z.tuple([z.string().max(5), z.string().max(5)])),
      })
      .nullable(),
  }),
  addMember: z.object({ groupId: id, userId: id }),
  removeMember: z.object({ groupId: id, userId: id }),
  /** explicit choice: the channel goes through the built-in simulator (shown as Simulated), or not (sends refused until a provider account is added) */
  setChannelSimulated: z.object({ groupId: id, channel: channelSchema, simulated: z.boolean() }),
  /** adds or edits (previousName = the name it had) one approved WhatsApp template of the group */
  /** previousName (+ previousLanguage when the name exists in several languages): the template edited */
  saveTemplate: z.object({ groupId: id, previousName: z.string().max(120).optional(), previousLanguage: z.string().max(40).optional(), template: templateSchema }),
  /** language: needed only when the name exists in several languages */
  removeTemplate: z.object({ groupId: id, name: z.string().max(120), language: z.string().max(40).optional() }),
  setUserActive: z.object({ userId: id, active: z.boolean() }),
  /** automatic assignment of the group's new inbound conversations: round robin among members online (or online or away), at most `capacity` open conversations each */
  setAutoAssign: z.object({
    groupId: id,
    mode: z.enum(['off', 'online', 'online_away']),
    capacity: z.number().int('The capacity is a whole number.').min(1, 'The capacity is at least 1 conversation.').max(100, 'The capacity is at most 100 conversations.'),
  }),
  /** the caller's own "not accepting new conversations" (automatic assignment skips them while false) */
  setAccepting: z.object({ accepting: z.boolean() }),
  setUserRole: z.object({ userId: id, role: z.enum(['admin', 'agent']) }),

  // system: only the relay runs these (providers, simulator, payment webhooks)
  receiveInbound: z.object({
    groupId: id,
    channel: channelSchema,
    from: z.string().min(3).max(32),
    body: text(4096),
    attachments: z.array(attachmentRefSchema).max(10).optional(),
    location: locationSchema.optional(),
    providerMessageId: z.string().max(128).optional(),
    contactName: z.string().max(120).optional(),
  }),
  updateDeliveryStatus: z.object({
    messageId: id,
    status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed']),
    failureReason: z.string().max(500).nullable().optional(),
    providerMessageId: z.string().max(128).optional(),
  }),
  setPaymentStatus: z.object({
    invoiceId: id.optional(),
    checkoutId: id.optional(),
    status: z.enum(['paid', 'expired', 'refunded']),
    paymentUrl: z.string().url().optional(),
    /** the provider's reference of the link this is about (an old link expiring does not expire the new one) */
    providerRef: z.string().max(255).optional(),
    /** refunds: minor units refunded so far; fullRefund false = a partial refund (the invoice stays paid) */
    refundedAmount: z.number().int().nonnegative().optional(),
    fullRefund: z.boolean().optional(),
  }),
  /** "Send a new link": the invoice's link expired unpaid; a new link goes out in a new message */
  renewPaymentLink: z.object({ invoiceId: id, messageId: id }),
  setPaymentLink: z.object({ invoiceId: id.optional(), checkoutId: id.optional(), paymentUrl: z.string().url(), providerRef: z.string().max(255).optional() }),
  /** the relay's timer: wake a snoozed conversation whose time has come */
  wakeConversation: z.object({ conversationId: id }),
  /** the relay assigns a waiting inbound conversation automatically; candidates: the group's members present per its mode */
  autoAssign: z.object({ conversationId: id, candidates: userIds }),
  /** the relay's timer: send a scheduled message (rules checked now; a refusal marks it failed) */
  sendScheduledMessage: z.object({ messageId: id }),
  /** the relay keeps groups.channelProviders in step with its provider accounts */
  setChannelProvider: z.object({ groupId: id, channel: channelSchema, provider: z.enum(['simulator', 'twilio', 'whatsapp-cloud']).nullable() }),
  /** templates fetched from the provider (Meta, Twilio Content API): added, or updated by name and language */
  importTemplates: z.object({ groupId: id, templates: z.array(templateSchema).max(500) }),
  recordBroadcastResult: z.object({
    broadcastId: id,
    contactId: id,
    status: z.enum(['sent', 'skipped', 'failed']),
    reason: z.string().max(500).nullable().optional(),
    messageId: id.nullable().optional(),
  }),
} as const;

export type ArgsMap = typeof args;
export type MutationName = keyof ArgsMap;
export type MutationArgs<N extends MutationName> = z.input<ArgsMap[N]>;
export const systemMutations: ReadonlySet<MutationName> = new Set<MutationName>([
  'receiveInbound',
  'updateDeliveryStatus',
  'setPaymentStatus',
  'setPaymentLink',
  'setChannelProvider',
  'importTemplates',
  'recordBroadcastResult',
  'wakeConversation',
  'sendScheduledMessage',
  'autoAssign',
]);
