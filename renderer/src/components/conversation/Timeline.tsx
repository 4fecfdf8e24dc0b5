// The conversation's history, newest at the bottom, kept scrolled to the end.
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { ConversationDetail } from '../../../../shared/bridge';
import { dayLabel } from '../../lib/format';
import { timelineItems } from './timelineItems';
import { MessageBubble } from './MessageBubble';
import { NoteItem } from './NoteItem';
import { InvoiceCard, CheckoutCard } from './PaymentCards';
import { FailureList } from './FailureList';

export function Timeline({ detail }: { detail: ConversationDetail }) {
  const items = useMemo(() => timelineItems(detail), [detail]);
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const convId = detail.conversation.id;

  useEffect(() => {
    stick.current = true;
  }, [convId]);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [items, convId]);

  return (
    <div
      ref={ref}
      className="timeline"
      role="log"
      aria-label="Messages"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      {items.length === 0 && <div className="empty small">No messages yet. Write the first one below.</div>}
      {items.map((it) => {
        switch (it.kind) {
          case 'day':
            return (
              <div key={it.key} className="day-sep" role="separator" aria-label={dayLabel(it.at)}>
                <span>{dayLabel(it.at)}</span>
              </div>
            );
          case 'message':
            return <MessageBubble key={it.key} message={it.message} detail={detail} />;
          case 'note':
            return <NoteItem key={it.key} note={it.note} />;
          case 'invoice':
            return <InvoiceCard key={it.key} invoice={it.invoice} canMarkPaid={detail.permissions.canMarkPaid} />;
          case 'checkout':
            return <CheckoutCard key={it.key} checkout={it.checkout} canMarkPaid={detail.permissions.canMarkPaid} />;
        }
      })}
      <FailureList failures={detail.failures} />
    </div>
  );
}
