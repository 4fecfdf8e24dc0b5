// Presence journey (issue 13): two agents on the same conversation. Bob sees "Alice is viewing",
// then "Alice is replying…" while she has a draft; Alice's avatar shows her online; when Alice has
// just replied, Bob's send asks "Alice just replied — send anyway?" in the app's dialog (Enter sends,
// Esc goes back to the draft, Tab stays inside). Idle for IDLE_AWAY_MS, Alice shows away to Bob.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_AWAY_MS } from '../shared/protocol/presence';
import { expect as pw } from './pw';
import { goTo, shotPath, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let alice: AppUser;
let bob: AppUser;

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900203', body: 'Is the sofa still available?', contactName: 'Nora Presence' });
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email);
});
afterAll(async () => world?.close());

describe('Presence', () => {
  it('Bob sees Alice viewing and replying; a reply on top of hers asks first', async () => {
    for (const u of [alice, bob]) {
      await goTo(u.page, /^Team inbox/);
      await u.page.getByRole('option', { name: /Nora Presence/ }).click();
    }
    const bar = bob.page.getByRole('status').filter({ hasText: /Alice/ });
    await pw(bar).toContainText('Alice is viewing');
    await alice.page.getByPlaceholder(/^Reply to/).fill('Yes, it is!');
    await pw(bar).toContainText('Alice is replying…');
    await bob.page.screenshot({ path: shotPath('presence-replying.png') });

    // Alice sends; Bob's reply on top of hers asks first, in the app's own dialog
    await alice.page.getByPlaceholder(/^Reply to/).press('Enter');
    await pw(timeline(bob.page)).toContainText('Yes, it is!');
    await pw(bar).toContainText('Alice is viewing');
    // Bob's page clock stands still from here (its timers keep running): the 30 s "just replied"
    // window stays open however busy the machine is
    await bob.page.clock.setFixedTime(Date.now());
    const box = bob.page.getByPlaceholder(/^Reply to/);
    await box.fill('I can hold it for you');
    await box.press('Enter');
    const ask = bob.page.getByRole('dialog', { name: 'Alice just replied — send anyway?' });
    const sendAnyway = ask.getByRole('button', { name: 'Send anyway' });
    await pw(ask).toBeVisible();
    await pw(ask).toContainText('Yes, it is!');
    await pw(sendAnyway).toBeFocused();
    await bob.page.screenshot({ path: shotPath('presence-just-replied-light.png') });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await pw(bob.page.locator('html[data-theme="dark"]')).toHaveCount(1);
    await bob.page.screenshot({ path: shotPath('presence-just-replied-dark.png') });
    await bob.page.emulateMedia({ colorScheme: 'light' });
    // focus is trapped: Tab and Shift+Tab go round the dialog's controls
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await bob.page.keyboard.press(key);
      await pw(ask.locator(':focus')).toHaveCount(1); // focus inside the dialog after each key
    }
    // Esc: back to the draft, in the text box; nothing was sent
    await bob.page.keyboard.press('Escape');
    await pw(ask).toBeHidden();
    await pw(box).toHaveValue('I can hold it for you');
    await pw(box).toBeFocused();
    expect((await world.relay.services.engine.store.rows.find('messages', {})).some((m) => m.body === 'I can hold it for you')).toBe(false);
    // Enter asks again; Enter in the dialog sends
    await box.press('Enter');
    await pw(sendAnyway).toBeFocused();
    await bob.page.keyboard.press('Enter');
    await pw(ask).toBeHidden();
    await pw(box).toHaveValue('');
    await pw(timeline(alice.page)).toContainText('I can hold it for you');
  });

  it('idle for IDLE_AWAY_MS, Alice shows away to Bob; back at the first input (her page clock driven, no waiting)', async () => {
    // Alice is assigned: her avatar (with its presence dot) is on the conversation's row in Bob's list
    await alice.page.getByRole('button', { name: 'Manage conversation' }).click();
    const manage = alice.page.getByRole('dialog', { name: 'Manage conversation' });
    await manage.getByRole('checkbox', { name: `Assign ${world.org.alice.name}` }).check();
    await manage.getByRole('button', { name: 'Save' }).click();
    await pw(manage).toBeHidden();
    const aliceDot = bob.page.getByRole('option', { name: /Nora Presence/ }).locator('.avatars [data-presence]');
    await pw(aliceDot).toHaveAttribute('data-presence', 'online');
    // Alice's page gets a fake clock (time still flows); her next input arms the idle timer on it
    await alice.page.clock.install();
    await alice.page.mouse.move(40, 40);
    await alice.page.mouse.move(60, 60);
    await alice.page.clock.fastForward(IDLE_AWAY_MS);
    await pw(aliceDot).toHaveAttribute('data-presence', 'away');
    await bob.page.screenshot({ path: shotPath('presence-away.png') });
    // the first input brings her back
    await alice.page.mouse.move(200, 200);
    await pw(aliceDot).toHaveAttribute('data-presence', 'online');
  });

  it('a chat row shows who else is in it, with their status', async () => {
    await goTo(bob.page, /^Team chat/);
    await bob.page.getByRole('button', { name: /New chat/ }).click();
    const dialog = bob.page.getByRole('dialog', { name: 'New team chat' });
    await dialog.getByRole('checkbox', { name: world.org.alice.name, exact: true }).check();
    await dialog.getByRole('button', { name: 'Start chat' }).click();
    await pw(dialog).toBeHidden();
    const row = bob.page.getByRole('option', { name: new RegExp(world.org.alice.name) });
    await pw(row.getByRole('img', { name: `With ${world.org.alice.name}` })).toBeVisible();
    await pw(row.locator('.avatars [data-presence]')).toHaveAttribute('data-presence', 'online');
    await bob.page.screenshot({ path: shotPath('presence-chat-list.png') });
  });
});
