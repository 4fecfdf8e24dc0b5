// Work after commit: provider sends, payment links, broadcast pacing, deactivation, attachment
// release. Each effect is a `jobs` row committed with its mutation (jobs.ts: the outbox); any relay
// of the organisation claims due rows with a lease (server/jobs/lease.ts), runs them once, and
// deletes each in the transaction of its result (a system mutation, through the same Tx /
// fan-out path). A row whose relay died is claimed by another once its lease ends; a payment link
// that failed keeps its retry schedule in the row (attempts, next_at).
// Provider results are final: retries of a send live in one layer, the adapters
// (server/providers/retry.ts), paced per account across relays (providers/rateLimiter.ts).
// Once a provider answered, its answer is kept: when it cannot be recorded (the database busy or
// gone, not a refusal by the mutator) the recording is tried again, never the provider call. The
// lease check just before a send marks the job (`attempted_at`), so a job claimed again after its
// relay died mid-send fails the message with a sentence instead of sending it a second time.
import { setTimeout as sleep } from 'node:timers/promises';
import { uuidv7 } from 'uuidv7';
import { noProviderMessage } from '../../shared/domain/outbound';
import { checkoutSummary, invoiceSummary, paymentTemplateValues } from '../../shared/domain/payments';
import { approvedTemplate } from '../../shared/domain/templates';
import type { WhatsAppTemplate } from '../../shared/schema';
import { splitSms } from '../../shared/sms';
import { MutationError, type ServerEffect } from '../../shared/tx';
import type { Engine, RunOptions } from '../sync/engine';
import { SYSTEM_ACTOR } from '../sync/engine';
import type { OutboundMessage, ProviderRegistry, SendResult } from '../providers/types';
import { StripePayments } from '../providers/stripe/payments';
import type { PaymentProvider } from '../providers/types';
import { payLinkUrl } from '../http/payLinks';
import { Leases, WakeTimer } from '../jobs/lease';
import { SmsPartTracker } from './smsParts';
import { delayAfter, linkRetryDelays, MAX_LINK_ATTEMPTS } from './linkRetries';
import { adoptUnfinishedWork, finishJob, JOB_COLUMNS, rescheduleJob, type JobRow, type Statement } from './jobs';

export interface EffectHooks {
  userDeactivated(userId: string): void | Promise<void>;
  attachmentsReleased(ids: string[]): void | Promise<void>;
}

export interface EffectRunnerOptions {
  /** this relay's id: the owner written in the leases it takes */
  relayId: string;
  /** how long a claimed job is this relay's without renewal (default 30 s); renewed every third of it */
  leaseMs?: number;
  /** the longest the runner sleeps between looks for due jobs (default 5 s) */
  pollMs?: number;
  /** jobs running at once on this relay (default 64) */
  maxRunning?: number;
  /**
   * a result that could not be recorded (storage failure) is tried again after these delays (ms,
   * the last repeating), at most `recordAttempts` times in all (defaults: 0.1 s doubling to 5 s, 40)
   */
  recordRetryMs?: number[];
  recordAttempts?: number;
}

export const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_POLL_MS = 5_000;
/** a job that threw (not a provider's final answer) is tried this many times, with the link delays */
const MAX_JOB_ATTEMPTS = 5;
const DEFAULT_RECORD_RETRY_MS = [100, 200, 400, 800, 1_600, 3_200, 5_000];
const DEFAULT_RECORD_ATTEMPTS = 40;

/** The failure reason of a message whose send may have happened without its result being recorded. */
export const MAY_HAVE_BEEN_SENT =
  'This message may have been sent: the relay stopped before it could record the provider\'s answer. Check with the contact before sending it again.';

/** One claimed job while it runs: `done` once it was finished (or is no longer this relay's). */
interface Running {
  job: JobRow;
  done: boolean;
}

export class EffectRunner {
  private closed = false;
  private started = false;
  /** no new claims (graceful shutdown) */
  private quiet = false;
  private readonly pending = new Set<Promise<void>>();
  private readonly leases: Leases<JobRow>;
  private readonly smsParts: SmsPartTracker;
  private readonly retryDelays = linkRetryDelays();
  private readonly pollMs: number;
  private readonly maxRunning: number;
  private running = 0;
  private waiting = 0;
  private passing = false;
  private again = false;
  private readonly wake: WakeTimer;
  private readonly renewTimer: NodeJS.Timeout;
  /** counters for tests and /metrics: jobs claimed and run to the end by this relay */
  readonly stats = { claimed: 0, finished: 0, retried: 0, recordRetries: 0 };
  private readonly jobEnds: (() => void)[] = [];
  private readonly recordRetryMs: number[];
  private readonly recordAttempts: number;
  /** aborted at close: ends the waits between tries of a recording */
  private readonly stopping = new AbortController();

