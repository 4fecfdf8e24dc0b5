// Direct admin operations (startRelay's `admin`, the CLI, POST /admin/users): written
// through the server Tx so they version, fan out and tombstone like any mutation.
import { randomBytes, scryptSync } from 'node:crypto';
import { NO_CHANNEL_PROVIDERS, type Group, type User } from '../shared/schema';
import type { Engine } from './sync/engine';
import type { AdminApi } from './services';

/** Same format as auth/passwords.ts, synchronous so admin calls return at once. */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 64, { N: 16384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString('hex')}$${key.toString('hex')}`;
}

export function createAdminApi(engine: Engine): AdminApi {
  const store = engine.store.rows;
  return {
    async createUser(u) {
      const email = u.email.trim().toLowerCase();
      if ((await store.find('users', { email })).length) throw new Error(`a user with email ${email} already exists`);
      for (const g of u.groupIds ?? []) if (!(await store.get('groups', g))) throw new Error(`no group ${g}`);
      const hash = hashPasswordSync(u.password);
      return engine.write((tx) => {
        const user: User = { id: tx.newId(), name: u.name.trim(), email, role: u.role, active: true, createdAt: tx.now, accepting: true, version: 0 };
        tx.put('users', user);
        for (const g of u.groupIds ?? []) tx.put('memberships', { id: `${g}:${user.id}`, groupId: g, userId: user.id, version: 0 });
        tx.exec('INSERT INTO credentials (user_id, hash) VALUES (?, ?)', [user.id, hash]);
        return tx.get('users', user.id) as User;
      });
    },
    async createGroup(g) {
      return engine.write((tx) => {
        const group: Group = {
          id: tx.newId(), name: g.name.trim(), smsNumber: g.smsNumber ?? null, whatsappNumber: g.whatsappNumber ?? null, templates: [], createdAt: tx.now,
          paymentInstructions: '', slaFirstResponseMinutes: null, businessHours: null,
          // no provider until an account is added, unless the simulator is chosen explicitly
          channelProviders: g.simulated ? { sms: 'simulator', whatsapp: 'simulator' } : NO_CHANNEL_PROVIDERS,
          slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, version: 0,
        };
        tx.put('groups', group);
        return tx.get('groups', group.id) as Group;
      });
    },
    async addMember(groupId, userId) {
      if (!(await store.get('groups', groupId))) throw new Error(`no group ${groupId}`);
      if (!(await store.get('users', userId))) throw new Error(`no user ${userId}`);
      if (await store.get('memberships', `${groupId}:${userId}`)) return;
      await engine.write((tx) => tx.put('memberships', { id: `${groupId}:${userId}`, groupId, userId, version: 0 }));
    },
    async deactivateUser(userId) {
      const u = await store.get('users', userId);
      if (!u) throw new Error(`no user ${userId}`);
      if (!u.active) return;
      await engine.write((tx) => {
        const now = tx.get('users', userId);
        if (now?.active) tx.put('users', { ...now, active: false });
      });
    },
  };
}
