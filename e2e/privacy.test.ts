// Privacy journeys (issue 10): a conversation restricted before its first message (item 3), and
// a Manage save made offline from an older view that the relay refuses as stale: the dialog
// reopens on the current lists and says why (item 4).
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, replicaFiles, shotPath, startWorld, timeline, type AppUser, type World } from './harness';
import { readFileSync } from 'node:fs';

let world: World;
let admin: AppUser;
let alice: AppUser;
let bob: AppUser;

beforeAll(async () => {
  world = await startWorld();
  const engine = world.relay.services.engine;
  await engine.runAs({ userId: world.org.admin.id, role: 'admin' }, 'createContact', { id: uuidv7(), name: 'Greta Holm', phone: '+447700900301' });
  admin = await world.open(world.org.admin.email);
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email);
});
afterAll(async () => world?.close());

const onDisk = (u: AppUser, text: string) => replicaFiles(u.dataDir).some((f) => readFileSync(f).includes(text) || readFileSync(`${f}-wal`, { flag: 'a+' }).includes(text));

describe('Privacy', () => {
  it('restricts a new conversation before its first message: nobody else ever receives it', async () => {
    const page = alice.page;
    await goTo(page, /^Contacts/);
    await page.getByRole('option', { name: /Greta Holm/ }).click();
    await page.getByRole('radio', { name: /Only me and/ }).check();
    await page.getByRole('checkbox', { name: `Visible to ${world.org.bob.name}` }).waitFor();
    await page.getByRole('textbox', { name: /Message to Greta Holm/ }).fill('About your complaint, in confidence');
    await page.getByRole('button', { name: 'Send message' }).click();
    await pw(timeline(page).getByText('About your complaint, in confidence')).toBeVisible();
    await pw(page.getByText('Restricted').first()).toBeVisible();
    const conv = (await world.relay.services.engine.store.rows.find('conversations', {})).find((c) => c.visibleTo?.length === 1);
    expect(conv).toMatchObject({ visibleTo: [world.org.alice.id], assignees: [world.org.alice.id] });
    // Bob (same team) never gets it; the admin gets its metadata only
    await goTo(bob.page, /^Team inbox/);
    await goTo(admin.page, /^Team inbox/);
    await pw(admin.page.getByRole('option', { name: /Greta Holm/ })).toContainText('Confidential');
    await pw(bob.page.getByRole('option', { name: /Greta Holm/ })).toHaveCount(0);
    expect(onDisk(bob, 'About your complaint')).toBe(false);
    expect(onDisk(admin, 'About your complaint')).toBe(false);
  });

  it('an offline Manage save from an older view is refused as stale and the dialog reopens on the current lists', async () => {
    const engine = world.relay.services.engine;
    await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900302', body: 'Order 5512 is late', contactName: 'Piet Vos' });
    await eventually(async () => (await engine.store.rows.find('conversations', {})).some((c) => c.lastPreview === 'Order 5512 is late'), 'the inbound conversation');
    const conv = (await engine.store.rows.find('conversations', {})).find((c) => c.lastPreview === 'Order 5512 is late');
    if (!conv) throw new Error('no conversation');
    await engine.runAs({ userId: world.org.admin.id, role: 'admin' }, 'manageConversation', { conversationId: conv.id, visibleTo: null, assignees: [world.org.alice.id], baseVisibilityVersion: 0 });
    await goTo(admin.page, /^Team inbox/);
    await admin.page.getByRole('option', { name: /Piet Vos/ }).click();
    await pw(timeline(admin.page).getByText('Order 5512 is late')).toBeVisible();

    // the admin is offline and, from what they saw (everyone), also assigns Bob
    await world.stopRelay();
    await admin.page.getByRole('button', { name: 'Manage conversation' }).click();
    let dialog = admin.page.getByRole('dialog', { name: 'Manage conversation' });
    await dialog.getByRole('checkbox', { name: `Assign ${world.org.bob.name}` }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await pw(dialog).toBeHidden();

    // meanwhile alice (the assignee) restricts it to herself and the admin
    await world.restartRelay();
    await world.relay.services.engine.runAs({ userId: world.org.alice.id, role: 'agent' }, 'manageConversation', {
      conversationId: conv.id, visibleTo: [world.org.alice.id, world.org.admin.id], assignees: [world.org.alice.id], baseVisibilityVersion: 0,
    });

    // the admin's queued save would re-widen it: refused, and the dialog reopens on the current lists
    dialog = admin.page.getByRole('dialog', { name: 'Manage conversation' });
    await pw(dialog, 45_000).toBeVisible();
    await pw(dialog.getByRole('alert')).toContainText('changed since you opened');
    expect(await dialog.getByRole('radio', { name: /Visible to/ }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: `Visible to ${world.org.bob.name}` }).isChecked()).toBe(false);
    expect(await dialog.getByRole('checkbox', { name: `Visible to ${world.org.alice.name}` }).isChecked()).toBe(true);
    await admin.page.screenshot({ path: shotPath('manage-stale.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await world.relay.services.engine.store.rows.get('conversations', conv.id)).toMatchObject({ visibleTo: [world.org.alice.id, world.org.admin.id], assignees: [world.org.alice.id] });
    await goTo(bob.page, /^Team inbox/);
    await pw(bob.page.getByRole('option', { name: /Piet Vos/ })).toHaveCount(0);
  });
});
