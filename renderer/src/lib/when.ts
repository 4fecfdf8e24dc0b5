// The times offered by Snooze and Send later: later today, tomorrow morning, next week, or
// a chosen moment. Pure (tested in renderer/test/when.test.ts).
import { addDays, addHours, format, nextMonday, setHours, setMinutes, setSeconds, setMilliseconds, startOfHour } from 'date-fns';

export interface WhenPreset {
  key: string;
  label: string;
  at: number;
}

const atHour = (d: Date, h: number) => setMilliseconds(setSeconds(setMinutes(setHours(d, h), 0), 0), 0);

/** Later today (in 3 hours, on the hour; after 6 pm: none), tomorrow 9:00, next Monday 9:00. */
export function whenPresets(now = Date.now()): WhenPreset[] {
  const d = new Date(now);
  const out: WhenPreset[] = [];
  const later = startOfHour(addHours(d, 3));
  if (later.getDate() === d.getDate() && d.getHours() < 18) out.push({ key: 'later', label: 'Later today', at: later.getTime() });
  out.push({ key: 'tomorrow', label: 'Tomorrow morning', at: atHour(addDays(d, 1), 9).getTime() });
  out.push({ key: 'week', label: 'Next week', at: atHour(nextMonday(d), 9).getTime() });
  return out;
}

/** "Today 15:00", "Tomorrow 09:00", "Mon 2 Dec 09:00" */
export function whenLabel(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  if (d.toDateString() === today.toDateString()) return `Today ${format(d, 'HH:mm')}`;
  if (d.toDateString() === addDays(today, 1).toDateString()) return `Tomorrow ${format(d, 'HH:mm')}`;
  return format(d, d.getFullYear() === today.getFullYear() ? 'EEE d MMM HH:mm' : 'EEE d MMM yyyy HH:mm');
}

/** The value of a `datetime-local` input for a time, and back (local time; NaN when empty or invalid). */
export const toLocalInput = (ms: number) => format(ms, "yyyy-MM-dd'T'HH:mm");
export const fromLocalInput = (v: string): number => (v ? new Date(v).getTime() : NaN);

/** Why a chosen time cannot be used, or null. */
export function whenProblem(ms: number, now = Date.now()): string | null {
  if (!Number.isFinite(ms)) return 'Choose a date and a time.';
  if (ms <= now) return 'Choose a time in the future.';
  if (ms > now + 366 * 86_400_000) return 'Choose a time within a year.';
  return null;
}
