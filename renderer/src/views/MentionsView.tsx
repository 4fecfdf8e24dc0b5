// Mentions: notes that @mention me, newest first, unread in bold; opening one shows its
// conversation and marks the mention read (U marks it unread again). Only notes of
// conversations I may see are in my replica, so nothing here can reveal more than the inbox.
import { useEffect, useMemo, useState } from 'react';
import clsx from 'clsx';
import { AtSign, MailOpen } from 'lucide-react';
import { useShallow } from 'zustand/react/shallow';
import type { MentionItem } from '../../../shared/bridge';
import { useBridgeQuery } from '../lib/queries';
import { mutate } from '../lib/mutate';
import { exactTime, plural, shortTime } from '../lib/format';
import { useUi } from '../state/ui';
import { Avatar } from '../components/Avatar';
import { ConversationPane } from '../components/conversation/ConversationPane';
import { MentionText } from '../components/conversation/MentionText';

function MentionRow({ m, selected, cursor, onOpen }: { m: MentionItem; selected: boolean; cursor: boolean; onOpen: () => void }) {
  return (
    <div role="option" id={`row-${m.id}`} aria-selected={selected} className={clsx('inbox-row mention-row', m.unread && 'unread', selected && 'selected', cursor && 'cursor')} onClick={onOpen}>
      <div className="inbox-row-top">
        {m.unread && <span className="unread-dot" aria-hidden="true" />}
        <Avatar id={m.authorId} name={m.authorName} />
        <span className="inbox-row-name ellipsis">
          {m.authorName} <span className="mention-in">in {m.contactName}</span>
          {m.unread && <span className="sr-only">, unread,</span>}
        </span>
        <time className="inbox-row-time" dateTime={new Date(m.createdAt).toISOString()} title={exactTime(m.createdAt)}>
          {shortTime(m.createdAt)}
        </time>
      </div>
      <div className="inbox-row-preview mention-preview">
        <MentionText text={m.body} plain />
      </div>
    </div>
  );
}

export function MentionsView() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const q = useBridgeQuery('mentions', { unreadOnly, limit: 200 });
  // every mention, to keep the open one when it leaves the unread-only list on being read
  const all = useBridgeQuery('mentions', { limit: 500 }).data?.items;
  const items = useMemo(() => q.data?.items ?? [], [q.data]);
  const { selectedId, cursorId, select, setListIds } = useUi(useShallow((s) => ({ selectedId: s.selectedId, cursorId: s.cursorId, select: s.select, setListIds: s.setListIds })));
  const selected = items.find((m) => m.id === selectedId);
  const open = selected ?? all?.find((m) => m.id === selectedId) ?? null;
  useEffect(() => setListIds(items.map((m) => m.id)), [items, setListIds]);
  useEffect(() => {
    if (selected?.unread) void mutate('markMentionsRead', { ids: [selected.id] }, { quiet: true });
  }, [selected?.id, selected?.unread]);

  return (
    <>
      <section className="list-pane" aria-label="Mentions">
        <header className="pane-head">
          <div className="grow">
            <h1 className="ellipsis">Mentions</h1>
            <div className="xs faint">{q.data ? `${plural(q.data.total, 'mention')} · ${q.data.unread} unread` : ''}</div>
          </div>
          <button type="button" className="btn ghost sm" aria-pressed={unreadOnly} onClick={() => setUnreadOnly((v) => !v)} title="Show only unread mentions">
            <MailOpen size={14} aria-hidden="true" />
            Unread only
          </button>
          {q.data && q.data.unread > 0 && (
            <button
              type="button"
              className="btn ghost sm"
              onClick={() => void mutate('markMentionsRead', { ids: items.filter((m) => m.unread).map((m) => m.id).slice(0, 500) })}
              title="Mark every mention read"
            >
              Mark all read
            </button>
          )}
        </header>
        {!q.isPending && items.length === 0 ? (
          <div className="empty">
            <AtSign size={28} aria-hidden="true" />
            <h2>{unreadOnly ? 'No unread mentions' : 'No mentions yet'}</h2>
            <p className="small">When someone writes @{'{your name}'} in a note, it shows up here.</p>
          </div>
        ) : (
          <div className="list-scroll" role="listbox" aria-label="Mentions" tabIndex={0} aria-activedescendant={cursorId ? `row-${cursorId}` : undefined}>
            {items.map((m) => (
              <MentionRow key={m.id} m={m} selected={m.id === selectedId} cursor={m.id === cursorId} onOpen={() => select(m.id)} />
            ))}
          </div>
        )}
      </section>
      {open ? (
        <ConversationPane conversationId={open.conversationId} />
      ) : (
        <section className="conv-pane">
          <div className="empty">
            <AtSign size={28} aria-hidden="true" />
            <h2>No mention selected</h2>
            <p className="small">
              Pick one to open its conversation, or use <kbd>J</kbd> / <kbd>K</kbd> and <kbd>Enter</kbd>.
            </p>
          </div>
        </section>
      )}
    </>
  );
}
