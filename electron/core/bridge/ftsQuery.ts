// Turning what the user typed into FTS5 MATCH expressions: every word quoted (so
// operators and punctuation are literal), all words required.
import type Database from 'better-sqlite3';

const words = (q: string) => q.split(/\s+/).map((w) => w.replace(/"/g, '').trim()).filter(Boolean);

/** Words as the unicode61 tokenizer (remove_diacritics 2) stores them. */
export const tokens = (q: string): string[] =>
  q.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);

const MAX_EXPANSION = 64;

/**
 * Every word as a prefix, each expanded through the index's vocabulary
 * into the terms it prefixes: `("order" OR "orders") AND ("parcel")`. FTS5 reads an OR of
 * terms lazily in rowid order, so "newest 30" stops early instead of merging every
 * doclist the prefix touches. null when nothing can match. Falls back to the prefix form when a word matches too many terms.
 */
export function expandedQuery(db: Database.Database, vocabTable: string, q: string): string | null {
  const ws = tokens(q);
  if (!ws.length) return null;
  const stmt = db.prepare(`SELECT term FROM ${vocabTable} WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANSION + 1}`);
  const groups: string[] = [];
  for (const w of ws) {
    const hi = w.slice(0, -1) + String.fromCodePoint((w.codePointAt(w.length - 1) ?? 0) + 1);
    const terms = (stmt.all(w, hi) as { term: string }[]).map((t) => t.term);
    if (terms.length === 0) return null; // a word nothing starts with: no hits
    if (terms.length > MAX_EXPANSION) groups.push(`"${w}"*`);
    else groups.push(`(${terms.map((t) => `"${t}"`).join(' OR ')})`);
  }
  return groups.join(' AND ');
}

/** Substring match for the trigram table (contacts); null when no word has 3 characters. */
export function trigramQuery(q: string): string | null {
  const ws = words(q).filter((w) => [...w].length >= 3);
  return ws.length ? ws.map((w) => `"${w}"`).join(' ') : null;
}
