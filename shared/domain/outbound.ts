// The channel rules of an outbound message (SMS opt-out and limits, WhatsApp's
// 24-hour window and templates) and the write of the message itself.
import type { AttachmentRef, Channel, Contact, Conversation, Group, Location, Message } from '../schema';
import { splitSms } from '../sms';
import { MutationError, type MutatorContext, type ReadTx, type Tx } from '../tx';
import { addMessage } from './conversations';
import { approvedTemplate, TEMPLATE_REFUSED } from './templates';

export const SMS_MAX_BODY = 1600;
/** The longest WhatsApp text (the sendMessage schema's limit) and note. */
export const WHATSAPP_MAX_BODY = 4096;
export const NOTE_MAX_BODY = 10_000;

/** The composer's limit for what it is writing, and the sentence shown before sending when the text is longer. */
export function bodyLimit(kind: Channel | 'note', length: number): { max: number; tooLong: string | null } {
  const max = kind === 'sms' ? SMS_MAX_BODY : kind === 'whatsapp' ? WHATSAPP_MAX_BODY : NOTE_MAX_BODY;
  const what = kind === 'sms' ? 'An SMS' : kind === 'whatsapp' ? 'A WhatsApp message' : 'A note';
  const fmt = (v: number) => v.toLocaleString('en-GB');
  return { max, tooLong: length > max ? `Too long: ${what.charAt(0).toLowerCase() + what.slice(1)} can be at most ${fmt(max)} characters; this one has ${fmt(length)}. Shorten it to send.` : null };
}
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface OutboundDraft {
  channel: Channel;
  body: string;
  attachments: AttachmentRef[];
  location: Location | null;
  templateName: string | null;
}

/** Latest inbound WhatsApp message of the contact in the group, across its conversations. */
export function lastWhatsAppInbound(tx: ReadTx, contactId: string, groupId: string): number | null {
  let last: number | null = null;
  for (const c of tx.find('conversations', { contactId, groupId })) {
    for (const m of tx.find('messages', { conversationId: c.id, direction: 'inbound', channel: 'whatsapp' })) {
      if (last === null || m.createdAt > last) last = m.createdAt;
    }
  }
  return last;
}

const CHANNEL_LABEL = { sms: 'SMS', whatsapp: 'WhatsApp' } as const;

export function noProviderMessage(group: Pick<Group, 'name'>, channel: Channel): string {
  return `No ${CHANNEL_LABEL[channel]} provider is set up for ${group.name}. An admin can add one in Channels and payments.`;
}

/** null when the group's channel has a provider (or the simulator an admin chose); otherwise the refusal. */
export function noProviderReason(group: Pick<Group, 'name' | 'channelProviders'>, channel: Channel): string | null {
  return group.channelProviders[channel] ? null : noProviderMessage(group, channel);
}

export function whatsappWindowOpen(lastInboundAt: number | null, now: number): boolean {
  return lastInboundAt !== null && now - lastInboundAt < WHATSAPP_WINDOW_MS;
}

/**
 * Checks a draft against its channel's rules; returns it ready to store (a template
 * with no body takes the template's text). `lastInboundAt` is the contact's latest inbound
 * WhatsApp message in the group (`lastWhatsAppInbound`): an SMS does not open the window.
 * Payment links obey the window too: outside it they go as a template (see payments.ts).
 */
export function checkOutbound(
  ctx: MutatorContext,
  d: OutboundDraft,
  f: { contact: Contact; group: Group; lastInboundAt: number | null; windowAtSend?: boolean },
): OutboundDraft & { segments: number } {
  const noProvider = noProviderReason(f.group, d.channel);
  if (noProvider) throw new MutationError('invalid', noProvider);
  if (d.channel === 'sms') {
    if (f.contact.optedOut) throw new MutationError('opted_out', `${f.contact.name} has opted out of SMS. They can text START to opt back in.`);
    if (d.attachments.length || d.location) throw new MutationError('sms_no_attachments', 'SMS cannot carry attachments or locations. Send them over WhatsApp instead.');
    if (!d.body.trim()) throw new MutationError('invalid', 'Write a message before sending.');
    if (d.body.length > SMS_MAX_BODY) throw new MutationError('invalid', `An SMS can be at most ${SMS_MAX_BODY} characters; this one has ${d.body.length}.`);
    return { ...d, templateName: null, segments: Math.max(1, splitSms(d.body).parts.length) };
  }
  const text = templateText(f.group, d.templateName, d.body);
  // The provider sends the template with the values filled in, not our text: the text must be
  // exactly the approved template with every blank filled, or the relay could not derive them.
  const template = d.templateName ? approvedTemplate(f.group.templates, d.templateName, text)?.template : undefined;
  if (d.templateName && !template) throw new MutationError('invalid', TEMPLATE_REFUSED);
  // windowAtSend (send later): the window is checked when the relay sends it, as it is then.
  if (!template && !f.windowAtSend && !whatsappWindowOpen(f.lastInboundAt, ctx.now)) {
    throw new MutationError('whatsapp_window_closed', 'More than 24 hours have passed since the contact last wrote on WhatsApp. Send an approved template instead.');
  }
  const body = template ? text : d.body;
  if (!body.trim() && !d.attachments.length && !d.location) throw new MutationError('invalid', 'Write a message, or add an attachment or a location.');
  return { ...d, body, segments: 1 };
}

/**
 * The text of a message (or broadcast) that may name a template: its own, or, when it gives none,
 * the template as it is (one without blanks will match). A name approved in several languages
 * with no text is refused: the text is what says which language goes. A name no template has
 * gives the empty text back (the caller refuses it as not approved).
 */
export function templateText(group: Pick<Group, 'name' | 'templates'>, templateName: string | null | undefined, body: string): string {
  if (!templateName || body.trim()) return body;
  const named = group.templates.filter((t) => t.name === templateName);
  if (named.length > 1) {
    throw new MutationError('invalid', `${group.name} has "${templateName}" in several languages (${named.map((t) => t.language).join(', ')}): write the message in the language to send.`);
  }
  return named[0]?.body ?? body;
}

/** Stores a queued outbound message in the conversation and asks the relay to send it. */
export function postOutbound(
  tx: Tx,
  ctx: MutatorContext,
  conversation: Conversation,
  m: OutboundDraft & { id: string; segments: number; authorId: string | null; paymentRef?: string | null; broadcastId?: string | null; emit?: boolean },
): Message {
  if (tx.get('messages', m.id)) throw new MutationError('conflict', 'A message with this id already exists.');
  const message: Message = {
    id: m.id,
    conversationId: conversation.id,
    direction: 'outbound',
    channel: m.channel,
    body: m.body,
    authorId: m.authorId,
    status: 'queued',
    failureReason: null,
    segments: m.segments,
    attachments: m.attachments,
    location: m.location,
    templateName: m.templateName,
    providerMessageId: null,
    broadcastId: m.broadcastId ?? null,
    paymentRef: m.paymentRef ?? null,
    scheduledAt: null,
    createdAt: ctx.now,
    version: 0,
  };
  addMessage(tx, conversation, message);
  if (m.emit !== false) ctx.effect({ kind: 'sendMessage', messageId: m.id });
  return message;
}
