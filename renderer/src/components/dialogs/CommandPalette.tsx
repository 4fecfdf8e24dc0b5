// Ctrl/Cmd+K: search contacts and message text in the local replica, or run a command.
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import clsx from 'clsx';
import { Contact, MessageCircle, MessageSquare, StickyNote, ArrowRight } from 'lucide-react';
import type { SearchHit } from '../../../../shared/bridge';
import { useBridgeQuery } from '../../lib/queries';
import { useShallow } from 'zustand/react/shallow';
import { useUi, type View } from '../../state/ui';
import { exactTime, shortTime } from '../../lib/format';
import { conversationViewNames, conversationViews } from '../../lib/views';
import { Modal } from './Modal';

interface Cmd {
  id: string;
  label: string;
  run: () => void;
}

const START = String.fromCharCode(2);
const END = String.fromCharCode(3);

/** Snippet with the \u0002…\u0003-marked match highlighted. */
function Snippet({ text }: { text: string }) {
  // markers alternate, so after unifying them odd parts are the matches
  const parts = text.split(END).join(START).split(START);
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <mark key={i}>{p}</mark> : <span key={i}>{p}</span>))}
    </>
  );
}

function useDebounced<T>(v: T, ms: number): T {
  const [d, setD] = useState(v);
  useEffect(() => {
    const t = setTimeout(() => setD(v), ms);
    return () => clearTimeout(t);
  }, [v, ms]);
  return d;
}

export function CommandPalette() {
  const { closeDialog: close, setView, select, openDialog, setTheme, theme, density, setDensity } = useUi(useShallow((s) => ({ closeDialog: s.closeDialog, setView: s.setView, select: s.select, openDialog: s.openDialog, setTheme: s.setTheme, theme: s.theme, density: s.density, setDensity: s.setDensity })));
  const [q, setQ] = useState('');
  // the open conversation, for "Discuss this conversation with…"
  const openConversation = useUi((s) => (s.view.kind === 'inbox' ? s.selectedId : null));
  const [active, setActive] = useState(0);
  const dq = useDebounced(q.trim(), 80);
  const hits = useBridgeQuery('search', { q: dq, limit: 30 }, { enabled: dq.length > 0 }).data ?? [];

  const go = (v: View) => () => {
    setView(v);
    close();
  };
  const commands: Cmd[] = useMemo(
    () => [
      ...conversationViewNames.map((inbox) => ({ id: inbox, label: `Go to ${conversationViews[inbox].label}`, run: go({ kind: 'inbox', inbox, groupId: null }) })),
      { id: 'contacts', label: 'Go to Contacts', run: go({ kind: 'contacts' }) },
      { id: 'chats', label: 'Go to Team chat', run: go({ kind: 'chats' }) },
      { id: 'mentions', label: 'Go to Mentions', run: go({ kind: 'mentions' }) },
      { id: 'canned', label: 'Go to Canned responses', run: go({ kind: 'canned' }) },
      { id: 'bc', label: 'New broadcast', run: go({ kind: 'broadcast' }) },
      { id: 'reports', label: 'Go to Reports', run: go({ kind: 'reports' }) },
      { id: 'newchat', label: 'New team chat', run: () => openDialog({ kind: 'new-chat' }) },
      ...(openConversation ? [{ id: 'discuss', label: 'Discuss this conversation with…', run: () => openDialog({ kind: 'discuss', conversationId: openConversation }) }] : []),
      { id: 'theme', label: `Switch theme (now ${theme})`, run: () => setTheme(theme === 'dark' ? 'light' : theme === 'light' ? 'system' : 'dark') },
      { id: 'keys', label: 'Keyboard shortcuts', run: () => openDialog({ kind: 'shortcuts' }) },
      { id: 'density', label: `Switch list rows (now ${density})`, run: () => setDensity(density === 'compact' ? 'comfortable' : 'compact') },
      { id: 'settings', label: 'Go to Teams and people (admins)', run: go({ kind: 'settings' }) },
      { id: 'channels', label: 'Go to Channels and payments (admins)', run: go({ kind: 'channels' }) },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- go() only closes over stable store actions
    [theme, density, openConversation],
  );
  const shownCmds = commands.filter((c) => c.label.toLowerCase().includes(q.trim().toLowerCase()));

  const openHit = (h: SearchHit) => {
    if (h.kind === 'contact') setView({ kind: 'contacts' });
    else if (h.kind === 'chatMessage') setView({ kind: 'chats' });
    else setView({ kind: 'inbox', inbox: 'team', groupId: null });
    select(h.targetId);
    close();
  };
  const rows: { key: string; run: () => void; node: React.ReactNode }[] = [
    ...hits.map((h) => ({
      key: `h:${h.kind}:${h.id}`,
      run: () => openHit(h),
      node: (
        <>
          {h.kind === 'contact' ? <Contact size={15} aria-hidden="true" /> : h.kind === 'note' ? <StickyNote size={15} aria-hidden="true" /> : h.kind === 'chatMessage' ? <MessageCircle size={15} aria-label="Team chat" /> : <MessageSquare size={15} aria-hidden="true" />}
          <span className="grow ellipsis">
            <strong>{h.title}</strong> <span className="muted small"><Snippet text={h.snippet} /></span>
          </span>
          {h.at > 0 && (
            <time className="xs faint" title={exactTime(h.at)}>
              {shortTime(h.at)}
            </time>
          )}
        </>
      ),
    })),
    ...shownCmds.map((c) => ({
      key: `c:${c.id}`,
      run: c.run,
      node: (
        <>
          <ArrowRight size={15} aria-hidden="true" />
          <span className="grow">{c.label}</span>
        </>
      ),
    })),
  ];
  const idx = Math.min(active, Math.max(rows.length - 1, 0));

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, rows.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      rows[idx]?.run();
    }
  };

  return (
    <Modal title="Search" onClose={close} className="palette">
      <input
        className="input palette-input"
        autoFocus data-autofocus
        placeholder="Search contacts and messages, or type a command"
        aria-label="Search contacts and messages"
        role="combobox"
        aria-expanded={rows.length > 0}
        aria-controls="palette-list"
        aria-activedescendant={rows[idx] ? `pal-${idx}` : undefined}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
      />
      {dq && hits.length === 0 && (
        <div className="xs faint palette-empty" role="status">
          No contacts or messages match “{dq}”.
        </div>
      )}
      <div id="palette-list" className="palette-list" role="listbox" aria-label="Results" hidden={rows.length === 0}>
        {rows.map((r, i) => (
          <div key={r.key} id={`pal-${i}`} role="option" aria-selected={i === idx} className={clsx('palette-row', i === idx && 'active')} onClick={r.run} onMouseMove={() => setActive(i)}>
            {r.node}
          </div>
        ))}
      </div>
    </Modal>
  );
}
