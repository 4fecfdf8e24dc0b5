// The effects outbox (issue 15): every effect of a committed mutation is a `jobs` row written in
// the mutation's own transaction (the Engine calls enqueueJobs in its run), so the commit and its
// work to do are one.
// The runner (runner.ts) claims rows with a lease (server/jobs/lease.ts).
import { createHash } from 'node:crypto';
import type { ServerEffect } from '../../shared/tx';
import type { SyncRows, WriteTx } from '../store/types';
import { GET_META, SET_META } from '../db/meta';
import type { LinkRetryState } from './linkRetries';

export interface JobRow {
  id: string;
  kind: ServerEffect['kind'];
  payload: string;
  attempts: number;
  seq: number;
  lastError: string | null;
  /**
   * when a provider call of this job began, if one did and its result was not recorded (the relay
   * died or could not record it): the send may have happened, so it is not made again
   */
  attemptedAt: number | null;
}
export const JOB_COLUMNS = 'id, kind, payload, attempts, seq, last_error AS "lastError", attempted_at AS "attemptedAt"';

/**
 * One job per target at a time (a message is sent by one job, whichever relay runs it); an effect
 * committed again while its job exists bumps `seq`, so the job runs again after the current run.
 */
export function jobIdOf(e: ServerEffect): string {
  switch (e.kind) {
    case 'sendMessage':
      return `send:${e.messageId}`;
    case 'paymentLink':
      return `link:invoice:${e.invoiceId}`;
    case 'checkoutLink':
      return `link:checkout:${e.checkoutId}`;
    case 'broadcast':
      return `broadcast:${e.broadcastId}`;
    case 'userDeactivated':
      return `deactivated:${e.userId}`;
    case 'attachmentsReleased':
      // the same set released twice is one job (the release checks what is still referenced)
      return `release:${createHash('sha256').update(e.ids.join(',')).digest('hex').slice(0, 24)}`;
  }
}

const ENQUEUE =
  'INSERT INTO jobs (id, kind, payload, next_at, attempts, seq, created_at) VALUES (?, ?, ?, ?, 0, 0, ?) ' +
  'ON CONFLICT (id) DO UPDATE SET seq = jobs.seq + 1, payload = excluded.payload, next_at = excluded.next_at, attempts = 0, last_error = NULL';

/** Inside the mutation's run: its effects as job rows, due at once. */
export function enqueueJobs(effects: readonly ServerEffect[], rows: Pick<SyncRows, 'exec'>, now: number): void {
  for (const e of effects) rows.exec(ENQUEUE, [jobIdOf(e), e.kind, JSON.stringify(e), now, now]);
}

export type Statement = [sql: string, params: unknown[]];

/**
 * The statements that finish a job: gone, unless it was committed again meanwhile (then due again,
 * at once; the provider call it made, if any, was recorded with this finish).
 */
export function finishJob(job: Pick<JobRow, 'id' | 'seq'>, now: number): Statement[] {
  return [
    ['DELETE FROM jobs WHERE id = ? AND seq = ?', [job.id, job.seq]],
    ['UPDATE jobs SET owner = NULL, lease_until = NULL, next_at = ?, attempted_at = NULL WHERE id = ?', [now, job.id]],
  ];
}

/** A failed run, tried again at `nextAt` (a job committed again meanwhile is due at once instead). */
export function rescheduleJob(job: Pick<JobRow, 'id' | 'seq'>, attempts: number, nextAt: number, lastError: string): Statement[] {
  return [
    ['UPDATE jobs SET attempts = ?, next_at = ?, last_error = ?, owner = NULL, lease_until = NULL WHERE id = ? AND seq = ?', [attempts, nextAt, lastError, job.id, job.seq]],
    ['UPDATE jobs SET owner = NULL, lease_until = NULL WHERE id = ? AND seq <> ?', [job.id, job.seq]],
  ];
}

const ADOPTED = 'jobsAdopted';

/**
 * Once per database, at the first start of a relay with the jobs table: the work an older relay
 * left unfinished (it found it by rescanning at every start) becomes jobs — payment links not yet
 * created (with the retry schedule it kept in `meta`; one it gave up on stays so), queued
 * outbound messages not waiting for a link, broadcasts still sending. Under the write lock, so
 * relays starting together adopt once.
 */
export async function adoptUnfinishedWork(tx: WriteTx, now: number): Promise<number> {
  if (await tx.get(GET_META, [ADOPTED])) return 0;
  const add = async (e: ServerEffect, nextAt = now, attempts = 0, lastError: string | null = null) => {
    await tx.run(
      'INSERT INTO jobs (id, kind, payload, next_at, attempts, seq, last_error, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING',
      [jobIdOf(e), e.kind, JSON.stringify(e), nextAt, attempts, lastError, now],
    );
    n++;
  };
  let n = 0;
  const retries = new Map<string, LinkRetryState>();
  for (const r of await tx.all<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key LIKE 'linkRetry:%'")) {
    retries.set(r.key.slice('linkRetry:'.length), JSON.parse(r.value) as LinkRetryState);
  }
  const link = async (e: ServerEffect, key: string) => {
    const s = retries.get(key);
    if (!s) return add(e);
    if (s.nextAt !== null) return add(e, s.nextAt, s.attempts, s.lastError);
  };
  for (const r of await tx.all<{ id: string }>("SELECT id FROM invoices WHERE status = 'sent' AND payment_url IS NULL")) await link({ kind: 'paymentLink', invoiceId: r.id }, `invoice:${r.id}`);
  for (const r of await tx.all<{ id: string }>("SELECT id FROM checkouts WHERE status = 'open' AND payment_url IS NULL")) await link({ kind: 'checkoutLink', checkoutId: r.id }, `checkout:${r.id}`);
  const queued = await tx.all<{ id: string; paymentRef: string | null }>(
    'SELECT id, payment_ref AS "paymentRef" FROM messages WHERE direction = \'outbound\' AND status = \'queued\' AND provider_message_id IS NULL',
  );
  for (const m of queued) if (!(await waitsForLink(tx, m.paymentRef))) await add({ kind: 'sendMessage', messageId: m.id });
  for (const b of await tx.all<{ id: string }>("SELECT id FROM broadcasts WHERE status = 'sending'")) await add({ kind: 'broadcast', broadcastId: b.id });
  await tx.run("DELETE FROM meta WHERE key LIKE 'linkRetry:%'");
  await tx.run(SET_META, [ADOPTED, String(now)]);
  return n;
}

/** A payment message is sent once its link exists (setPaymentLink sends it). */
async function waitsForLink(tx: WriteTx, paymentRef: string | null): Promise<boolean> {
  if (!paymentRef) return false;
  const [kind, id] = paymentRef.split(':') as [string, string];
  const table = kind === 'invoice' ? 'invoices' : 'checkouts';
  const row = await tx.get<{ url: string | null }>(`SELECT payment_url AS url FROM ${table} WHERE id = ?`, [id]);
  return !row?.url;
}
