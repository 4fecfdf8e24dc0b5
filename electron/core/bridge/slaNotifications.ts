// First-response SLA warnings: the assignee's app notifies them SLA_WARN_MINUTES before a waiting
// conversation of theirs misses its group's target, once per wait (a reply ends the wait; the
// next customer message starts a new one). Computed from the replica on a timer in the core: no
// relay timer is needed, and an app that is closed has nobody to notify anyway.
import type Database from 'better-sqlite3';
import type { BridgeEvent } from '../../../shared/bridge';
import { SLA_WARN_MINUTES, slaText } from '../../../shared/domain/sla';
import { slaDue } from './listItems';

/** How often the core looks for deadlines coming up. */
export const SLA_CHECK_MS = 30_000;

/**
 * Notifications for my waiting conversations whose deadline is within SLA_WARN_MINUTES and not
 * passed; `warned` holds `${conversationId}:${since}` of the waits already notified (and is updated).
 */
export function slaWarnings(db: Database.Database, me: string, now: number, warned: Set<string>): BridgeEvent[] {
  // CROSS JOIN fixes the order: from my assignments (a few), not from every open conversation
  // (the planner's choice without statistics: ~100 ms per call with 30,000 conversations)
  const rows = db
    .prepare(
      `SELECT c.id, w.since, g.sla_first_response_minutes AS minutes, g.business_hours AS hours, k.name AS contact
       FROM conversation_assignees ca CROSS JOIN conversations c ON c.id = ca.conversation_id JOIN sla_waiting w ON w.conversation_id = c.id
       JOIN groups g ON g.id = c.group_id LEFT JOIN contacts k ON k.id = c.contact_id
       WHERE ca.user_id = @me AND c.status = 'open' AND c.snoozed_by IS NULL AND g.sla_first_response_minutes IS NOT NULL`,
    )
    .all({ me }) as { id: string; since: number; minutes: number; hours: string | null; contact: string | null }[];
  const out: BridgeEvent[] = [];
  for (const r of rows) {
    const key = `${r.id}:${r.since}`;
    if (warned.has(key)) continue;
    const due = slaDue('open', r.since, r.minutes, r.hours);
    if (due === null || now < due - SLA_WARN_MINUTES * 60_000 || now >= due) continue;
    warned.add(key);
    out.push({
      type: 'notify',
      title: `Reply to ${r.contact ?? 'a customer'} soon`,
      body: `First-response target: ${slaText(due, now)}.`,
      target: { kind: 'conversation', id: r.id },
    });
  }
  return out;
}
