// Dates, money and names as people read them.
import { format, formatDistanceToNowStrict, isSameDay, isSameYear, isToday, isYesterday } from 'date-fns';

/** List time: "now", "5m", "3h", "Tue", "12 Mar", "12 Mar 2024". */
export function shortTime(ms: number, now = Date.now()): string {
  const diff = now - ms;
  if (diff < 60_000) return 'now';
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)}m`;
  if (isSameDay(ms, now)) return `${Math.floor(diff / 3_600_000)}h`;
  if (diff < 6 * 86_400_000) return format(ms, 'EEE');
  if (isSameYear(ms, now)) return format(ms, 'd MMM');
  return format(ms, 'd MMM yyyy');
}

// One date format everywhere: lists say it relatively (shortTime), hovers say it exactly
// (exactTime), cards and details say it absolutely (cardTime, cardDate).
export const exactTime = (ms: number) => format(ms, 'EEEE d MMMM yyyy, HH:mm');
export const cardTime = (ms: number, now = Date.now()) => format(ms, isSameYear(ms, now) ? 'd MMM, HH:mm' : 'd MMM yyyy, HH:mm');
/** A calendar date ("2026-12-03", as invoices keep due dates) as "3 Dec 2026". */
export function cardDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  if (!y || !m || !d) return ymd;
  return format(new Date(y, m - 1, d), 'd MMM yyyy');
}
export const clockTime = (ms: number) => format(ms, 'HH:mm');
export const relative = (ms: number) => formatDistanceToNowStrict(ms, { addSuffix: true });

export function dayLabel(ms: number): string {
  if (isToday(ms)) return 'Today';
  if (isYesterday(ms)) return 'Yesterday';
  return format(ms, isSameYear(ms, Date.now()) ? 'EEEE d MMMM' : 'EEEE d MMMM yyyy');
}

export function money(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** "JC" for Jane Cooper; '' when the name has no letters (a contact known only by its number). */
export function initials(name: string): string {
  const parts = name
    .trim()
    .split(/\s+/)
    .map((p) => [...p].find((ch) => /\p{L}/u.test(ch)) ?? '')
    .filter(Boolean);
  if (parts.length === 0) return '';
  const first = parts[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1] ?? '') : '';
  return (first + last).toUpperCase();
}

/** "closes in 3 h" / "closes in 25 min" */
export function windowLeft(closesAt: number, now = Date.now()): string {
  const mins = Math.max(0, Math.round((closesAt - now) / 60_000));
  if (mins >= 60) return `${Math.round(mins / 60)} h`;
  return `${mins} min`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
