// Relay refusals kept in the replica until dismissed. A failure is named by its own id: a
// mutation id is only unique per client id, and becomeNewClient starts them at 1 again.
import type Database from 'better-sqlite3';
import type { Failure } from '../../../shared/bridge';
import type { MutationName } from '../../../shared/mutators/args';

interface FailureRaw {
  id: number;
  mutation_id: number;
  name: string;
  args: string | null;
  code: string;
  message: string;
  at: number;
  target_id: string | null;
}

const toFailure = (r: FailureRaw): Failure => ({
  id: r.id,
  mutationId: r.mutation_id,
  name: r.name as MutationName,
  args: r.args === null ? null : (JSON.parse(r.args) as unknown),
  code: r.code as Failure['code'],
  message: r.message,
  at: r.at,
  targetId: r.target_id,
});

const columns = 'id, mutation_id, name, args, code, message, at, target_id';

export function failuresFor(db: Database.Database, targetId: string): Failure[] {
  return (db.prepare(`SELECT ${columns} FROM failures WHERE target_id = ? AND dismissed = 0 ORDER BY at, id`).all(targetId) as FailureRaw[]).map(toFailure);
}

export function allFailures(db: Database.Database): Failure[] {
  return (db.prepare(`SELECT ${columns} FROM failures WHERE dismissed = 0 ORDER BY at DESC, id DESC`).all() as FailureRaw[]).map(toFailure);
}

/**
 * The relay refused mutation `mutationId` of the replica's current client id. Recorded again
 * (welcome.rejected repeats a pushResult whose poke was lost), it updates its own row; a refusal
 * of an earlier client id's mutation with the same number is another failure, left as it is.
 */
export function recordFailure(db: Database.Database, f: Omit<Failure, 'id' | 'name'> & { name: string }): void {
  db.prepare(
    `INSERT INTO failures (client_id, mutation_id, name, args, code, message, at, target_id, dismissed)
     VALUES ((SELECT client_id FROM meta WHERE id = 1), ?, ?, ?, ?, ?, ?, ?, 0)
     ON CONFLICT(client_id, mutation_id) DO UPDATE SET name = excluded.name, args = excluded.args, code = excluded.code,
       message = excluded.message, at = excluded.at, target_id = excluded.target_id, dismissed = 0`,
  ).run(f.mutationId, f.name, JSON.stringify(f.args ?? null), f.code, f.message, f.at, f.targetId);
}

/** Dismisses one failure, by its own id (an unknown id dismisses nothing). */
export function dismissFailure(db: Database.Database, id: number): void {
  db.prepare('UPDATE failures SET dismissed = 1 WHERE id = ?').run(id);
}
