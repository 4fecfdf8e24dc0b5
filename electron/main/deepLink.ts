// parley:// deep links: parley://conversation/ID and parley://chat/ID. Pure, tested
// under Node.

export interface LinkTarget {
  kind: 'conversation' | 'chat';
  id: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parseDeepLink(raw: string): LinkTarget | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'parley:') return null;
  // parley://conversation/ID parses with host "conversation"; parley:conversation/ID without.
  const parts = [url.host, ...url.pathname.split('/')].filter(Boolean);
  const [kind, id, ...rest] = parts;
  if ((kind !== 'conversation' && kind !== 'chat') || !id || rest.length > 0) return null;
  const decoded = decodeURIComponent(id);
  return ID.test(decoded) ? { kind, id: decoded } : null;
}

/** Windows and Linux pass the link as a command-line argument of the (second) instance. */
export function deepLinkFromArgv(argv: readonly string[]): LinkTarget | null {
  for (const a of argv) {
    if (a.startsWith('parley:')) {
      const t = parseDeepLink(a);
      if (t) return t;
    }
  }
  return null;
}
