// How activity lines read (UI.md: "Amira assigned Ben · 10:42").
import { describe, expect, it } from 'vitest';
import { activityText, type ActivityNames } from '../src/lib/activity';
import type { Activity } from '../../shared/schema';

const people: Record<string, string> = { amira: 'Amira', ben: 'Ben', carol: 'Carol' };
const names: ActivityNames = { me: 'carol', user: (id) => people[id] ?? 'Unknown user', label: () => 'VIP', invoice: () => 'INV-0007', until: () => '1 Dec, 09:00' };
const line = (kind: Activity['kind'], actorId: string | null, details: Activity['details'] = {}) => activityText({ kind, actorId, details }, names);

describe('activity lines', () => {
  it('say who did what to whom', () => {
    expect(line('assigned', 'amira', { userIds: ['ben'] })).toBe('Amira assigned Ben');
    expect(line('assigned', 'amira', { userIds: ['ben', 'carol', 'amira'] })).toBe('Amira assigned Ben, you and themselves');
    expect(line('visibility', 'ben', { visibleTo: ['ben', 'carol'], added: ['carol'], removed: [] })).toBe('Ben restricted visibility to Ben and you');
    expect(line('visibility', 'carol', { visibleTo: null })).toBe('You made it visible to everyone in the team');
    expect(line('labelled', 'ben', { labelId: 'x' })).toBe('Ben added the label VIP');
    expect(line('snoozed', 'ben', { until: 1 })).toBe('Ben snoozed it until 1 Dec, 09:00');
    expect(line('invoiceSent', 'amira', { invoiceId: 'i' })).toBe('Amira sent invoice INV-0007');
    expect(line('assigned', 'carol', { userIds: ['carol'] })).toBe('You assigned yourself');
  });
  it('word what a rule or the relay did as automatic', () => {
    expect(line('assigned', null, { userIds: ['ben'], auto: true })).toBe('Assigned to Ben automatically');
    expect(line('assigned', 'amira', { userIds: ['ben'], auto: true })).toBe('Assigned to Ben automatically');
    expect(line('invoicePaid', null, { invoiceId: 'i', auto: true })).toBe('Invoice INV-0007 was paid');
    expect(line('woke', null)).toBe('Snooze ended');
  });
});