  constructor(
    private readonly engine: Engine,
    private readonly providers: () => ProviderRegistry,
    private readonly hooks: EffectHooks,
    private readonly log: (msg: string, err?: unknown) => void,
    opts: EffectRunnerOptions,
  ) {
    const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.leases = new Leases<JobRow>(engine.store, { table: 'jobs', dueColumn: 'next_at', returning: JOB_COLUMNS, owner: opts.relayId, leaseMs });
    this.pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
    this.wake = new WakeTimer(() => this.kick(), this.pollMs);
    this.maxRunning = opts.maxRunning ?? 64;
    this.recordRetryMs = opts.recordRetryMs?.length ? opts.recordRetryMs : DEFAULT_RECORD_RETRY_MS;
    this.recordAttempts = Math.max(1, opts.recordAttempts ?? DEFAULT_RECORD_ATTEMPTS);
    this.smsParts = new SmsPartTracker(engine.store);
    engine.onCommit((c) => {
      if (c.effects.length) this.kick();
    });
    this.renewTimer = setInterval(() => {
      if (this.running && !this.closed) this.leases.renew(Date.now()).catch((e: unknown) => this.log('relay: effect leases could not be renewed', e));
    }, Math.max(10, Math.floor(leaseMs / 3)));
    this.renewTimer.unref();
  }

  /**
   * Starts claiming. SQLite: one relay per database, so leases found now are a dead process's and
   * are freed at once. Work an older relay left without jobs is adopted once (jobs.ts).
   */
  async start(): Promise<void> {
    const store = this.engine.store;
    if (store.dialect === 'sqlite') await this.leases.releaseAll();
    const adopted = await store.write((tx) => adoptUnfinishedWork(tx, Date.now()));
    if (adopted) this.log(`relay: ${adopted} unfinished effects of an earlier version adopted as jobs`);
    this.started = true;
    this.kick();
  }

  /** Looks for due jobs now (after a local commit with effects; a timer; a job's end). */
  private kick(): void {
    if (this.closed || this.quiet || !this.started) return;
    if (this.passing) {
      this.again = true;
      return;
    }
    this.passing = true;
    this.track(
      this.pass()
        .catch((e: unknown) => this.log('relay: effects could not be claimed', e))
        .finally(() => {
          this.passing = false;
          if (this.again) {
            this.again = false;
            this.kick();
          } else this.arm();
        }),
    );
  }

  private async pass(): Promise<void> {
    for (;;) {
      const room = Math.min(100, this.maxRunning - this.running);
      if (room <= 0 || this.closed || this.quiet) return;
      const jobs = await this.leases.claimDue(Date.now(), room);
      if (this.closed) return; // claimed by a relay that is closing: the leases run out
      for (const j of jobs) this.launch(j);
      if (jobs.length < room) return;
    }
  }

