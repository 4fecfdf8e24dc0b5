// Which scopes a user may see, decided with the predicates of shared/permissions.ts.
import { canSeeChat, canSeeConversation, canSeeGroup, type Viewer } from '../../shared/permissions';
import { scopeChildren } from '../../shared/scopes';
import type { RowOf, TableName } from '../../shared/schema';
import type { RowStore } from '../../shared/store/rowStore';
import type { Audience } from './changeSet';

export function loadViewer(store: RowStore, userId: string): (Viewer & { active: boolean }) | undefined {
  const u = store.get('users', userId);
  if (!u) return undefined;
  const groupIds = new Set(store.find('memberships', { userId }).map((m) => m.groupId));
  return { id: u.id, role: u.role, groupIds, active: u.active };
}

export function sameViewer(a: Viewer, b: Viewer): boolean {
  if (a.role !== b.role || a.groupIds.size !== b.groupIds.size) return false;
  for (const g of a.groupIds) if (!b.groupIds.has(g)) return false;
  return true;
}

export function canSeeAudience(v: Viewer, a: Audience): boolean {
  return a.kind === 'conv' ? canSeeConversation(v, a) : canSeeChat(v, a);
}

/** Per-viewer scope visibility against the current database, memoised for one fan-out or catch-up. */
export class ScopeCheck {
  private readonly memo = new Map<string, boolean>();
  constructor(
    private readonly store: RowStore,
    readonly viewer: Viewer,
  ) {}

  canSee(scope: string): boolean {
    let r = this.memo.get(scope);
    if (r === undefined) {
      r = this.compute(scope);
      this.memo.set(scope, r);
    }
    return r;
  }

  private compute(scope: string): boolean {
    if (scope === 'org') return true;
    const i = scope.indexOf(':');
    const kind = scope.slice(0, i);
    const id = scope.slice(i + 1);
    switch (kind) {
      case 'conv': {
        const c = this.store.get('conversations', id);
        return c ? canSeeConversation(this.viewer, c) : false;
      }
      case 'chat': {
        const c = this.store.get('chats', id);
        return c ? canSeeChat(this.viewer, c) : false;
      }
      case 'user':
        return id === this.viewer.id;
      case 'group':
        return canSeeGroup(this.viewer, id);
      default:
        return false;
    }
  }
}

/** Every row of a conversation or chat scope, root first. */
export function scopeRows(store: RowStore, scope: string): { t: TableName; r: RowOf<TableName> }[] {
  const i = scope.indexOf(':');
  const kind = scope.slice(0, i);
  const id = scope.slice(i + 1);
  if (kind !== 'conv' && kind !== 'chat') return [];
  const out: { t: TableName; r: RowOf<TableName> }[] = [];
  for (const child of scopeChildren[kind]) {
    const rows = store.find(child.table, { [child.column]: id });
    for (const r of rows) out.push({ t: child.table, r });
  }
  return out;
}
