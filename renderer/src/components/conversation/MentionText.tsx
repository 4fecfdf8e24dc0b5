// A note's text with its @mentions of known people emphasised (and links as links).
import { Fragment } from 'react';
import { useDirectory } from '../../lib/directory';
import { Linkified } from '../Linkified';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `plain`: no links (inside a list option, which may not hold interactive content). */
export function MentionText({ text, plain }: { text: string; plain?: boolean }) {
  const dir = useDirectory();
  const names = dir.users.map((u) => u.name).filter(Boolean).sort((a, b) => b.length - a.length);
  const rest = (t: string) => (plain ? t : <Linkified text={t} />);
  if (!names.length || !text.includes('@')) return <>{rest(text)}</>;
  const re = new RegExp(`(@(?:${names.map(escape).join('|')}))`, 'g');
  const parts = text.split(re);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <span key={i} className="mention">
            {p}
          </span>
        ) : (
          <Fragment key={i}>{p && rest(p)}</Fragment>
        ),
      )}
    </>
  );
}
