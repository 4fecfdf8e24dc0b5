// Journey 3: an admin restricts a conversation to one agent; the other agent loses it
// from the window and from the replica on disk.
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, replicaFiles, rowId, shotPath, startWorld, type AppUser, type World } from './harness';

let world: World;
let admin: AppUser;
let alice: AppUser;
let bob: AppUser;

function rowsIn(dataDir: string, conversationId: string): number {
  let n = 0;
  for (const file of replicaFiles(dataDir)) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const has = (t: string) => db.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name=?`).get(t);
      if (has('conversations')) n += (db.prepare('SELECT count(*) AS n FROM conversations WHERE id = ?').get(conversationId) as { n: number }).n;
      if (has('messages')) n += (db.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ?').get(conversationId) as { n: number }).n;
    } finally {
      db.close();
    }
  }
  return n;
}

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900202', body: 'Private matter, please', contactName: 'Karl Lindqvist' });
  admin = await world.open(world.org.admin.email);
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email);
});
afterAll(async () => world?.close());

describe('Visibility', () => {
  it('3. restricting to one agent removes it from the other agent’s window and replica', async () => {
    for (const u of [admin, alice, bob]) await goTo(u.page, /^Team inbox/);
    const bobRow = bob.page.getByRole('option', { name: /Karl Lindqvist/ });
    await pw(bobRow).toBeVisible();
    const id = await rowId(bobRow);
    await eventually(() => rowsIn(bob.dataDir, id) > 0, 'the conversation in Bob’s replica');

    await admin.page.getByRole('option', { name: /Karl Lindqvist/ }).click();
    await admin.page.getByRole('button', { name: 'Manage conversation' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Manage conversation' });
    await dialog.getByRole('radio', { name: /Visible to/ }).check();
    const boxes = dialog.getByRole('group', { name: 'Visible to' }).getByRole('checkbox');
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      const name = (await box.getAttribute('aria-label')) ?? '';
      await box.setChecked(name.includes(world.org.alice.name));
    }
    await dialog.getByRole('button', { name: 'Save' }).click();
    await pw(dialog).toBeHidden();

    await pw(bob.page.getByRole('option', { name: /Karl Lindqvist/ })).toHaveCount(0);
    await eventually(() => rowsIn(bob.dataDir, id) === 0, 'the conversation gone from Bob’s replica');
    await pw(alice.page.getByRole('option', { name: /Karl Lindqvist.*restricted/ })).toBeVisible();
    expect(rowsIn(alice.dataDir, id)).toBeGreaterThan(0);
  });

  it('3a. the admin left outside “Visible to” sees only that it exists, manages it, and regains it by adding themselves', async () => {
    // the admin unticked themselves above: the content left their machine, the metadata stayed
    const row = admin.page.getByRole('option', { name: /Karl Lindqvist/ });
    await pw(row).toContainText('Confidential');
    const pane = admin.page.getByRole('note', { name: 'Confidential conversation' });
    await pw(pane).toBeVisible();
    await pw(pane).toContainText(world.org.alice.name);
    await pw(admin.page.getByText('Private matter, please')).toHaveCount(0);
    await pw(admin.page.getByRole('textbox', { name: /Reply|Message/ })).toHaveCount(0);
    await admin.page.screenshot({ path: shotPath('confidential-admin.png') });
    // adding themselves brings the content back (and is recorded in the relay's audit log)
    await admin.page.getByRole('button', { name: 'Manage conversation' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Manage conversation' });
    await dialog.getByRole('checkbox', { name: `Visible to ${world.org.admin.name}` }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await pw(dialog).toBeHidden();
    await pw(admin.page.getByText('Private matter, please').first()).toBeVisible();
    await pw(pane).toBeHidden();
    const audit = await world.relay.services.engine.store.all("SELECT action FROM audit_log WHERE actor_id = ? AND action = 'grantSelfAccess'", [world.org.admin.id]);
    expect(audit).toEqual([{ action: 'grantSelfAccess' }]);
  });

  // The core zeroes deleted content (PRAGMA secure_delete) and truncates the WAL after a
  // poke that removed a scope, so no old page or WAL frame keeps the text.
  it('3b. leaves no stray bytes of the restricted text in the other agent’s replica files (database, WAL)', async () => {
    const leftovers = () =>
      replicaFiles(bob.dataDir)
        .flatMap((f) => [f, `${f}-wal`])
        .filter((f) => existsSync(f) && readFileSync(f).includes('Private matter, please'));
    // the WAL is truncated just after the poke is applied: give it a moment, then check
    await eventually(() => leftovers().length === 0, 'the restricted text scrubbed from Bob’s replica files').catch(() => undefined);
    expect(leftovers()).toEqual([]);
  });
});
