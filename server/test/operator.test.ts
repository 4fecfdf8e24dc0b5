// What an operator runs the relay with (issue 14 §3): Prometheus metrics at /metrics, structured
// logs that carry request and connection ids and never content or secrets, one error shape for
// every HTTP refusal, and a graceful shutdown that lets an in-flight provider send finish.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createLogger } from '../log';
import type { ChannelProvider, OutboundMessage, ProviderRegistry } from '../providers/types';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation } from './helpers';

let org: TestOrg | null = null;
afterEach(async () => {
  await org?.relay.close();
  org = null;
});

/** The value of one sample line of the text exposition format (`name{labels} value`). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('serves Prometheus text: sockets, mutations, poke and catch-up latency, effect queue depth, event-loop lag', async () => {
    const o = (org = await startTestRelay());
    const admin = await connectAs(o, 'admin');
    const alice = await connectAs(o, 'alice');
    const { convId } = await salesConversation(o, admin, alice);
    expect((await alice.mutate('addNote', { id: uuidv7(), conversationId: convId, body: 'n' })).status).toBe('ok');
    await o.relay.services.effects.idle();

    const res = await fetch(`${o.relay.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'parley_sync_sockets')).toBe(2);
    expect(sample(text, 'parley_mutations_total{outcome="applied"}')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'parley_catchup_seconds_count{kind="full"}')).toBe(2);
    expect(sample(text, 'parley_poke_fanout_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'parley_effect_queue_depth{state="running"}')).toBe(0);
    expect(sample(text, 'parley_sync_catchups{state="waiting"}')).toBe(0);
    // alice coming online went to the admin's socket, encoded once
    expect(sample(text, 'parley_presence_frames_sent_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'parley_presence_frames_encoded_total')).toBeGreaterThanOrEqual(1);
    // the simulator's delivery receipts may commit after the scrape
    expect(sample(text, 'parley_db_version')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'parley_db_version')).toBeLessThanOrEqual(o.relay.services.engine.version());
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(text).toMatch(/^parley_http_request_seconds_count\{method="POST",route="\/auth\/login",status="200"\} \d+$/m);
    // labels are route patterns, never ids
    expect(text).not.toContain(convId);

    await Promise.all([admin.close(), alice.close()]);
    await new Promise((r) => setTimeout(r, 0));
    await expect.poll(async () => sample(await (await fetch(`${o.relay.httpUrl}/metrics`)).text(), 'parley_sync_sockets')).toBe(0);
  });
});

describe('GET /metrics with a metrics token', () => {
  it('asks for the token as a Bearer token', async () => {
    const o = (org = await startTestRelay({ metricsToken: 'scrape-me-0123456789' }));
    const url = `${o.relay.httpUrl}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer scrape-me-0123456788' } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer scrape-me-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('parley_sync_sockets 0');
    // probes stay open
    expect((await fetch(`${o.relay.httpUrl}/ready`)).status).toBe(200);
  });
});

describe('structured logs', () => {
  it('carry request and connection ids, and never a password, token or message content', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    let partial = '';
    out.on('data', (d: Buffer) => {
      const parts = (partial + d.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    const o = (org = await startTestRelay({ logger: createLogger({ level: 'debug', destination: out }) }));
    const session = await o.login('alice@test.parley');
    const admin = await connectAs(o, 'admin');
    const alice = await connectAs(o, 'alice');
    const secretBody = 'the code to the back door is 7431';
    const contactId = uuidv7();
    await admin.mutate('createContact', { id: contactId, name: 'Logged Nowhere', phone: '+447700900555' });
    expect((await alice.mutate('sendMessage', { id: uuidv7(), contactId, groupId: o.groups.sales.id, newConversationId: uuidv7(), channel: 'sms', body: secretBody })).status).toBe('ok');
    const refreshed = await fetch(`${o.relay.httpUrl}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }) });
    expect(refreshed.status).toBe(200);
    await fetch(`${o.relay.httpUrl}/webhooks/nope?hub.verify_token=query-secret`);
    await Promise.all([admin.close(), alice.close()]);
    await expect.poll(() => lines.filter((l) => l.includes('sync socket closed')).length).toBe(2);

    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = logged.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const r of requests) {
      expect(r.reqId).toEqual(expect.any(String));
      expect(r.level).toBe(30);
    }
    expect(requests).toContainEqual(expect.objectContaining({ method: 'POST', route: '/auth/refresh', status: 200 }));
    expect(requests).toContainEqual(expect.objectContaining({ method: 'GET', route: '/webhooks/*', status: 404 }));
    const hellos = logged.filter((l) => l.msg === 'sync hello');
    expect(hellos).toHaveLength(2);
    const aliceHello = hellos.find((h) => h.user === o.alice.id);
    expect(typeof aliceHello?.conn).toBe('number');
    const all = lines.join('\n');
    for (const secret of [o.password, session.accessToken, session.refreshToken, secretBody, 'Logged Nowhere', '+447700900555', 'query-secret']) expect(all).not.toContain(secret);
  });
});

describe('HTTP refusals', () => {
  it('answer in one shape: 404, 405, 401 before the body, invalid as a sentence, bad JSON; every answer has a request id', async () => {
    const o = (org = await startTestRelay());
    const url = o.relay.httpUrl;
    const body = async (r: Response) => (await r.json()) as { error: { code: string; message: string } };

    const missing = await fetch(`${url}/no/such/thing`);
    expect([missing.status, (await body(missing)).error.code]).toEqual([404, 'not_found']);
    expect(missing.headers.get('x-request-id')).toMatch(/\S/);
    const wrongMethod = await fetch(`${url}/auth/login`);
    expect([wrongMethod.status, (await body(wrongMethod)).error.code]).toEqual([405, 'method_not_allowed']);
    // not authenticated: refused before its (invalid) body is read or validated
    const anonymous = await fetch(`${url}/admin/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"oops"' });
    expect([anonymous.status, (await body(anonymous)).error.code]).toEqual([401, 'unauthorized']);

    const invalid = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@b.c' }) });
    const inv = await body(invalid);
    expect([invalid.status, inv.error.code]).toEqual([400, 'invalid']);
    expect(inv.error.message).toBe('The password is missing or not valid.');
    const badJson = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect([badJson.status, (await body(badJson)).error.code]).toEqual([400, 'bad_json']);
    // a proxy's request id is kept (and logged)
    const traced = await fetch(`${url}/health`, { headers: { 'x-request-id': 'lb-42.abc' } });
    expect(traced.headers.get('x-request-id')).toBe('lb-42.abc');
    expect(((await traced.json()) as { ok: boolean }).ok).toBe(true);
  });
});

describe('graceful shutdown', () => {
  it('closes sockets with 1001 and finishes a provider send that is in flight; its result is kept', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let started: (m: OutboundMessage) => void = () => undefined;
    const sending = new Promise<OutboundMessage>((r) => (started = r));
    const channel: ChannelProvider = {
      kind: 'twilio',
      send: async (m) => {
        started(m);
        await gate;
        return { ok: true, providerMessageId: `SM-${m.messageId}` };
      },
    };
    const providers: ProviderRegistry = {
      channelFor: () => channel,
      payments: () => ({ kind: 'stripe', createLink: () => Promise.reject(new Error('unused')) }),
      sendRatePerSecond: () => 100,
      webhook: () => undefined,
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-graceful-effects-'));
    try {
      const o = (org = await startTestRelay({ dataDir, providers }));
      const admin = await connectAs(o, 'admin');
      const alice = await connectAs(o, 'alice');
      const { msgId } = await salesConversation(o, admin, alice);
      expect((await sending).messageId).toBe(msgId);
      const closing = o.relay.close({ graceful: true, timeoutMs: 5000 });
      expect((await alice.waitForClose()).code).toBe(1001);
      expect((await admin.waitForClose()).code).toBe(1001);
      expect(o.relay.services.effects.inFlight).toBe(1);
      release();
      await closing;
      org = null;
      const again = (org = await startTestRelay({ dataDir, providers }));
      expect((await again.relay.services.engine.store.rows.get('messages', msgId))?.status).toBe('sent');
    } finally {
      release();
      await org?.relay.close();
      org = null;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