  /** Sleeps until the next job is due (a retry, an expired lease of another relay), at most pollMs. */
  private arm(): void {
    if (this.closed || this.quiet) return;
    const now = Date.now();
    Promise.all([this.leases.next(), this.leases.waiting(now)])
      .then(([at, waiting]) => {
        this.waiting = waiting;
        if (this.closed || this.quiet) return;
        // due now but no room: a job's end looks again (never spin)
        const soonest = this.running >= this.maxRunning ? now + this.pollMs : now + 1;
        this.wake.arm(at === null ? null : Math.max(at, soonest));
      })
      .catch((e: unknown) => this.log('relay: effects could not be scheduled', e));
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private launch(job: JobRow): void {
    this.stats.claimed++;
    this.running++;
    this.track(
      this.runJob(job)
        .catch((e: unknown) => this.log(`relay: effect ${job.kind} failed`, e))
        .finally(() => {
          this.running--;
          for (const l of this.jobEnds) l();
          // room for another, a retry's time to arm, or the job committed again meanwhile
          this.kick();
        }),
    );
  }

  private async runJob(job: JobRow): Promise<void> {
    const r: Running = { job, done: false };
    try {
      await this.run(JSON.parse(job.payload) as ServerEffect, r);
    } catch (err) {
      if (this.closed || r.done) return;
      const attempts = job.attempts + 1;
      this.log(`relay: effect ${job.kind} failed (attempt ${attempts})`, err);
      if (attempts < MAX_JOB_ATTEMPTS) {
        const reason = (err instanceof Error ? err.message : String(err)).slice(0, 300);
        await this.exec(rescheduleJob(job, attempts, Date.now() + delayAfter(attempts, this.retryDelays), reason));
        this.stats.retried++;
        return;
      }
    }
    // closing: the job stays claimed until its lease runs out (another relay, or the next start, runs it)
    if (this.closed || r.done) return;
    await this.exec(finishJob(job, Date.now()));
    this.stats.finished++;
  }

  /** Statements on the jobs table, each its own short write (no version-row lock on PostgreSQL). */
  private async exec(statements: Statement[]): Promise<void> {
    for (const [sql, params] of statements) await this.engine.store.run(sql, params);
  }

  /** `l` is called each time a job this relay ran ends (finished, retried later, or left: tests). */
  onJobEnd(l: () => void): void {
    this.jobEnds.push(l);
  }

  /** jobs running now on this relay (provider calls in flight, broadcasts) */
  get inFlight(): number {
    return this.running;
  }

  /** jobs waiting for their time (retries), as of the last look */
  get scheduled(): number {
    return this.waiting;
  }

  /** Resolves when every job claimed so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Graceful shutdown: claim nothing more; what runs finishes (await idle()). */
  quiesce(): void {
    this.quiet = true;
    this.wake.cancel();
  }

  close(): void {
    this.closed = true;
    this.quiesce();
    clearInterval(this.renewTimer);
    this.stopping.abort();
  }

  /** A system mutation that finishes no job (a refusal or a failure is logged). */
  private async system(name: string, args: unknown): Promise<void> {
    if (this.closed) return;
    try {
      await this.engine.runAs(SYSTEM_ACTOR, name, args);
    } catch (e) {
      this.log(e instanceof MutationError ? `relay: system mutation ${name} refused` : `relay: system mutation ${name} could not be recorded`, e);
    }
  }

  /**
   * A job's result as a system mutation that finishes the job in the same transaction. A refusal
   * by the mutator finishes the job on its own. A failure to write (database busy or locked, a
   * dropped connection) is tried again with backoff while the lease is renewed (the job still
   * counts as running): the result is kept and recorded, the work behind it never redone. After
   * `recordAttempts` the job is given back; a send's `attempted_at` keeps it from being sent again.
   */
  private async record(name: string, args: unknown, r: Running): Promise<void> {
    const finishing: RunOptions = { also: (rows, now) => finishJob(r.job, now).forEach(([sql, p]) => rows.exec(sql, p)) };
    let refused = false;
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        if (refused) await this.exec(finishJob(r.job, Date.now()));
        else await this.engine.runAs(SYSTEM_ACTOR, name, args, finishing);
        r.done = true;
        this.stats.finished++;
        return;
      } catch (e) {
        if (!refused && e instanceof MutationError) {
          this.log(`relay: system mutation ${name} refused`, e);
          refused = true;
          attempt = 0; // finishing the job alone gets its own tries
          continue;
        }
        if (attempt >= this.recordAttempts) {
          this.log(`relay: the result of job ${r.job.id} (${name}) could not be recorded after ${attempt} attempts; the job is given back`, e);
          r.done = true;
          await this.leases.release(r.job.id).catch((err: unknown) => this.log(`relay: job ${r.job.id} could not be given back (its lease runs out)`, err));
          return;
        }
        this.stats.recordRetries++;
        this.log(`relay: the result of job ${r.job.id} (${name}) could not be recorded (attempt ${attempt}); trying again`, e);
        await sleep(delayAfter(attempt, this.recordRetryMs), undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
    // closing: the job stays claimed until its lease runs out; a send's attempted_at stops a resend
  }

  /**
   * Before an act that cannot be taken back: false (and the job left alone) when another relay
   * took it over. `attempt`: the act is a provider call, marked on the job in the same statement.
   */
  private async stillOurs(r: Running, attempt = false): Promise<boolean> {
    if (await this.leases.hold(r.job.id, Date.now(), attempt ? 'attempted_at' : undefined)) return true;
    r.done = true;
    this.log(`relay: job ${r.job.id} was taken over by another relay (its lease ran out here)`);
    return false;
  }

  private async run(e: ServerEffect, r: Running): Promise<void> {
    switch (e.kind) {
      case 'sendMessage':
        return this.sendMessage(e.messageId, r);
      case 'paymentLink':
        return this.paymentLink('invoice', e.invoiceId, r);
      case 'checkoutLink':
        return this.paymentLink('checkout', e.checkoutId, r);
      case 'broadcast':
        return this.broadcast(e.broadcastId);
      case 'userDeactivated':
        return this.hooks.userDeactivated(e.userId);
      case 'attachmentsReleased':
        return this.hooks.attachmentsReleased(e.ids);
    }
  }

  private async sendMessage(messageId: string, r: Running): Promise<void> {
    const store = this.engine.store.rows;
    const msg = await store.get('messages', messageId);
    if (!msg || msg.direction !== 'outbound' || msg.status !== 'queued') return;
    // a provider call of this job began and its answer was never recorded: it may have been sent
    if (r.job.attemptedAt !== null) return this.record('updateDeliveryStatus', { messageId, status: 'failed', failureReason: MAY_HAVE_BEEN_SENT }, r);
    const conv = await store.get('conversations', msg.conversationId);
    const contact = conv ? await store.get('contacts', conv.contactId) : undefined;
    const group = conv ? await store.get('groups', conv.groupId) : undefined;
    if (!conv || !contact || !group) return this.record('updateDeliveryStatus', { messageId, status: 'failed', failureReason: 'The conversation or contact no longer exists.' }, r);
    const provider = await this.providers().channelFor(group.id, msg.channel);
    // No silent simulator: the fallback delivers only where an admin chose the simulator. The
    // group's synced setting follows the relay's accounts (changed by the CLI while running, too).
    const setting = group.channelProviders[msg.channel];
    const actual = provider.kind === 'simulator' ? (setting === 'simulator' ? 'simulator' : null) : provider.kind;
    if (actual !== setting) await this.system('setChannelProvider', { groupId: group.id, channel: msg.channel, provider: actual });
    if (actual === null) return this.record('updateDeliveryStatus', { messageId, status: 'failed', failureReason: noProviderMessage(group, msg.channel) }, r);
    // The provider sends the approved template, not our text. The text, which the mutator checked
    // when the message was queued, picks the template (a name may be approved in several languages)
    // and gives the blanks' values. A payment message goes as the group's template for payment
    // links, its values what is due and the link (a link can be longer than a blank).
    const named = (t: { name: string }) => t.name === msg.templateName;
    let template: WhatsAppTemplate | undefined;
    let variables: string[] | null = null;
    if (msg.templateName && msg.paymentRef) {
      template = group.templates.find((t) => named(t) && t.forPayments) ?? group.templates.find(named);
      if (template) variables = await this.paymentValues(msg.paymentRef);
    } else if (msg.templateName) {
      const approved = approvedTemplate(group.templates, msg.templateName, msg.body);
      template = approved?.template;
      variables = approved?.values ?? null;
    }
    if (msg.templateName && !variables) {
      return this.record('updateDeliveryStatus', { messageId, status: 'failed', failureReason: `The template "${msg.templateName}" is no longer approved for this group, or no longer matches this text.` }, r);
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
    // the one step that cannot be taken back: only while this relay still holds the job, and
    // marked on the job first. From here on the job is never sent again: its answer is recorded
    // (tried until it is), or a later run of the job finds the mark and fails the message.
    if (!(await this.stillOurs(r, true))) return;
    const result: SendResult = await provider.send(out);
    if (perPart && !result.ok) await this.smsParts.forget(messageId).catch((e: unknown) => this.log(`relay: SMS parts of ${messageId} could not be forgotten`, e));
    if (result.ok) await this.record('updateDeliveryStatus', { messageId, status: 'sent', providerMessageId: result.providerMessageId }, r);
    else await this.record('updateDeliveryStatus', { messageId, status: 'failed', failureReason: result.reason.slice(0, 500) }, r);
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

  private async paymentLink(kind: 'invoice' | 'checkout', id: string, r: Running): Promise<void> {
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
    if (current) return;
    // Stripe's client retries itself (maxNetworkRetries); a throw here is retried with backoff.
    let link: { url: string; providerRef: string };
    let payments: PaymentProvider;
    if (!(await this.stillOurs(r))) return;
    try {
      payments = await this.providers().payments();
      link = await payments.createLink(req);
    } catch (err) {
      return this.linkFailed(kind, id, err, r);
    }
    // the contact gets the relay's link to the session: it renews the session once expired (http/payLinks.ts)
    const paymentUrl = payments instanceof StripePayments ? await payLinkUrl(payments.publicUrl, this.engine.meta, kind, id) : link.url;
    await this.record('setPaymentLink', { ...(kind === 'invoice' ? { invoiceId: id } : { checkoutId: id }), paymentUrl, providerRef: link.providerRef }, r);
  }

  /** Tried again with backoff (the job's attempts and next_at); after the last attempt the waiting messages fail. */
  private async linkFailed(kind: 'invoice' | 'checkout', id: string, err: unknown, r: Running): Promise<void> {
    if (this.closed) return;
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 300) || 'unknown error';
    const attempts = r.job.attempts + 1;
    this.log(`relay: payment link for ${kind} ${id} failed (attempt ${attempts})`, err);
    if (attempts < MAX_LINK_ATTEMPTS) {
      await this.exec(rescheduleJob(r.job, attempts, Date.now() + delayAfter(attempts, this.retryDelays), reason));
      r.done = true;
      this.stats.retried++;
      return;
    }
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
