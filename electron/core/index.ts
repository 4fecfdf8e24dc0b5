// Entry point of the core: plain Node, so it runs under vitest, in the browser host
// and unchanged in Electron's main process.
import type { Bridge } from '../../shared/bridge';
import { CoreImpl, type CoreOptions } from './core';

export { FileSecretStore, type SecretStore } from './secretStore';
export type { CoreOptions } from './core';

export interface Core extends Bridge {
  /** resumes the stored session (refresh token in the secret store), if any */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createCore(opts: CoreOptions): Core & { readonly impl: CoreImpl } {
  const impl = new CoreImpl(opts);
  return {
    impl,
    start: () => impl.start(),
    close: () => impl.close(),
    query: (name, args) => impl.query(name, args),
    command: (name, args) => impl.command(name, args),
    mutate: (name, args) => impl.mutate(name, args),
    subscribe: (listener) => impl.subscribe(listener),
  };
}
