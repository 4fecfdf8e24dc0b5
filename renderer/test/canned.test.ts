// Canned responses and mentions in the composer: variables, tokens, filtering.
import { describe, expect, it } from 'vitest';
import { cannedValues, fillVariables, matchCanned, mentionedIn, replaceToken, tokenAt, unfilledIn } from '../src/lib/canned';
import type { CannedResponse, Contact, Group, Invoice } from '../../shared/schema';

const contact = { name: 'Jane Cooper', phone: '+447700900123' } as Contact;
const group = { name: 'Sales' } as Group;
const inv = (over: Partial<Invoice>) => ({ status: 'sent', createdAt: 1, total: 4500, currency: 'GBP', number: 'INV-7', paymentUrl: 'https://pay.example/7', ...over }) as Invoice & { pending: boolean };

describe('canned response variables', () => {
  it('fills known variables and leaves unknown or empty ones for the agent', () => {
    const values = cannedValues({ contact, group, invoices: [] }, 'Ben Ortiz');
    const r = fillVariables('Hi {{contact.first_name}}, {{agent.first_name}} from {{ group.name }} here. Pay at {{invoice.link}} {{order.id}}', values);
    expect(r.text).toBe('Hi Jane, Ben from Sales here. Pay at {{invoice.link}} {{order.id}}');
    expect(r.unfilled).toEqual(['{{invoice.link}}', '{{order.id}}']);
  });
  it('takes the latest unpaid invoice for the invoice variables', () => {
    const values = cannedValues({ contact, group, invoices: [inv({ createdAt: 1, number: 'INV-1' }), inv({ createdAt: 5 }), inv({ status: 'paid', createdAt: 9, number: 'INV-9' })] }, 'Ben');
    expect(fillVariables('{{invoice.number}} {{invoice.total}} {{invoice.link}}', values).text).toBe('INV-7 £45.00 https://pay.example/7');
  });
  it('lists placeholders once each', () => {
    expect(unfilledIn('{{a.b}} and {{a.b}} and {{c}}')).toEqual(['{{a.b}}', '{{c}}']);
  });
});

describe('picker tokens', () => {
  it('opens on / or @ at the start or after a space, with what was typed', () => {
    expect(tokenAt('/thx', 4, '/')).toEqual({ start: 0, query: 'thx' });
    expect(tokenAt('Hello /sh', 9, '/')).toEqual({ start: 6, query: 'sh' });
    expect(tokenAt('http://x', 8, '/')).toBeNull();
    expect(tokenAt('and/or', 6, '/')).toBeNull();
    expect(tokenAt('cc @be', 6, '@')).toEqual({ start: 3, query: 'be' });
    expect(tokenAt('mail a@b', 8, '@')).toBeNull();
    const r = replaceToken('Hello /sh!', 6, 9, 'It ships today.');
    expect(r).toEqual({ text: 'Hello It ships today.!', caret: 21 });
  });
  it('filters by title prefix first, then title or body', () => {
    const list = [{ title: 'Shipping', body: 'It ships' }, { title: 'Hours', body: 'We ship at 9' }, { title: 'Refund', body: 'x' }] as CannedResponse[];
    expect(matchCanned(list, 'ship').map((r) => r.title)).toEqual(['Shipping', 'Hours']);
    expect(matchCanned(list, '').length).toBe(3);
  });
  it('keeps only mentions still in the text', () => {
    const picked = new Map([['u1', 'Ben Ortiz'], ['u2', 'Amira Khan']]);
    expect(mentionedIn('@Ben Ortiz please call', picked)).toEqual(['u1']);
  });
});
