// Wording of the messages that carry a payment link.
import type { Checkout, Invoice } from '../schema';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Minor units to "£45.00"; falls back to "45.00 XYZ" for codes Intl does not know. */
export function formatMoney(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** "2026-12-03" → "3 Dec 2026" (no time zone involved). */
export function formatDueDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${d ?? ''} ${months[(m ?? 1) - 1] ?? ''} ${y ?? ''}`;
}

/** Shown until the payment provider has made the link; replaced before the text is sent. */
export const PENDING_LINK = '(link to follow)';

export function invoiceNumber(sequence: number): string {
  return `INV-${String(sequence).padStart(6, '0')}`;
}

/** What is due, in one line: the text before the link, and {{1}} of a payment template. */
export function invoiceSummary(inv: Pick<Invoice, 'number' | 'total' | 'currency' | 'dueDate'>): string {
  return `Invoice ${inv.number}: ${formatMoney(inv.total, inv.currency)} due ${formatDueDate(inv.dueDate)}`;
}
export function checkoutSummary(c: Pick<Checkout, 'description' | 'amount' | 'currency'>): string {
  return `${c.description}: ${formatMoney(c.amount, c.currency)}`;
}

export function invoiceMessageBody(inv: Pick<Invoice, 'number' | 'total' | 'currency' | 'dueDate'>, url: string | null): string {
  return `${invoiceSummary(inv)}. Pay here: ${url ?? PENDING_LINK}`;
}

export function checkoutMessageBody(c: Pick<Checkout, 'description' | 'amount' | 'currency'>, url: string | null): string {
  return `${checkoutSummary(c)}. Pay here: ${url ?? PENDING_LINK}`;
}

/** The group's template for payment links outside WhatsApp's 24-hour window, if an admin chose one. */
export function paymentTemplate<T extends { forPayments?: boolean }>(templates: readonly T[]): T | undefined {
  return templates.find((t) => t.forPayments);
}

/** The template's blanks for a payment message: {{1}} what is due, {{2}} the link. */
export function paymentTemplateValues(summary: string, url: string | null): string[] {
  return [summary, url ?? PENDING_LINK];
}
