// Turning what the user typed into FTS5 MATCH expressions: every word quoted (so
// operators and punctuation are literal), all words required.
const words = (q: string) => q.split(/\s+/).map((w) => w.replace(/"/g, '').trim()).filter(Boolean);

/** Word-prefix match for the unicode61 tables (messages, notes). */
export function prefixQuery(q: string): string | null {
  const ws = words(q).map((w) => w.replace(/[^\p{L}\p{N}_]+/gu, ' ').trim()).filter(Boolean);
  return ws.length ? ws.map((w) => `"${w}"*`).join(' ') : null;
}

/** Substring match for the trigram table (contacts); null when no word has 3 characters. */
export function trigramQuery(q: string): string | null {
  const ws = words(q).filter((w) => [...w].length >= 3);
  return ws.length ? ws.map((w) => `"${w}"`).join(' ') : null;
}
