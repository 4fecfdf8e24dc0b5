// Who is connected, indexed by what decides visibility: user id, group, admin role. Fan-out
// asks "which users may see scope S?" and gets only them, never a pass over every socket.
// The index is per relay process (each relay of part 2 indexes its own sockets).
import type { Viewer } from '../../shared/scopes';
import { hasAdminRole } from '../../shared/permissions';
import type { Audience } from './changeSet';
import type { Connection } from './connection';

/** One connected user: the viewer every one of its sockets shares, and those sockets. */
export interface Subscriber {
  readonly userId: string;
  viewer: Viewer;
  readonly conns: Set<Connection>;
}

export class Subscribers {
  private readonly users = new Map<string, Subscriber>();
  private readonly byGroup = new Map<string, Set<Subscriber>>();
  private readonly admins = new Set<Subscriber>();

  get userCount(): number {
    return this.users.size;
  }

  get(userId: string): Subscriber | undefined {
    return this.users.get(userId);
  }

  all(): IterableIterator<Subscriber> {
    return this.users.values();
  }

  /** A socket finished hello as `viewer` (the latest state of that user: it replaces the old one). */
  add(conn: Connection, viewer: Viewer): Subscriber {
    let s = this.users.get(viewer.id);
    if (!s) {
      s = { userId: viewer.id, viewer, conns: new Set() };
      this.users.set(viewer.id, s);
      this.indexViewer(s);
    } else this.setViewer(s, viewer);
    s.conns.add(conn);
    return s;
  }

  remove(conn: Connection): void {
    const s = this.users.get(conn.userId);
    if (!s || !s.conns.delete(conn) || s.conns.size > 0) return;
    this.unindexViewer(s);
    this.users.delete(s.userId);
  }

  /** The user's role or groups changed. */
  setViewer(s: Subscriber, viewer: Viewer): void {
    this.unindexViewer(s);
    s.viewer = viewer;
    this.indexViewer(s);
  }

  /**
   * Connected users who may receive anything of a conversation or chat with this audience: its
   * readers (members, the visible-to list, the participants) and every admin, who receives the
   * metadata row of what they may not read (shared/scopes: conversationAccess, chatAccess). A
   * superset the index finds without a pass over every socket: fan-out asks the shared predicates
   * what each one gets (content, metadata or nothing), never this index.
   */
  forAudience(a: Audience): Subscriber[] {
    const out = [...this.admins];
    if (a.kind === 'conv') {
      if (a.visibleTo === null) {
        for (const s of this.byGroup.get(a.groupId) ?? []) if (!hasAdminRole(s.viewer)) out.push(s);
      } else {
        for (const id of a.visibleTo) {
          const s = this.users.get(id);
          if (s && !hasAdminRole(s.viewer) && s.viewer.groupIds.has(a.groupId)) out.push(s);
        }
      }
    } else {
      for (const id of new Set(a.members)) {
        const s = this.users.get(id);
        if (s && !hasAdminRole(s.viewer)) out.push(s);
      }
    }
    return out;
  }

  /** Connected users who may see a group scope (broadcasts): its members and every admin. */
  forGroup(groupId: string): Subscriber[] {
    const out = [...this.admins];
    for (const s of this.byGroup.get(groupId) ?? []) if (!hasAdminRole(s.viewer)) out.push(s);
    return out;
  }

  private indexViewer(s: Subscriber): void {
    if (hasAdminRole(s.viewer)) this.admins.add(s);
    for (const g of s.viewer.groupIds) {
      let set = this.byGroup.get(g);
      if (!set) this.byGroup.set(g, (set = new Set()));
      set.add(s);
    }
  }

  private unindexViewer(s: Subscriber): void {
    this.admins.delete(s);
    for (const g of s.viewer.groupIds) {
      const set = this.byGroup.get(g);
      if (!set) continue;
      set.delete(s);
      if (set.size === 0) this.byGroup.delete(g);
    }
  }
}
