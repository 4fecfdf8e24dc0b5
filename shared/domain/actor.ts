// Small guards every mutator starts with.
import { canAdminister, viewerFromTx, type Actor } from '../permissions';
import type { RowOf, TableName } from '../schema';
import { MutationError, type MutationErrorCode, type MutatorContext, type ReadTx } from '../tx';

/** The calling user; refuses unknown and deactivated users. */
export function requireActor(tx: ReadTx, ctx: MutatorContext): Actor {
  const actor = viewerFromTx(tx, ctx.userId);
  if (!actor) throw new MutationError('forbidden', 'Your account was not found. Sign in again.');
  if (!actor.active) throw new MutationError('forbidden', 'Your account has been deactivated.');
  return actor;
}

export function requireAdmin(tx: ReadTx, ctx: MutatorContext, what: string): Actor {
  const actor = requireActor(tx, ctx);
  if (!canAdminister(actor)) throw new MutationError('forbidden', `Only admins can ${what}.`);
  return actor;
}

export function ensure(cond: unknown, code: MutationErrorCode, message: string): asserts cond {
  if (!cond) throw new MutationError(code, message);
}

/** The row, or `not_found` naming what is missing ("conversation", "invoice"…). */
export function mustGet<T extends TableName>(tx: ReadTx, table: T, id: string, what: string): RowOf<T> {
  const row = tx.get(table, id);
  if (!row) throw new MutationError('not_found', `That ${what} no longer exists.`);
  return row;
}

export function ensureNew(tx: ReadTx, table: TableName, id: string, what: string): void {
  if (tx.get(table, id)) throw new MutationError('conflict', `A ${what} with this id already exists.`);
}

export const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
