// Which scopes a user may see, decided with the predicates of shared/permissions.ts.
import { canSeeGroup, type Viewer } from '../../shared/permissions';
import { chatAccess, conversationAccess, metadataRow, scopeChildren, type ScopeAccess } from '../../shared/scopes';
import type { RowOf, TableName } from '../../shared/schema';
import type { Rows } from '../store/types';
import type { Audience } from './changeSet';

export async function loadViewer(store: Rows, userId: string): Promise<(Viewer & { active: boolean }) | undefined> {
  const u = await store.get('users', userId);
  if (!u) return undefined;
  const groupIds = new Set((await store.find('memberships', { userId })).map((m) => m.groupId));
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

/**
 * Per-viewer scope visibility against the current database, memoised for one fan-out or
 * catch-up. Only conversation and chat scopes need a read; `prefetch` reads a page's unknown
 * scopes at once so the loop over the page asks `known` synchronously.
 */
export class ScopeCheck {
  constructor(
    private readonly store: Rows,
    readonly viewer: Viewer,
  ) {}

  private readonly memo2 = new Map<string, ScopeAccess>();

  /** Every row of the scope (content): what attachments, catch-up and fan-out send in full. */
  async canSee(scope: string): Promise<boolean> {
    return (await this.access(scope)) === 'content';
  }

  /** 'meta': only the scope's projected root row (metadataRow). */
  async access(scope: string): Promise<ScopeAccess> {
    let r = this.known(scope);
    if (r === undefined) {
      r = await this.compute(scope);
      this.memo2.set(scope, r);
    }
    return r;
  }

  /** The access when it needs no read (or was read before); undefined: `access` must read. */
  known(scope: string): ScopeAccess | undefined {
    const r = this.memo2.get(scope);
    if (r !== undefined) return r;
    const i = scope.indexOf(':');
    const kind = scope.slice(0, i);
    if (kind === 'conv' || kind === 'chat') return undefined;
    const s = this.computeLocal(scope);
    this.memo2.set(scope, s);
    return s;
  }

  /**
   * A conversation or chat row read anyway (a catch-up's page of that table) decides its own
   * scope's access: no second read of the same row.
   */
  learnRoot(table: TableName, row: RowOf<TableName>): void {
    if (table === 'conversations') this.memo2.set(`conv:${row.id}`, conversationAccess(this.viewer, row as RowOf<'conversations'>));
    else if (table === 'chats') this.memo2.set(`chat:${row.id}`, chatAccess(this.viewer, row as RowOf<'chats'>));
  }

  /** Reads the access of every scope not known yet. */
  async prefetch(scopes: Iterable<string>): Promise<void> {
    for (const s of new Set(scopes)) if (this.known(s) === undefined) await this.access(s);
  }

  private async compute(scope: string): Promise<ScopeAccess> {
    const i = scope.indexOf(':');
    const kind = scope.slice(0, i);
    const id = scope.slice(i + 1);
    switch (kind) {
      case 'conv': {
        const c = await this.store.get('conversations', id);
        return c ? conversationAccess(this.viewer, c) : 'none';
      }
      case 'chat': {
        const c = await this.store.get('chats', id);
        return c ? chatAccess(this.viewer, c) : 'none';
      }
      default:
        return this.computeLocal(scope);
    }
  }

  private computeLocal(scope: string): ScopeAccess {
    if (scope === 'org') return 'content';
    const i = scope.indexOf(':');
    const kind = scope.slice(0, i);
    const id = scope.slice(i + 1);
    switch (kind) {
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
export async function metadataRowOf(store: Rows, scope: string): Promise<{ t: 'conversations' | 'chats'; r: RowOf<'conversations'> | RowOf<'chats'> } | undefined> {
  const i = scope.indexOf(':');
  const kind = scope.slice(0, i);
  const id = scope.slice(i + 1);
  if (kind === 'conv') {
    const c = await store.get('conversations', id);
    if (!c) return undefined;
    const invoiceOutstanding = (await store.count('invoices', { conversationId: id, status: 'sent' })) > 0;
    return { t: 'conversations', r: metadataRow(c, { kind: 'conv', invoiceOutstanding }) };
  }
  if (kind === 'chat') {
    const c = await store.get('chats', id);
    if (!c) return undefined;
    return { t: 'chats', r: metadataRow(c, { kind: 'chat', messageCount: await store.count('chatMessages', { chatId: id }) }) };
  }
  return undefined;
}

/** Every row of a conversation or chat scope, root first. */
export async function scopeRows(store: Rows, scope: string): Promise<{ t: TableName; r: RowOf<TableName> }[]> {
  const i = scope.indexOf(':');
  const kind = scope.slice(0, i);
  const id = scope.slice(i + 1);
  if (kind !== 'conv' && kind !== 'chat') return [];
  const out: { t: TableName; r: RowOf<TableName> }[] = [];
  for (const child of scopeChildren[kind]) {
    const rows = await store.find(child.table, { [child.column]: id });
    for (const r of rows) out.push({ t: child.table, r });
  }
  return out;
}
