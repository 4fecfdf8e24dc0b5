// A note's text with its @mentions of known people emphasised (and links as links).
import { Fragment } from 'react';
import { useDirectory } from '../../lib/directory';
import { Linkified } from '../Linkified';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function MentionText({ text }: { text: string }) {
  const dir = useDirectory();
  const names = dir.users.map((u) => u.name).filter(Boolean).sort((a, b) => b.length - a.length);
  if (!names.length || !text.includes('@')) return <Linkified text={text} />;
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
          <Fragment key={i}>{p && <Linkified text={p} />}</Fragment>
        ),
      )}
    </>
  );
}
