// The preload exposes exactly one object, window.parley, satisfying the Bridge. No raw
// ipcRenderer reaches the page. Bundled to dist/electron/preload.cjs (sandboxed preloads
// may only require 'electron'), so it imports types only.
import { contextBridge, ipcRenderer } from 'electron';
import type { Bridge, BridgeEvent } from '../../shared/bridge';
import type { BridgeResponse } from '../../shared/bridgeWire';

let nextId = 1;
const listeners = new Set<(e: BridgeEvent) => void>();
// A deep link can arrive before React subscribes: keep the last one for the first listener.
let undeliveredNavigate: BridgeEvent | null = null;

ipcRenderer.on('parley:event', (_event, e: BridgeEvent) => {
  if (listeners.size === 0 && e.type === 'navigate') undeliveredNavigate = e;
  for (const l of listeners) l(e);
});

async function call(kind: 'query' | 'command' | 'mutate', name: string, args: unknown): Promise<never> {
  const res = (await ipcRenderer.invoke('parley:bridge', { id: nextId++, kind, name, args })) as BridgeResponse;
  if (res.ok) return res.result as never;
  // Rejected as a plain object: Error subclasses do not survive the context bridge.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw { bridgeError: true, code: res.error.code, message: res.error.message };
}

const api = {
  query: (name, args) => call('query', name, args),
  command: (name, args) => call('command', name, args),
  mutate: (name, args) => call('mutate', name, args),
  subscribe(listener) {
    listeners.add(listener);
    if (undeliveredNavigate) {
      const e = undeliveredNavigate;
      undeliveredNavigate = null;
      queueMicrotask(() => listener(e));
    }
    return () => void listeners.delete(listener);
  },
} satisfies Bridge;

contextBridge.exposeInMainWorld('parley', api);
