// How the main process reaches the relay on a company network. HTTP (sign-in, token
// refresh, attachments) goes through Electron's `net.fetch`: Chromium's stack, with the
// system proxy settings (PAC included) and the OS certificate store. The sync WebSocket
// (`ws`, Node's TLS) gets the proxy Chromium resolves for its URL (session.resolveProxy)
// as an agent, and the OS certificates where this Electron's Node can read them.
// The fuses (electron-builder.yml) switch off NODE_OPTIONS and NODE_EXTRA_CA_CERTS: this is
// how a corporate CA reaches Parley instead.
import * as tls from 'node:tls';
import type { ClientOptions } from 'ws';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { Logger } from './log';

export type ProxyRoute = { kind: 'direct' } | { kind: 'http'; url: string } | { kind: 'unsupported'; spec: string };

/** The first usable entry of a PAC-style answer ("PROXY h:p; HTTPS h:p; SOCKS5 h:p; DIRECT"). */
export function parseProxyRule(rule: string): ProxyRoute {
  const entries = rule.split(';').map((s) => s.trim()).filter(Boolean);
  let unsupported: string | null = null;
  for (const e of entries) {
    const [kind = '', hostPort = ''] = e.split(/\s+/);
    const k = kind.toUpperCase();
    if (k === 'DIRECT') return { kind: 'direct' };
    if ((k === 'PROXY' || k === 'HTTP') && hostPort) return { kind: 'http', url: `http://${hostPort}` };
    if (k === 'HTTPS' && hostPort) return { kind: 'http', url: `https://${hostPort}` };
    unsupported ??= e;
  }
  return unsupported ? { kind: 'unsupported', spec: unsupported } : { kind: 'direct' };
}

/** The OS certificate store beside Node's bundled roots, when this Node can read it (Node ≥ 22.15 / 23.5). */
export function systemCaCertificates(): string[] | null {
  const get = (tls as { getCACertificates?: (type: 'default' | 'system' | 'bundled' | 'extra') => string[] }).getCACertificates;
  if (!get) return null;
  try {
    return [...new Set([...get('default'), ...get('system')])];
  } catch {
    return null;
  }
}

/** Socket options of the sync connection: Chromium's proxy choice for that URL, the OS certificates. */
export function wsConnectOptions(resolveProxy: (url: string) => Promise<string>, log: Logger): (wsUrl: string) => Promise<ClientOptions> {
  const ca = systemCaCertificates();
  let lastRoute = '';
  return async (wsUrl) => {
    // Chromium resolves proxies for http(s) URLs; the socket's route is the one of its https twin.
    const httpUrl = wsUrl.replace(/^ws/, 'http');
    const route = parseProxyRule(await resolveProxy(httpUrl));
    const opts: ClientOptions = {};
    if (ca && wsUrl.startsWith('wss:')) opts.ca = ca;
    const desc = route.kind === 'http' ? `via proxy ${route.url}` : route.kind === 'direct' ? 'direct' : `direct (unsupported proxy "${route.spec}")`;
    if (desc !== lastRoute) {
      lastRoute = desc;
      if (route.kind === 'unsupported') log.warn('network', `sync connects ${desc}: only HTTP(S) proxies are supported for the sync socket`);
      else log.info('network', `sync connects ${desc}`);
    }
    if (route.kind === 'http') opts.agent = new HttpsProxyAgent(route.url);
    return opts;
  };
}
