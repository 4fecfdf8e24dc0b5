// Work after commit: provider sends, payment links, broadcast pacing, deactivation.
// Provider results are final: retries live in one layer, the adapters (server/providers/retry.ts).
// Results come back as system mutations through the same Tx / fan-out path.
import { uuidv7 } from 'uuidv7';
import { noProviderMessage } from '../../shared/domain/outbound';
import { checkoutSummary, invoiceSummary, paymentTemplateValues } from '../../shared/domain/payments';
import { matchTemplate } from '../../shared/domain/templates';
import { splitSms } from '../../shared/sms';
import type { ServerEffect } from '../../shared/tx';
import type { Engine } from '../sync/engine';
import { SYSTEM_ACTOR } from '../sync/engine';
import type { OutboundMessage, ProviderRegistry, SendResult } from '../providers/types';
import { StripePayments } from '../providers/stripe/payments';
import type { PaymentProvider } from '../providers/types';
import { payLinkUrl } from '../http/payLinks';
import { SmsPartTracker } from './smsParts';
import { delayAfter, LinkRetryStore, linkRetryDelays, MAX_LINK_ATTEMPTS } from './linkRetries';

export interface EffectHooks {
  userDeactivated(userId: string): void | Promise<void>;
  attachmentsReleased(ids: string[]): void | Promise<void>;
}

export class EffectRunner {
  private closed = false;
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly linkRetries: LinkRetryStore;
  private readonly smsParts: SmsPartTracker;
  private readonly retryDelays = linkRetryDelays();

