// The built-in simulator: a channel provider whose "contacts" are in-process. Outbound
// messages move queued → sent (the send result) → delivered (a short timer); what each
// contact received is recorded. Plus manual payments (a tiny page on the relay) and the
// default registry that uses both.
import { uuidv7 } from 'uuidv7';
import type { Channel } from '../../shared/schema';
import type { ChannelProvider, OutboundMessage, PaymentProvider, ProviderRegistry, ProviderSink, SendResult } from './types';

export interface SimulatedText {
  to: string;
  channel: Channel;
  body: string;
  messageId: string;
  at: number;
}

export class SimulatorChannel implements ChannelProvider {
  readonly kind = 'simulator' as const;
  private readonly texts: SimulatedText[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private sink: ProviderSink | null = null;

  constructor(private readonly deliverAfterMs = 30) {}

  attach(sink: ProviderSink): void {
    this.sink = sink;
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    const providerMessageId = `sim_${uuidv7()}`;
    const at = Date.now();
    const parts = msg.parts.length ? msg.parts : [''];
    for (const body of parts) this.texts.push({ to: msg.to, channel: msg.channel, body, messageId: msg.messageId, at });
    const t = setTimeout(() => {
      this.timers.delete(t);
      // the sink logs what it refuses; a relay closing meanwhile has nothing left to report to
      this.sink?.status({ messageId: msg.messageId, providerMessageId, status: 'delivered' }).catch(() => undefined);
    }, this.deliverAfterMs);
    this.timers.add(t);
    return { ok: true, providerMessageId };
  }

  sent(): SimulatedText[] {
    return [...this.texts];
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** Payment links that open a page on the relay where an admin (or the demo) marks them paid. */
export class ManualPayments implements PaymentProvider {
  readonly kind = 'manual' as const;
  constructor(private readonly httpUrl: string) {}
  async createLink(req: { kind: 'invoice' | 'checkout'; id: string }): Promise<{ url: string; providerRef: string }> {
    return { url: `${this.httpUrl}/pay/${req.kind}/${encodeURIComponent(req.id)}`, providerRef: `manual_${req.id}` };
  }
}

export function createDefaultRegistry(simulator: SimulatorChannel, httpUrl: string): ProviderRegistry {
  const payments = new ManualPayments(httpUrl);
  return {
    channelFor: () => simulator,
    payments: () => payments,
    webhook: () => undefined,
    sendRatePerSecond: () => 50,
  };
}
