// Protocol versioning rules: what a protocol 1 client is sent, and how a protocol 2 client
// reads frames from a newer relay.
import { describe, expect, it } from 'vitest';
import { tableNames } from '../schema';
import { errorCodes } from '../tx';
import { protocolErrorCodes } from './error';
import { downgradeFrame, V1_ERROR_CODES, V1_RESULT_CODES, V1_TABLES } from './version';
import { checkedPuts, parseDownFrame } from './tolerant';
import { rowPut } from './poke';

const poke = (puts: { t: string; r: object }[], dels: object[] = []) => ({ type: 'poke', baseCookie: 1, cookie: 2, puts, dels, lastMutationId: 0 });
const user = { t: 'users', r: { id: 'u1', version: 2 } };
const snooze = { t: 'snoozes', r: { id: 's1', version: 2 } };

describe('frames for protocol 1 clients (strict parsers)', () => {
  it('never carry a table, a result code, an error code or a frame type protocol 1 did not have', () => {
    expect(downgradeFrame(poke([user, snooze], [{ t: 'snoozes', id: 's0' }, { scope: 'conv:1' }]), 1)).toEqual(poke([user], [{ scope: 'conv:1' }]));
    const pr = { type: 'pushResult', results: [{ id: 1, status: 'rejected', code: 'snooze_conflict', message: 'Already snoozed.' }, { id: 2, status: 'ok' }] };
    expect(downgradeFrame(pr, 1)).toEqual({ type: 'pushResult', results: [{ id: 1, status: 'rejected', code: 'invalid', message: 'Already snoozed.' }, { id: 2, status: 'ok' }] });
    expect(downgradeFrame({ type: 'presence', users: [] }, 1)).toBeNull();
    expect(downgradeFrame({ type: 'error', code: 'client_too_old', message: 'x' }, 1)).toMatchObject({ code: 'internal' });
  });

  it('leave frames untouched for protocol 2 clients and when nothing is new', () => {
    const p = poke([user, snooze]);
    expect(downgradeFrame(p, 2)).toBe(p);
    const q = poke([user]);
    expect(downgradeFrame(q, 1)).toBe(q);
  });

  it('the frozen protocol 1 lists match what 0.1 shipped (any addition since is new to protocol 1)', () => {
    // when a table, code or error is added, these lists stay as they are: that is the point
    expect([...V1_TABLES].every((t) => (tableNames as string[]).includes(t))).toBe(true);
    expect([...V1_RESULT_CODES].every((c) => (errorCodes as readonly string[]).includes(c))).toBe(true);
    expect([...V1_ERROR_CODES].every((c) => (protocolErrorCodes as readonly string[]).includes(c))).toBe(true);
  });
});

describe('a protocol 2 client reading a newer relay', () => {
  it('drops rows of unknown tables and keeps the rest, naming what it ignored', () => {
    const r = parseDownFrame({ ...poke([user, snooze], [{ t: 'snoozes', id: 's0' }]), extra: { field: 1 } });
    expect(r).toMatchObject({ ok: true, ignored: ['table snoozes'] });
    expect(r.ok && r.frame.type === 'poke' && r.frame.puts).toEqual([user]);
    expect(r.ok && r.frame.type === 'poke' && r.frame.dels).toEqual([]);
  });

  it("takes an unknown result code or status as a refusal with the relay's message", () => {
    const r = parseDownFrame({ type: 'pushResult', results: [{ id: 3, status: 'rejected', code: 'snooze_conflict', message: 'Already snoozed.' }, { id: 4, status: 'deferred' }] });
    expect(r.ok && r.frame).toEqual({
      type: 'pushResult',
      results: [
        { id: 3, status: 'rejected', code: 'invalid', message: 'Already snoozed.' },
        { id: 4, status: 'rejected', code: 'invalid', message: 'refused by the relay (deferred)' },
      ],
    });
  });

  it('ignores unknown frame types and maps unknown error codes to internal; garbage is still refused', () => {
    expect(parseDownFrame({ type: 'cursors', users: [] })).toMatchObject({ ok: false, reason: 'unknown frame type', ignored: ['frame cursors'] });
    expect(parseDownFrame({ type: 'error', code: 'slow_down', message: 'later' })).toMatchObject({ ok: true, frame: { code: 'internal' } });
    expect(parseDownFrame({ type: 'poke', puts: 'x' }).ok).toBe(false);
    expect(parseDownFrame(null).ok).toBe(false);
  });
});

describe('the fast check of a poke\'s rows', () => {
  it('accepts and refuses exactly what the rowPut schema does, with the same output', () => {
    const cases: unknown[] = [
      user, { ...user, extra: 1 }, { t: 'messages', r: {} }, { t: 'messages', r: Object.create(null) as unknown },
      { t: 'messages', r: [] }, { t: 'messages', r: null }, { t: 'messages', r: 'x' }, { t: 'messages', r: new Date(0) },
      { t: 'messages' }, { r: {} }, { t: 3, r: {} }, { t: 'nope', r: {} }, null, 'x', [], [user],
    ];
    for (const c of cases) {
      const schema = rowPut.array().safeParse([c]);
      const fast = checkedPuts([c]);
      expect({ c, ok: fast !== null }).toEqual({ c, ok: schema.success });
      if (schema.success) expect(fast).toEqual(schema.data);
    }
  });

  it('a poke with one bad row among good ones is refused whole', () => {
    expect(parseDownFrame(poke([user, { t: 'users', r: [] }])).ok).toBe(false);
    const ok = parseDownFrame(poke([user, { ...user, r: { id: 'u2', version: 3 } }]));
    expect(ok).toMatchObject({ ok: true, frame: { type: 'poke', puts: [user, { t: 'users', r: { id: 'u2', version: 3 } }] } });
  });
});
