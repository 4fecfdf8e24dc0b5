// Which scopes a user may see, decided with the predicates of shared/permissions.ts.
import { canSeeGroup, type Viewer } from '../../shared/permissions';
import { chatAccess, conversationAccess, metadataRow, scopeChildren, type ScopeAccess } from '../../shared/scopes';
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

/** What of a conversation or chat with this audience the viewer receives. */
export function audienceAccess(v: Viewer, a: Audience): ScopeAccess {
  return a.kind === 'conv' ? conversationAccess(v, a) : chatAccess(v, a);
}

/** Per-viewer scope visibility against the current database, memoised for one fan-out or catch-up. */
export class ScopeCheck {
  constructor(
    private readonly store: RowStore,
    readonly viewer: Viewer,
  ) {}

  private readonly memo2 = new Map<string, ScopeAccess>();

  /** Every row of the scope (content): what attachments, catch-up and fan-out send in full. */
  canSee(scope: string): boolean {
    return this.access(scope) === 'content';
  }

  /** 'meta': only the scope's projected root row (metadataRow). */
  access(scope: string): ScopeAccess {
    let r = this.memo2.get(scope);
    if (r === undefined) {
      r = this.compute(scope);
      this.memo2.set(scope, r);
    }
    return r;
  }

  private compute(scope: string): ScopeAccess {
    if (scope === 'org') return 'content';
    const i = scope.indexOf(':');
    const kind = scope.slice(0, i);
    const id = scope.slice(i + 1);
    switch (kind) {
      case 'conv': {
        const c = this.store.get('conversations', id);
        return c ? conversationAccess(this.viewer, c) : 'none';
      }
      case 'chat': {
        const c = this.store.get('chats', id);
        return c ? chatAccess(this.viewer, c) : 'none';
      }
      case 'user':
        return id === this.viewer.id ? 'content' : 'none';
      case 'group':
        return canSeeGroup(this.viewer, id) ? 'content' : 'none';
      default:
        return 'none';
    }
  }
}

/**
 * The metadata row of a conversation or chat scope (its root row projected by metadataRow, with
 * the facts computed here from the relay's rows), or undefined when the scope no longer exists.
 */
export function metadataRowOf(store: RowStore, scope: string): { t: 'conversations' | 'chats'; r: RowOf<'conversations'> | RowOf<'chats'> } | undefined {
  const i = scope.indexOf(':');
  const kind = scope.slice(0, i);
  const id = scope.slice(i + 1);
  if (kind === 'conv') {
    const c = store.get('conversations', id);
    if (!c) return undefined;
    const invoiceOutstanding = store.find('invoices', { conversationId: id, status: 'sent' }).length > 0;
    return { t: 'conversations', r: metadataRow(c, { kind: 'conv', invoiceOutstanding }) };
  }
  if (kind === 'chat') {
    const c = store.get('chats', id);
    if (!c) return undefined;
    return { t: 'chats', r: metadataRow(c, { kind: 'chat', messageCount: store.count('chatMessages', { chatId: id }) }) };
  }
  return undefined;
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
