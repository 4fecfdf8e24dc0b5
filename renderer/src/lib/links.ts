// URLs in message text: split for rendering (links show their host, the full address on
// hover) and replaced by a short token in one-line previews. Free of React.
export const URL_RE = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])/g;
export const LINK_TOKEN = '(link)';

/** Text and URL pieces, in order. */
export function linkParts(text: string): { kind: 'text' | 'url'; value: string }[] {
  return text
    .split(URL_RE)
    .map((value, i) => ({ kind: i % 2 === 1 ? ('url' as const) : ('text' as const), value }))
    .filter((p) => p.value !== '');
}

/** What a link shows: its host (and port), or the URL itself when it does not parse. */
export function linkLabel(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** A one-line preview with every URL replaced by the link token. */
export function previewText(text: string): string {
  return text.replace(URL_RE, LINK_TOKEN);
}
