// Relay refusals kept in the replica until dismissed.
import type Database from 'better-sqlite3';
import type { Failure } from '../../../shared/bridge';
import type { MutationName } from '../../../shared/mutators/args';

interface FailureRaw {
  mutation_id: number;
  name: string;
  args: string | null;
  code: string;
  message: string;
  at: number;
  target_id: string | null;
}

const toFailure = (r: FailureRaw): Failure => ({
  mutationId: r.mutation_id,
  name: r.name as MutationName,
  args: r.args === null ? null : (JSON.parse(r.args) as unknown),
  code: r.code as Failure['code'],
  message: r.message,
  at: r.at,
  targetId: r.target_id,
});

export function failuresFor(db: Database.Database, targetId: string): Failure[] {
  return (db.prepare('SELECT * FROM failures WHERE target_id = ? AND dismissed = 0 ORDER BY at').all(targetId) as FailureRaw[]).map(toFailure);
}

export function allFailures(db: Database.Database): Failure[] {
  return (db.prepare('SELECT * FROM failures WHERE dismissed = 0 ORDER BY at DESC').all() as FailureRaw[]).map(toFailure);
}

export function recordFailure(db: Database.Database, f: Omit<Failure, 'name'> & { name: string }): void {
  db.prepare(
    `INSERT INTO failures (mutation_id, name, args, code, message, at, target_id, dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
     ON CONFLICT(mutation_id) DO UPDATE SET name = excluded.name, args = excluded.args, code = excluded.code, message = excluded.message,
       at = excluded.at, target_id = excluded.target_id, dismissed = 0`,
  ).run(f.mutationId, f.name, JSON.stringify(f.args ?? null), f.code, f.message, f.at, f.targetId);
}

export function dismissFailure(db: Database.Database, mutationId: number): void {
  db.prepare('UPDATE failures SET dismissed = 1 WHERE mutation_id = ?').run(mutationId);
}