  constructor(
    private readonly engine: Engine,
    private readonly providers: () => ProviderRegistry,
    private readonly hooks: EffectHooks,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {
    this.linkRetries = new LinkRetryStore(engine.store);
    this.smsParts = new SmsPartTracker(engine.store);
    engine.onCommit((c) => {
      for (const e of c.effects) this.start(e);
    });
  }

  /**
   * After a restart: work whose effect never ran (the relay stopped between commit and
   * effect). Sends are at-least-once: a provider may see a send twice after a crash.
   */
  async resumePending(): Promise<void> {
    const db = this.engine.store;
    const invoices = await db.all<{ id: string }>("SELECT id FROM invoices WHERE status = 'sent' AND payment_url IS NULL");
    for (const r of invoices) await this.resumeLink({ kind: 'paymentLink', invoiceId: r.id }, 'invoice', r.id);
    const checkouts = await db.all<{ id: string }>("SELECT id FROM checkouts WHERE status = 'open' AND payment_url IS NULL");
    for (const r of checkouts) await this.resumeLink({ kind: 'checkoutLink', checkoutId: r.id }, 'checkout', r.id);
    const queued = await db.all<{ id: string; paymentRef: string | null }>(
      'SELECT id, payment_ref AS "paymentRef" FROM messages WHERE direction = \'outbound\' AND status = \'queued\' AND provider_message_id IS NULL',
    );
    for (const m of queued) if (!(await this.waitsForLink(m.paymentRef))) this.start({ kind: 'sendMessage', messageId: m.id });
    const broadcasts = await db.all<{ id: string }>("SELECT id FROM broadcasts WHERE status = 'sending'");
    for (const b of broadcasts) this.start({ kind: 'broadcast', broadcastId: b.id });
  }

  /** A link that failed before the restart keeps its schedule; one the relay gave up on stays so. */
  private async resumeLink(e: ServerEffect, kind: 'invoice' | 'checkout', id: string): Promise<void> {
    const state = await this.linkRetries.get(kind, id);
    if (!state) return this.start(e);
    if (state.nextAt !== null) this.later(e, state.nextAt - Date.now());
  }

  private later(e: ServerEffect, ms: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) this.start(e);
    }, Math.max(0, ms));
    t.unref();
    this.timers.add(t);
  }

  /** A payment message is sent by setPaymentLink once its link exists. */
  private async waitsForLink(paymentRef: string | null): Promise<boolean> {
    if (!paymentRef) return false;
    const [kind, id] = paymentRef.split(':') as [string, string];
    const rows = this.engine.store.rows;
    const row = kind === 'invoice' ? await rows.get('invoices', id) : await rows.get('checkouts', id);
    return !row?.paymentUrl;
  }

  private start(e: ServerEffect): void {
    const p = this.run(e).catch((err: unknown) => this.log(`relay: effect ${e.kind} failed`, err));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** effects running now (provider calls in flight) */
  get inFlight(): number {
    return this.pending.size;
  }

  /** effects waiting for a retry timer */
  get scheduled(): number {
    return this.timers.size;
  }

  /** Resolves when every effect started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private async system(name: string, args: unknown): Promise<void> {
    if (this.closed) return;
    try {
      await this.engine.runAs(SYSTEM_ACTOR, name, args);
    } catch (e) {
      this.log(`relay: system mutation ${name} refused`, e);
    }
  }

  private async run(e: ServerEffect): Promise<void> {
    switch (e.kind) {
      case 'sendMessage':
        return this.sendMessage(e.messageId);
      case 'paymentLink':
        return this.paymentLink('invoice', e.invoiceId);
      case 'checkoutLink':
        return this.paymentLink('checkout', e.checkoutId);
      case 'broadcast':
        return this.broadcast(e.broadcastId);
      case 'userDeactivated':
        return this.hooks.userDeactivated(e.userId);
      case 'attachmentsReleased':
        return this.hooks.attachmentsReleased(e.ids);
    }
  }

  private async sendMessage(messageId: string): Promise<void> {
    const store = this.engine.store.rows;
    const msg = await store.get('messages', messageId);
    if (!msg || msg.direction !== 'outbound' || msg.status !== 'queued') return;
    const conv = await store.get('conversations', msg.conversationId);
    const contact = conv ? await store.get('contacts', conv.contactId) : undefined;
    const group = conv ? await store.get('groups', conv.groupId) : undefined;
    if (!conv || !contact || !group) return this.system('updateDeliveryStatus', { messageId, status: 'failed', failureReason: 'The conversation or contact no longer exists.' });
    const provider = await this.providers().channelFor(group.id, msg.channel);
    // No silent simulator: the fallback delivers only where an admin chose the simulator. The
    // group's synced setting follows the relay's accounts (changed by the CLI while running, too).
    const setting = group.channelProviders[msg.channel];
    const actual = provider.kind === 'simulator' ? (setting === 'simulator' ? 'simulator' : null) : provider.kind;
    if (actual !== setting) await this.system('setChannelProvider', { groupId: group.id, channel: msg.channel, provider: actual });
    if (actual === null) return this.system('updateDeliveryStatus', { messageId, status: 'failed', failureReason: noProviderMessage(group, msg.channel) });
    const template = msg.templateName ? group.templates.find((t) => t.name === msg.templateName) : undefined;
    // The provider sends the approved template, not our text: the blanks' values come from the
    // text, which the mutator checked against the template when the message was queued. A
    // payment template's values are what is due and the link (a link can be longer than a blank).
    const variables = template ? (msg.paymentRef ? await this.paymentValues(msg.paymentRef) : matchTemplate(template.body, msg.body)) : null;
    if (msg.templateName && !variables) {
      return this.system('updateDeliveryStatus', { messageId, status: 'failed', failureReason: `The template "${msg.templateName}" is no longer approved for this group, or no longer matches this text.` });
    }
    const out: OutboundMessage = {
      messageId,
      groupId: group.id,
      channel: msg.channel,
      to: contact.phone,
      from: msg.channel === 'sms' ? group.smsNumber : group.whatsappNumber,
      parts: msg.channel === 'sms' ? splitSms(msg.body).parts : [msg.body],
      attachments: msg.attachments,
      location: msg.location,
      template: template && variables ? { name: template.name, providerId: template.providerId, language: template.language, variables } : null,
    };
    // Final: the adapters already retried retryable failures (server/providers/retry.ts, with the
    // account's rate limit); retrying here too would multiply attempts (4 × 4) and delays.
    // Twilio sends each SMS part as its own text with its own status callbacks: track them
    // before sending, as callbacks may arrive before send() returns.
    const perPart = provider.kind === 'twilio' && out.channel === 'sms' && !out.template;
    if (perPart) await this.smsParts.expect(messageId, out.parts.length);
    const result: SendResult = await provider.send(out);
    if (perPart && !result.ok) await this.smsParts.forget(messageId);
    if (result.ok) await this.system('updateDeliveryStatus', { messageId, status: 'sent', providerMessageId: result.providerMessageId });
    else await this.system('updateDeliveryStatus', { messageId, status: 'failed', failureReason: result.reason.slice(0, 500) });
  }

  private async paymentValues(paymentRef: string): Promise<string[] | null> {
    const [kind, id] = paymentRef.split(':') as [string, string];
    const store = this.engine.store.rows;
    const inv = kind === 'invoice' ? await store.get('invoices', id) : undefined;
    const co = kind === 'checkout' ? await store.get('checkouts', id) : undefined;
    const url = inv?.paymentUrl ?? co?.paymentUrl;
    if (!url) return null;
    return paymentTemplateValues(inv ? invoiceSummary(inv) : co ? checkoutSummary(co) : '', url);
  }

  private async paymentLink(kind: 'invoice' | 'checkout', id: string): Promise<void> {
    const store = this.engine.store.rows;
    const req =
      kind === 'invoice'
        ? await (async () => {
            const inv = await store.get('invoices', id);
            // each "Send a new link" posts another message for this invoice: its count numbers the link
            const attempt = Math.max(1, await store.count('messages', { paymentRef: `invoice:${id}` }));
            return inv && { kind, id, description: `Invoice ${inv.number}`, currency: inv.currency, amount: inv.total, lineItems: inv.lineItems, attempt };
          })()
        : await (async () => {
            const c = await store.get('checkouts', id);
            return c && { kind, id, description: c.description, currency: c.currency, amount: c.amount };
          })();
    if (!req) return;
    const current = kind === 'invoice' ? (await store.get('invoices', id))?.paymentUrl : (await store.get('checkouts', id))?.paymentUrl;
    if (current) return this.linkRetries.clear(kind, id);
    // Stripe's client retries itself (maxNetworkRetries); a throw here is retried with backoff.
    let link: { url: string; providerRef: string };
    let payments: PaymentProvider;
    try {
      payments = await this.providers().payments();
      link = await payments.createLink(req);
    } catch (err) {
      return this.linkFailed(kind, id, err);
    }
    await this.linkRetries.clear(kind, id);
    // the contact gets the relay's link to the session: it renews the session once expired (http/payLinks.ts)
    const paymentUrl = payments instanceof StripePayments ? await payLinkUrl(payments.publicUrl, this.engine.meta, kind, id) : link.url;
    await this.system('setPaymentLink', { ...(kind === 'invoice' ? { invoiceId: id } : { checkoutId: id }), paymentUrl, providerRef: link.providerRef });
  }

  private async linkFailed(kind: 'invoice' | 'checkout', id: string, err: unknown): Promise<void> {
    if (this.closed) return;
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 300) || 'unknown error';
    const attempts = ((await this.linkRetries.get(kind, id))?.attempts ?? 0) + 1;
    this.log(`relay: payment link for ${kind} ${id} failed (attempt ${attempts})`, err);
    if (attempts < MAX_LINK_ATTEMPTS) {
      const delay = delayAfter(attempts, this.retryDelays);
      await this.linkRetries.set(kind, id, { attempts, nextAt: Date.now() + delay, lastError: reason });
      this.later(kind === 'invoice' ? { kind: 'paymentLink', invoiceId: id } : { kind: 'checkoutLink', checkoutId: id }, delay);
      return;
    }
    await this.linkRetries.set(kind, id, { attempts, nextAt: null, lastError: reason });
    for (const m of await this.engine.store.rows.find('messages', { paymentRef: `${kind}:${id}`, status: 'queued' })) {
      await this.system('updateDeliveryStatus', { messageId: m.id, status: 'failed', failureReason: `Could not create the payment link: ${reason}` });
    }
  }

  /** One recipient at a time, at the provider's pace: each result creates the message and its send. */
  private async broadcast(broadcastId: string): Promise<void> {
    const store = this.engine.store.rows;
    const b = await store.get('broadcasts', broadcastId);
    if (!b) return;
    const perSecond = Math.max(1, await this.providers().sendRatePerSecond(b.groupId, b.channel));
    for (const r of await store.find('broadcastRecipients', { broadcastId, status: 'pending' })) {
      if (this.closed) return;
      await this.system('recordBroadcastResult', { broadcastId, contactId: r.contactId, status: 'sent', messageId: uuidv7() });
      await new Promise((res) => setTimeout(res, 1000 / perSecond));
    }
  }
}
