// Journeys 6 and 7: team chat between two agents and with oneself (an agent cannot delete
// it; an admin, who sees every chat, can) and conversation deletion (admins only).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expect as pw } from './pw';
import { goTo, shotPath, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let admin: AppUser;
let alice: AppUser;
let bob: AppUser;

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900505', body: 'Delete my data please', contactName: 'Lena Fischer' });
  admin = await world.open(world.org.admin.email);
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email);
});
afterAll(async () => world?.close());

async function startChat(u: AppUser, withNames: string[]): Promise<void> {
  await goTo(u.page, /^Team chat/);
  await u.page.getByRole('button', { name: /New chat/ }).click();
  const dialog = u.page.getByRole('dialog', { name: 'New team chat' });
  for (const n of withNames) await dialog.getByRole('checkbox', { name: n, exact: true }).check();
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await pw(dialog).toBeHidden();
}

describe('Team chat', () => {
  it('6. two agents chat, an agent chats with themself; agents cannot delete a chat, an admin can', async () => {
    const { org } = world;
    await startChat(alice, [org.bob.name]);
    await alice.page.getByRole('textbox', { name: 'Message' }).fill('Can you take the Lena ticket?');
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    await goTo(bob.page, /^My inbox/);
    await bob.page.getByRole('listbox').first().getByRole('option', { name: new RegExp(org.alice.name) }).click();
    await pw(timeline(bob.page).getByText('Can you take the Lena ticket?')).toBeVisible();
    await bob.page.getByRole('textbox', { name: 'Message' }).fill('On it');
    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
    await pw(timeline(alice.page).getByText('On it')).toBeVisible();

    await startChat(alice, []); // nobody else: a chat with oneself
    await alice.page.getByRole('textbox', { name: 'Message' }).fill('Remember: call Omar at 3');
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    await pw(timeline(alice.page).getByText('Remember: call Omar at 3')).toBeVisible();
    await pw(bob.page.getByText('Remember: call Omar at 3')).toHaveCount(0);
    // Team chats never show in the Team inbox.
    await goTo(alice.page, /^Team inbox/);
    await pw(alice.page.getByRole('option', { name: /Team chat/ })).toHaveCount(0);

    // Neither agent can delete their chat; an admin who is not in it sees that it exists (never its
    // messages: chats are private to their participants, admins included) and can delete it.
    for (const [u, other] of [[alice, org.bob.name], [bob, org.alice.name]] as const) {
      await goTo(u.page, /^Team chat/);
      await u.page.getByRole('listbox').first().getByRole('option', { name: new RegExp(other) }).click();
      await pw(timeline(u.page).getByText('On it')).toBeVisible();
      await pw(u.page.getByRole('button', { name: 'Delete chat' })).toHaveCount(0);
    }
    const agentsChat = new RegExp(`Private chat between (${org.alice.name} and ${org.bob.name}|${org.bob.name} and ${org.alice.name})`);
    await goTo(admin.page, /^Team chat/);
    await pw(admin.page.getByRole('option', { name: new RegExp(`Notes of ${org.alice.name}`) })).toBeVisible();
    await admin.page.getByRole('option', { name: agentsChat }).click();
    const note = admin.page.getByRole('note').filter({ hasText: 'private to its participants' });
    await pw(note).toBeVisible();
    await pw(note).toContainText(/Messages\s*2/);
    await pw(admin.page.getByText('Can you take the Lena ticket?')).toHaveCount(0);
    await pw(admin.page.getByText('On it', { exact: true })).toHaveCount(0);
    await pw(admin.page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
    await admin.page.screenshot({ path: shotPath('private-chat-admin.png') });
    await admin.page.getByRole('button', { name: 'Delete chat' }).click();
    await admin.page.getByRole('dialog', { name: 'Delete chat?' }).getByRole('button', { name: 'Delete chat' }).click();
    await pw(admin.page.getByRole('option', { name: agentsChat })).toHaveCount(0);
    await pw(alice.page.getByRole('listbox').first().getByRole('option', { name: new RegExp(org.bob.name) })).toHaveCount(0);
    await pw(bob.page.getByRole('listbox').first().getByRole('option', { name: new RegExp(org.alice.name) })).toHaveCount(0);
    await pw(timeline(bob.page).getByText('On it')).toHaveCount(0);
    // alice's chat with herself is untouched
    await pw(alice.page.getByRole('option', { name: /Notes to self/ })).toBeVisible();
  });
});

describe('Delete conversation', () => {
  it('7. agents have no delete; an admin deletes the conversation for everyone', async () => {
    for (const u of [admin, alice, bob]) await u.page.keyboard.press('Escape');
    await goTo(alice.page, /^Team inbox/);
    await alice.page.getByRole('option', { name: /Lena Fischer/ }).click();
    await pw(alice.page.getByRole('heading', { name: 'Lena Fischer', level: 1 })).toBeVisible();
    await pw(alice.page.getByRole('button', { name: 'Delete conversation' })).toHaveCount(0);

    await goTo(admin.page, /^Team inbox/);
    await admin.page.getByRole('option', { name: /Lena Fischer/ }).click();
    await admin.page.getByRole('button', { name: 'Delete conversation' }).click();
    await admin.page.getByRole('dialog', { name: 'Delete conversation?' }).getByRole('button', { name: /^Delete/ }).click();
    await pw(admin.page.getByRole('option', { name: /Lena Fischer/ })).toHaveCount(0);
    await pw(alice.page.getByRole('option', { name: /Lena Fischer/ })).toHaveCount(0);
  });
});
