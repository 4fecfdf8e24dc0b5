// Test harness for the provider adapters: the relay's real database (migrations applied),
// local HTTP servers that speak each provider's wire format, and a sink that records what
// the adapters hand to the relay (the ProviderSink/PaymentSink interface boundary).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../db/open';
import { createDefaultRegistry, SimulatorChannel } from '../simulator';
import { createProviderRegistry, type ParleyProviderRegistry } from '../registry';
import type { ProviderAttachmentStore } from '../deps';
import type { PaymentSink, ProviderSink, WebhookResponse } from '../types';

export interface Recorded {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
  form(): Record<string, string>;
  json(): Record<string, unknown>;
}
type Reply = (req: Recorded, res: ServerResponse) => void;

export interface FakeApi {
  url: string;
  port: number;
  requests: Recorded[];
  /** replies used in order; the last one repeats */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

export async function startFakeApi(): Promise<FakeApi> {
  const requests: Recorded[] = [];
  let replies: Reply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rec: Recorded = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
        body,
        form: () => Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
        json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown>,
      };
      requests.push(rec);
      const reply = replies.length > 1 ? replies.shift() : replies[0];
      if (reply) reply(rec, res);
      else sendJson(res, 404, { error: 'no reply configured' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    reply: (...r) => void (replies = r),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export class RecordingSink implements ProviderSink, PaymentSink {
  inbounds: Parameters<ProviderSink['inbound']>[0][] = [];
  statuses: Parameters<ProviderSink['status']>[0][] = [];
  payments: Parameters<PaymentSink['payment']>[0][] = [];
  async inbound(m: Parameters<ProviderSink['inbound']>[0]): Promise<void> {
    this.inbounds.push(m);
  }
  async status(u: Parameters<ProviderSink['status']>[0]): Promise<void> {
    this.statuses.push(u);
  }
  async payment(u: Parameters<PaymentSink['payment']>[0]): Promise<void> {
    this.payments.push(u);
  }
}

export const PUBLIC_URL = 'https://parley.example.com';

export interface Harness {
  dataDir: string;
  registry: ParleyProviderRegistry;
  sink: RecordingSink;
  simulator: SimulatorChannel;
  db: ReturnType<typeof openStore>;
  /** calls the registry's webhook handler as the relay's HTTP layer would; 404 when none */
  webhook(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<WebhookResponse>;
  close(): Promise<void>;
}

export function startHarness(opts: { attachments?: ProviderAttachmentStore } = {}): Harness {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-providers-'));
  const db = openStore(dataDir);
  const simulator = new SimulatorChannel();
  const fallback = createDefaultRegistry(simulator, 'http://127.0.0.1:9');
  const registry = createProviderRegistry({ store: db, dataDir, httpUrl: 'http://127.0.0.1:9', publicUrl: PUBLIC_URL, fallback, attachments: opts.attachments, retry: { baseDelayMs: 5, maxDelayMs: 50 }, env: {} });
  const sink = new RecordingSink();
  return {
    dataDir,
    db,
    registry,
    sink,
    simulator,
    async webhook(path, init) {
      const url = new URL(path, 'http://127.0.0.1:9');
      const handler = await registry.webhook(url.pathname.split('/').filter(Boolean).slice(1));
      if (!handler) return { status: 404 };
      const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const body = init.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
      return handler({ method: init.method ?? 'POST', url, headers, rawBody: body }, sink);
    },
    async close() {
      simulator.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

export const outbound = (over: Partial<import('../types').OutboundMessage> = {}): import('../types').OutboundMessage => ({
  messageId: 'msg-1',
  groupId: 'g-sales',
  channel: 'sms',
  to: '+14155552671',
  from: '+15005550006',
  parts: ['Hello there'],
  attachments: [],
  location: null,
  template: null,
  ...over,
});
