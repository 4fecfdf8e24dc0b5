// The conversation's history, newest at the bottom, kept scrolled to the end while the
// reader is there. Long histories are virtualized (rows measured as they render).
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ConversationDetail } from '../../../../shared/bridge';
import { dayLabel } from '../../lib/format';
import { timelineItems, type TimelineItem } from './timelineItems';
import { MessageBubble } from './MessageBubble';
import { NoteItem } from './NoteItem';
import { InvoiceCard, CheckoutCard } from './PaymentCards';
import { FailureList } from './FailureList';
import { ScheduledMessages } from './ScheduledMessages';
import { ActivityLine } from './ActivityLine';

/** Below this many items plain rendering is cheaper than measuring. */
const VIRTUAL_FROM = 150;

function Item({ it, detail }: { it: TimelineItem; detail: ConversationDetail }) {
  switch (it.kind) {
    case 'day':
      return (
        <div className="day-sep" role="separator" aria-label={dayLabel(it.at)}>
          <span>{dayLabel(it.at)}</span>
        </div>
      );
    case 'message':
      return <MessageBubble message={it.message} detail={detail} />;
    case 'note':
      return <NoteItem note={it.note} />;
    case 'invoice':
      return <InvoiceCard invoice={it.invoice} canMarkPaid={detail.permissions.canMarkPaid} />;
    case 'checkout':
      return <CheckoutCard checkout={it.checkout} canMarkPaid={detail.permissions.canMarkPaid} />;
    case 'activity':
      return <ActivityLine activity={it.activity} detail={detail} />;
  }
}

function VirtualItems({ items, detail, scrollRef, stick }: { items: TimelineItem[]; detail: ConversationDetail; scrollRef: React.RefObject<HTMLDivElement | null>; stick: React.RefObject<boolean> }) {
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is meant to be used this way
  const virt = useVirtualizer({ count: items.length, getScrollElement: () => scrollRef.current, estimateSize: () => 72, overscan: 6 });
  const last = items.length - 1;
  useEffect(() => {
    if (!stick.current) return;
    // rows are measured after they render; keep pinning to the end until the sizes settle
    let frames = 0;
    let raf = 0;
    const pin = () => {
      const el = scrollRef.current;
      if (el) el.scrollTop = el.scrollHeight;
      if (++frames < 8) raf = requestAnimationFrame(pin);
    };
    virt.scrollToIndex(last, { align: 'end' });
    raf = requestAnimationFrame(pin);
    return () => cancelAnimationFrame(raf);
  }, [last, virt, stick, scrollRef]);
  return (
    <div role="presentation" style={{ height: virt.getTotalSize(), position: 'relative', flex: 'none' }}>
      {virt.getVirtualItems().map((v) => {
        const it = items[v.index];
        if (!it) return null;
        return (
          <div key={it.key} ref={virt.measureElement} data-index={v.index} className="tl-vrow" style={{ transform: `translateY(${v.start}px)` }}>
            <Item it={it} detail={detail} />
          </div>
        );
      })}
    </div>
  );
}

export function Timeline({ detail }: { detail: ConversationDetail }) {
  const items = useMemo(() => timelineItems(detail), [detail]);
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const convId = detail.conversation.id;
  const virtual = items.length > VIRTUAL_FROM;

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
      {items.length === 0 && !detail.messages.length && <div className="empty small">No messages yet. Write the first one below.</div>}
      {virtual ? <VirtualItems items={items} detail={detail} scrollRef={ref} stick={stick} /> : items.map((it) => <Item key={it.key} it={it} detail={detail} />)}
      <ScheduledMessages detail={detail} />
      <FailureList failures={detail.failures} />
    </div>
  );
}
