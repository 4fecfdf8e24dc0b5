import { describe, expect, it } from 'vitest';
import { checkoutMessageBody, formatDueDate, formatMoney, invoiceMessageBody, invoiceNumber, PENDING_LINK } from './payments';

describe('payment wording', () => {
  it('formats money, dates and numbers', () => {
    expect(formatMoney(4500, 'GBP')).toBe('£45.00');
    expect(formatMoney(123456, 'EUR')).toBe('€1,234.56');
    expect(formatDueDate('2026-12-03')).toBe('3 Dec 2026');
    expect(invoiceNumber(12)).toBe('INV-000012');
  });
  it('words invoice and checkout messages, with a placeholder until the link exists', () => {
    const inv = { number: 'INV-000012', total: 4500, currency: 'GBP', dueDate: '2026-12-03' };
    expect(invoiceMessageBody(inv, 'https://pay.example/x')).toBe('Invoice INV-000012: £45.00 due 3 Dec 2026. Pay here: https://pay.example/x');
    expect(invoiceMessageBody(inv, null)).toContain(PENDING_LINK);
    expect(checkoutMessageBody({ description: 'Deposit', amount: 1000, currency: 'GBP' }, null)).toBe(`Deposit: £10.00. Pay here: ${PENDING_LINK}`);
  });
});
