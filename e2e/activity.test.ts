// Issue 13 part 3: an admin finds a visibility change in the audit log; the conversation's
// timeline shows its activity as quiet lines. Screenshots light (admin) and dark (alice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { goTo, shotPath, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let admin: AppUser;
let alice: AppUser;

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900303', body: 'About my order', contactName: 'Lena Novak' });
  admin = await world.open(world.org.admin.email);
  alice = await world.open(world.org.alice.email, { colorScheme: 'dark' });
});
afterAll(async () => world?.close());

describe('Activity and audit log', () => {
  it('an admin finds a visibility change in the audit log', async () => {
    // Alice takes the conversation and restricts it to herself and the admin
    await goTo(alice.page, /^Team inbox/);
    await alice.page.getByRole('option', { name: /Lena Novak/ }).click();
    await alice.page.getByRole('button', { name: 'Manage conversation' }).click();
    let dialog = alice.page.getByRole('dialog', { name: 'Manage conversation' });
    await dialog.getByRole('group', { name: 'Assignees' }).getByRole('checkbox', { name: new RegExp(world.org.alice.name) }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await pw(dialog).toBeHidden();
    await pw(timeline(alice.page).getByText('You assigned yourself')).toBeVisible();
    await alice.page.getByRole('button', { name: 'Manage conversation' }).click();
    dialog = alice.page.getByRole('dialog', { name: 'Manage conversation' });
    await dialog.getByRole('radio', { name: /Visible to/ }).check();
    const boxes = dialog.getByRole('group', { name: 'Visible to' }).getByRole('checkbox');
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      const name = (await box.getAttribute('aria-label')) ?? '';
      await box.setChecked(name.includes(world.org.alice.name) || name.includes(world.org.admin.name));
    }
    await dialog.getByRole('button', { name: 'Save' }).click();
    await pw(dialog).toBeHidden();
    // the timeline says it as a quiet line, for everyone who may read the conversation
    await pw(timeline(alice.page).getByText(new RegExp(`You restricted visibility to (you and ${world.org.admin.name}|${world.org.admin.name} and you)`))).toBeVisible();
    await alice.page.screenshot({ path: shotPath('activity-timeline-dark.png') });

    // the admin opens the audit log and filters by what happened
    await goTo(admin.page, /^Teams and people/);
    const log = admin.page.getByRole('region', { name: 'Audit log' });
    await log.scrollIntoViewIfNeeded();
    await log.getByRole('combobox', { name: 'What' }).selectOption({ label: 'Visibility changed' });
    const row = log.locator('tr[data-action="visibilityChanged"]').filter({ hasText: 'Lena Novak' });
    await pw(row).toHaveCount(1);
    await pw(row).toContainText(world.org.alice.name);
    await pw(row).toContainText('+447700900303');
    await pw(row).toContainText('added ');
    await pw(row).toContainText(`${world.org.admin.name}`);
    // never the content
    expect(await log.textContent()).not.toContain('About my order');
    // who: another person's entries hide it
    await log.getByRole('combobox', { name: 'Who' }).selectOption({ label: world.org.bob.name });
    await pw(log.getByText('No entries match these filters.')).toBeVisible();
    await log.getByRole('combobox', { name: 'Who' }).selectOption({ label: world.org.alice.name });
    await pw(row).toHaveCount(1);
    await log.getByRole('combobox', { name: 'What' }).selectOption({ label: 'Any action' });
    await pw(log.locator('tr[data-action="signIn"]').first()).toBeVisible();
    await log.screenshot({ path: shotPath('audit-log-light.png') });
  });
});
