// Text with http(s) links made clickable: the host is the visible text, the full address
// shows on hover; they open outside the app (the shell hands target=_blank to the browser).
import { ExternalLink } from 'lucide-react';
import { linkLabel, linkParts } from '../lib/links';

export function Linkified({ text }: { text: string }) {
  return (
    <>
      {linkParts(text).map((p, i) =>
        p.kind === 'url' ? (
          <a key={i} className="ext-link" href={p.value} target="_blank" rel="noopener noreferrer" title={`${p.value} (opens in your browser)`}>
            {linkLabel(p.value)}
            <ExternalLink size={11} aria-hidden="true" />
          </a>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </>
  );
}
