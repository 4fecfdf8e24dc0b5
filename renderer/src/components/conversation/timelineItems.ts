// Merge messages, notes, invoices and checkouts into one time-ordered list with day breaks.
import { isSameDay } from 'date-fns';
import type { ConversationDetail, Pending } from '../../../../shared/bridge';
import type { Activity, Checkout, Invoice, Message, Note } from '../../../../shared/schema';

export type TimelineItem =
  | { kind: 'day'; key: string; at: number }
  | { kind: 'message'; key: string; at: number; message: Pending<Message> }
  | { kind: 'note'; key: string; at: number; note: Pending<Note> }
  | { kind: 'invoice'; key: string; at: number; invoice: Pending<Invoice> }
  | { kind: 'checkout'; key: string; at: number; checkout: Pending<Checkout> }
  | { kind: 'activity'; key: string; at: number; activity: Pending<Activity> };

export function timelineItems(d: Pick<ConversationDetail, 'messages' | 'notes' | 'invoices' | 'checkouts'> & Partial<Pick<ConversationDetail, 'activities'>>): TimelineItem[] {
  const items: TimelineItem[] = [
    // replies scheduled for later are listed apart, after the timeline (ScheduledMessages)
    ...d.messages.filter((m) => m.status !== 'scheduled').map((m) => ({ kind: 'message' as const, key: `m:${m.id}`, at: m.createdAt, message: m })),
    ...d.notes.map((n) => ({ kind: 'note' as const, key: `n:${n.id}`, at: n.createdAt, note: n })),
    ...d.invoices.map((i) => ({ kind: 'invoice' as const, key: `i:${i.id}`, at: i.createdAt, invoice: i })),
    ...d.checkouts.map((c) => ({ kind: 'checkout' as const, key: `c:${c.id}`, at: c.createdAt, checkout: c })),
    // state changes, as quiet lines; after what happened at the same moment (the message that carried an invoice)
    ...(d.activities ?? []).map((a) => ({ kind: 'activity' as const, key: `~a:${a.id}`, at: a.at, activity: a })),
  ];
  items.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
  const out: TimelineItem[] = [];
  let prev: number | null = null;
  for (const it of items) {
    if (prev === null || !isSameDay(prev, it.at)) out.push({ kind: 'day', key: `d:${it.at}`, at: it.at });
    out.push(it);
    prev = it.at;
  }
  return out;
}
