// Issue 12 tools 1, 4 and 6 through the real app in Chromium: canned responses (settings screen,
// `/` in the composer, variables, SMS counter, offline), @mentions in notes (only people who may
// see the conversation, a notification and the Mentions view, a refusal by the relay) and
// managed group chats (Discuss with…, add, rename, remove — the removed member loses the chat —
// leave, search finds chat messages). Screenshots of the new surfaces go with views.test.ts's.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, goTo, root, startWorld, timeline, type AppUser, type World } from './harness';
import { expect as pw } from './pw';

const shots = process.env.PARLEY_SCREENSHOTS === 'commit' ? join(root, 'e2e/screenshots') : join(tmpdir(), 'parley-screenshots');
let world: World;
let admin: AppUser;
let alice: AppUser;
let bob: AppUser;
let carol: AppUser;

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300); // fonts and the list settle
  await page.screenshot({ path: join(shots, `tools-${name}.png`) });
}

async function openConversation(u: AppUser, name: RegExp): Promise<void> {
  await goTo(u.page, /^Team inbox/);
  await u.page.getByRole('option', { name }).first().click();
  await pw(timeline(u.page)).toBeVisible();
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  world = await startWorld();
  const sales = world.org.groups.sales.id;
  await world.relay.simulator.inbound({ groupId: sales, from: '+447700900811', body: 'Hi, has my order shipped?', contactName: 'Maya Lopez' });
  await world.relay.simulator.inbound({ groupId: sales, from: '+447700900812', body: 'Can I change my delivery address?', contactName: 'Omar Haddad' });
  admin = await world.open(world.org.admin.email);
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email, { colorScheme: 'dark' });
  carol = await world.open(world.org.carol.email);
});
afterAll(async () => world?.close());

