// getBridge(): the one way the renderer reaches the core. Electron's preload puts the
// bridge on window.parley; in a plain browser we talk to the browser host over its
// local WebSocket, authenticated by the per-launch secret in the URL fragment.
import type { Bridge } from '../../shared/bridge';
import { createWsBridge, type HostConnection, type SocketLike } from './wsBridge';

declare global {
  interface Window {
    parley?: Bridge;
  }
}

let bridge: Bridge | null = null;
let connection: { get(): HostConnection; on(l: (c: HostConnection) => void): () => void } = {
  get: () => 'open',
  on: () => () => undefined,
};

const SECRET_KEY = 'parley.bridgeSecret';

/** The host secret: from `#secret=…`, remembered for this tab so a reload keeps working. */
export function bridgeSecret(): string {
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('secret');
  if (fromHash) {
    sessionStorage.setItem(SECRET_KEY, fromHash);
    return fromHash;
  }
  return sessionStorage.getItem(SECRET_KEY) ?? '';
}

export function bridgeUrl(): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/bridge?secret=${encodeURIComponent(bridgeSecret())}`;
}

export function getBridge(): Bridge {
  if (bridge) return bridge;
  if (window.parley) {
    bridge = window.parley;
    return bridge;
  }
  const ws = createWsBridge(bridgeUrl(), (url) => new WebSocket(url) as unknown as SocketLike);
  connection = { get: () => ws.connection(), on: (l) => ws.onConnection(l) };
  bridge = ws;
  return bridge;
}

/** State of the link to the local host (always open under Electron). */
export function hostConnection() {
  return connection;
}

export { BridgeError, errorMessage, toBridgeError } from './errors';
