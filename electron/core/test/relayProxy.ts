// A loopback proxy in front of a real relay, for tests of what travels between them: it
// forwards HTTP as is and relays each sync WebSocket frame through hooks that may rewrite,
// hold or drop it. It plays a newer or older relay, or a network that fails at a chosen frame.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export interface FrameHooks {
  /** relay → client; return null to drop the frame, 'cut' to drop it and cut both sockets */
  down?(frame: Record<string, unknown>): Record<string, unknown> | null | 'cut';
  /** client → relay; may answer the client itself (`reply`) instead of forwarding */
  up?(frame: Record<string, unknown>, reply: (f: Record<string, unknown>, close?: number) => void): Record<string, unknown> | null;
}

export class RelayProxy {
  hooks: FrameHooks = {};
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  /** while true, relay → client frames wait (they are lost if the sockets are cut meanwhile) */
  private holding = false;
  private readonly held: { client: WebSocket; text: string }[] = [];
  port = 0;

  constructor(private target: { host: string; port: number }) {
    this.server = createServer((req, res) => {
      const up = request({ host: this.target.host, port: this.target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => {
        res.writeHead(502).end();
      });
      req.pipe(up);
    });
    this.server.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (client) => this.bridge(client, req.url ?? '/sync'));
    });
  }

  retarget(port: number): void {
    this.target = { ...this.target, port };
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  /** Cuts every proxied socket, as a network failure would; held frames are lost. */
  cutAll(): void {
    this.held.length = 0;
    for (const s of this.sockets) s.terminate();
  }

  holdDown(): void {
    this.holding = true;
  }

  releaseDown(): void {
    this.holding = false;
    for (const h of this.held.splice(0)) if (h.client.readyState === WebSocket.OPEN) h.client.send(h.text);
  }

  private bridge(client: WebSocket, path: string): void {
    const relay = new WebSocket(`ws://${this.target.host}:${this.target.port}${path}`);
    this.sockets.add(client);
    this.sockets.add(relay);
    const pending: string[] = [];
    const cut = () => {
      client.terminate();
      relay.terminate();
    };
    relay.on('open', () => {
      for (const p of pending.splice(0)) relay.send(p);
    });
    client.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString()) as Record<string, unknown>;
      const reply = (f: Record<string, unknown>, close?: number) => {
        client.send(JSON.stringify(f));
        if (close) client.close(close);
      };
      const out = this.hooks.up ? this.hooks.up(frame, reply) : frame;
      if (!out) return;
      const text = JSON.stringify(out);
      if (relay.readyState === WebSocket.OPEN) relay.send(text);
      else pending.push(text);
    });
    relay.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString()) as Record<string, unknown>;
      const out = this.hooks.down ? this.hooks.down(frame) : frame;
      if (out === 'cut') return cut();
      if (!out) return;
      if (this.holding) this.held.push({ client, text: JSON.stringify(out) });
      else if (client.readyState === WebSocket.OPEN) client.send(JSON.stringify(out));
    });
    relay.on('close', (code) => {
      this.sockets.delete(relay);
      if (client.readyState === WebSocket.OPEN) client.close(code === 1005 || code === 1006 ? 1000 : code);
    });
    client.on('close', () => {
      this.sockets.delete(client);
      relay.terminate();
    });
    relay.on('error', () => client.terminate());
    client.on('error', () => relay.terminate());
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