describe('canned responses', () => {
  it('an admin shares one with Sales; an agent saves a personal one; `/` inserts it with variables filled, unknown ones to fill', async () => {
    const { page } = admin;
    await goTo(page, /^Canned responses/);
    await page.getByRole('button', { name: 'New' }).click();
    await page.getByLabel('Title').fill('Shipping update');
    await page.getByLabel('Text').fill('Hi {{contact.first_name}}, your order ships today. Track it here: ');
    await page.getByLabel('Text').press('End');
    await page.getByLabel('Text').pressSequentially('{{order.tracking_link}} — {{agent.first_name}}, {{group.name}}');
    await page.getByLabel('Who can use it').selectOption({ label: `Everyone in ${world.org.groups.sales.name} (shared)` });
    await page.getByRole('button', { name: 'Create' }).click();
    await pw(page.getByRole('option', { name: /Shipping update/ })).toBeVisible();
    await shoot(page, 'canned-responses-light');

    // an agent may not share: the choice is disabled and says why; a personal one works (offline too)
    await goTo(alice.page, /^Canned responses/);
    await pw(alice.page.getByRole('option', { name: /Shipping update/ })).toBeVisible();
    await alice.page.getByRole('button', { name: 'New' }).click();
    await pw(alice.page.getByLabel('Who can use it')).toBeDisabled();
    await pw(alice.page.getByText('Only admins can share canned responses with a team.')).toBeVisible();
    // the relay goes away: the personal one is saved locally and waits
    await world.stopRelay();
    await pw(alice.page.getByRole('status').filter({ hasText: 'Offline' }).first()).toBeVisible();
    await alice.page.getByLabel('Title').fill('Thanks');
    await alice.page.getByLabel('Text').fill('Thanks {{contact.first_name}}, speak soon!');
    await alice.page.getByRole('button', { name: 'Create' }).click();
    await pw(alice.page.getByRole('option', { name: /Thanks/ })).toBeVisible();
    await world.restartRelay();
    // a shared one is read-only for an agent
    await alice.page.getByRole('option', { name: /Shipping update/ }).click();
    await pw(alice.page.getByText('Only admins can change shared canned responses.')).toBeVisible();
    await pw(alice.page.getByRole('button', { name: 'Save' })).toHaveCount(0);

    // in the composer: `/ship` + Enter inserts it, filled; {{order.tracking_link}} stays, is selected, and blocks Send
    await openConversation(alice, /Maya Lopez/);
    const box = alice.page.getByRole('textbox', { name: 'Message' });
    await box.click();
    await box.pressSequentially('/ship');
    const picker = alice.page.getByRole('listbox', { name: 'Canned responses' });
    await pw(picker.getByRole('option', { name: /Shipping update/ })).toBeVisible();
    await pw(picker.getByRole('option', { name: /Thanks/ })).toHaveCount(0);
    await shoot(alice.page, 'canned-picker-light');
    await box.press('Enter');
    await pw(picker).toHaveCount(0);
    await pw(box).toHaveValue(`Hi Maya, your order ships today. Track it here: {{order.tracking_link}} — Alice, ${world.org.groups.sales.name}`);
    await pw(alice.page.getByRole('status').filter({ hasText: 'Fill in' })).toContainText('{{order.tracking_link}}');
    await pw(alice.page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
    await shoot(alice.page, 'canned-unfilled-light');
    // the placeholder is selected: typing replaces it; the SMS counter counts the filled text
    await alice.page.keyboard.type('https://track.example/MX42');
    const sent = `Hi Maya, your order ships today. Track it here: https://track.example/MX42 — Alice, ${world.org.groups.sales.name}`;
    await pw(box).toHaveValue(sent);
    // "—" is not GSM: 70 per text; the counter counts the filled text, not the template
    await pw(alice.page.getByLabel(new RegExp(`^SMS length: ${sent.length} / 134 · 2 texts`))).toBeVisible();
    await pw(alice.page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    await pw(timeline(alice.page).getByText('your order ships today', { exact: false })).toBeVisible();
    await eventually(async () => (await world.relay.services.engine.store.rows.find('messages', {})).some((m) => m.body === sent), 'the filled reply reached the relay');
    // the personal one written offline reached the relay too, as alice's own
    await eventually(async () => (await world.relay.services.engine.store.rows.find('cannedResponses', {})).some((r) => r.title === 'Thanks' && r.ownerId === world.org.alice.id), 'personal canned synced');
    // carol (Support) never sees Sales' shared one
    await goTo(carol.page, /^Canned responses/);
    await pw(carol.page.getByRole('heading', { name: 'No canned responses yet' })).toBeVisible();
  });

  it('`/word` then a click on Send does what Enter does: the one match is inserted, else the list stays open; `/word` is never sent', async () => {
    await openConversation(alice, /Omar Haddad/);
    const box = alice.page.getByRole('textbox', { name: 'Message' });
    const send = alice.page.getByRole('button', { name: 'Send', exact: true });
    const picker = alice.page.getByRole('listbox', { name: 'Canned responses' });
    const sentBodies = async (): Promise<string[]> => (await world.relay.services.engine.store.rows.find('messages', {})).map((m) => m.body);
    // one match: inserted, not sent
    await box.click();
    await box.pressSequentially('/thank');
    await pw(picker.getByRole('option')).toHaveCount(1);
    await send.click();
    await pw(box).toHaveValue('Thanks Omar, speak soon!');
    await pw(picker).toHaveCount(0);
    await pw(box).toBeFocused();
    // several matches: the list stays open to choose from, nothing inserted or sent
    await box.fill('');
    await box.pressSequentially('/');
    await pw(picker.getByRole('option')).toHaveCount(2);
    await send.click();
    await pw(picker.getByRole('option')).toHaveCount(2);
    await pw(box).toHaveValue('/');
    // none: the list says so and stays open; nothing is sent
    await box.pressSequentially('zzz');
    await pw(alice.page.getByText('No canned response matches “zzz”.')).toBeVisible();
    await send.click();
    await pw(alice.page.getByText('No canned response matches “zzz”.')).toBeVisible();
    await pw(box).toHaveValue('/zzz');
    expect((await sentBodies()).some((b) => b.startsWith('/'))).toBe(false);
    // the inserted response goes out with a second click
    await box.fill('');
    await box.pressSequentially('/thank');
    await send.click();
    await pw(box).toHaveValue('Thanks Omar, speak soon!');
    await send.click();
    await pw(timeline(alice.page).getByText('Thanks Omar, speak soon!')).toBeVisible();
    await eventually(async () => (await sentBodies()).includes('Thanks Omar, speak soon!'), 'the inserted canned response reached the relay');
    expect((await sentBodies()).some((b) => b.startsWith('/'))).toBe(false);
  });
});

describe('@mentions', () => {
  it('suggests only people who may see the conversation; the mentioned one is notified and finds it in Mentions', async () => {
    await openConversation(alice, /Omar Haddad/);
    await alice.page.getByRole('button', { name: 'Note mode' }).click();
    const note = alice.page.getByRole('textbox', { name: 'Note' });
    await note.click();
    await note.pressSequentially('@');
    const picker = alice.page.getByRole('listbox', { name: /Mention someone/ });
    await pw(picker.getByRole('option', { name: new RegExp(world.org.bob.name) })).toBeVisible();
    await pw(picker.getByRole('option', { name: new RegExp(world.org.admin.name) })).toBeVisible();
    // carol is in Support only: she cannot see a Sales conversation, so she is not offered
    await pw(picker.getByRole('option', { name: new RegExp(world.org.carol.name) })).toHaveCount(0);
    await note.pressSequentially(world.org.bob.name.slice(0, 2));
    await shoot(alice.page, 'mention-picker-light');
    await note.press('Enter');
    await note.pressSequentially('can you call Omar about the address?');
    await pw(note).toHaveValue(`@${world.org.bob.name} can you call Omar about the address?`);
    await alice.page.getByRole('button', { name: 'Add note' }).click();
    await pw(timeline(alice.page).locator('.mention', { hasText: `@${world.org.bob.name}` })).toBeVisible();

    // bob: the sidebar counts it, Mentions lists it unread, opening it shows the conversation and reads it
    const nav = bob.page.getByRole('navigation', { name: 'Main' });
    await pw(nav.getByRole('button', { name: /^Mentions 1 unread/ })).toBeVisible();
    await goTo(bob.page, /^Mentions/);
    const row = bob.page.getByRole('option', { name: /Alice in Omar Haddad.*unread/ });
    await pw(row).toBeVisible();
    await shoot(bob.page, 'mentions-dark');
    await row.click();
    await pw(bob.page.getByRole('heading', { name: 'Omar Haddad', level: 1 })).toBeVisible();
    await pw(nav.getByRole('button', { name: /^Mentions$/ })).toBeVisible();
    await pw(bob.page.getByRole('option', { name: /Alice in Omar Haddad.*unread/ })).toHaveCount(0);
    await eventually(async () => (await world.relay.services.engine.store.rows.find('mentions', { userId: world.org.bob.id })).every((m) => m.readAt !== null), 'read on the relay');
    await shoot(bob.page, 'mention-open-dark');

    // the relay refuses a mention of someone who lost access meanwhile, with the reason, on the item
    const omar = (await world.relay.services.engine.store.rows.find('contacts', {})).find((c) => c.name === 'Omar Haddad');
    const conv = (await world.relay.services.engine.store.rows.find('conversations', {})).find((c) => c.contactId === omar?.id);
    expect(conv).toBeDefined();
    await world.stopRelay();
    await goTo(bob.page, /^Team inbox/);
    await bob.page.getByRole('option', { name: /Omar Haddad/ }).click();
    await bob.page.getByRole('button', { name: 'Note mode' }).click();
    const bobNote = bob.page.getByRole('textbox', { name: 'Note' });
    await bobNote.click();
    await bobNote.pressSequentially(`@${world.org.alice.name.slice(0, 3)}`);
    await bobNote.press('Enter');
    await bobNote.pressSequentially('please check');
    await bob.page.getByRole('button', { name: 'Add note' }).click();
    // meanwhile an admin restricts the conversation to bob only (before bob's note reaches the relay)
    await world.restartRelay();
    await world.relay.services.engine.runAs({ userId: world.org.admin.id, role: 'admin' }, 'manageConversation', { conversationId: conv?.id ?? '', visibleTo: [world.org.bob.id], assignees: [world.org.bob.id], baseVisibilityVersion: conv?.visibilityVersion ?? 0 });
    await pw(bob.page.getByText(/Alice cannot see this conversation, so they cannot be mentioned/).first()).toBeVisible();
    expect(await world.relay.services.engine.store.rows.find('mentions', { userId: world.org.alice.id })).toEqual([]);
  });
});

describe('group chats, managed', () => {
  it('Discuss with… from a conversation; add, rename, remove (the removed member loses it), search finds chat messages, leave', async () => {
    await openConversation(alice, /Maya Lopez/);
    await alice.page.getByRole('button', { name: 'Discuss with…' }).click();
    const d = alice.page.getByRole('dialog', { name: /Discuss Maya Lopez with/ });
    await pw(d.getByRole('checkbox', { name: world.org.carol.name })).toHaveCount(0); // cannot see it
    await d.getByRole('checkbox', { name: world.org.bob.name }).check();
    await d.getByLabel('First message (optional)').fill('Maya wants her zephyrine order tracked — who takes it?');
    await d.getByRole('button', { name: 'Start chat' }).click();
    await pw(d).toBeHidden();
    const chatLog = (p: Page) => p.getByRole('log', { name: 'Chat messages' });
    await pw(chatLog(alice.page).getByText(/zephyrine order tracked/)).toBeVisible();
    await pw(alice.page.getByRole('note').filter({ hasText: 'About the conversation with Maya Lopez' })).toBeVisible();

    // members: rename, add the admin (who may see it); carol is not offered
    await alice.page.getByRole('button', { name: 'Members' }).click();
    const m = alice.page.getByRole('dialog', { name: 'Chat members' });
    await pw(m.getByRole('checkbox', { name: world.org.carol.name })).toHaveCount(0);
    await m.getByLabel('Chat name').fill('Maya order');
    await m.getByRole('button', { name: 'Rename' }).click();
    await m.getByRole('checkbox', { name: world.org.admin.name }).check();
    await m.getByRole('button', { name: 'Add 1 person' }).click();
    await pw(m.getByRole('list', { name: 'People in this chat' }).getByRole('listitem')).toHaveCount(3);
    await shoot(alice.page, 'chat-members-light');
    await m.getByRole('button', { name: 'Done' }).click();
    await pw(alice.page.getByRole('heading', { name: 'Maya order', level: 1 })).toBeVisible();

    // bob finds the chat message with search (Ctrl+K) and opens the chat from it
    await bob.page.keyboard.press('Control+k');
    await bob.page.getByRole('dialog').getByPlaceholder(/Search/).fill('zephyr');
    await bob.page.getByRole('dialog').getByRole('option', { name: /Maya order/ }).click();
    await pw(chatLog(bob.page).getByText(/zephyrine order tracked/)).toBeVisible();

    // the creator removes bob: the chat leaves bob's app and his replica (search finds nothing)
    await alice.page.getByRole('button', { name: 'Members' }).click();
    await m.getByRole('button', { name: `Remove ${world.org.bob.name}` }).click();
    await pw(m.getByRole('list', { name: 'People in this chat' }).getByRole('listitem')).toHaveCount(2);
    await m.getByRole('button', { name: 'Done' }).click();
    await pw(bob.page.getByText('This chat is no longer available.')).toBeVisible();
    await bob.page.keyboard.press('Control+k');
    await bob.page.getByRole('dialog').getByPlaceholder(/Search/).fill('zephyr');
    await pw(bob.page.getByRole('dialog').getByRole('option', { name: /Maya order/ })).toHaveCount(0);
    await bob.page.keyboard.press('Escape');

    // the admin leaves: alice is the last one in it
    await goTo(admin.page, /^Team chat/);
    await admin.page.getByRole('option', { name: /Maya order/ }).click();
    await admin.page.getByRole('button', { name: 'Members' }).click();
    await admin.page.getByRole('dialog', { name: 'Chat members' }).getByRole('button', { name: 'Leave chat' }).click();
    await admin.page.getByRole('dialog', { name: 'Leave this chat?' }).getByRole('button', { name: 'Leave chat' }).click();
    const chat = async () => (await world.relay.services.engine.store.rows.find('chats', {})).find((c) => c.title === 'Maya order');
    await eventually(async () => (await chat())?.members.includes(world.org.admin.id) === false, 'the admin left');
    expect((await chat())?.members).toEqual([world.org.alice.id]);
  });
});
