// Journey 10: inside the WhatsApp 24-hour window an agent attaches a PDF and sends it;
// the other agent sees it in the timeline and can download the same bytes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let alice: AppUser;
let bob: AppUser;
const NINA = '+447700900808';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: NINA, body: 'Can you send the brochure?', channel: 'whatsapp', contactName: 'Nina Ross' });
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email);
});
afterAll(async () => world?.close());

describe('Attachments', () => {
  it('10. a PDF sent on WhatsApp reaches the contact and the colleague, bytes intact', async () => {
    const { page } = alice;
    await goTo(page, /^Team inbox/);
    await page.getByRole('option', { name: /Nina Ross/ }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles({ name: 'brochure.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('textbox', { name: 'Message' }).fill('Here is our brochure');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await eventually(() => world.relay.simulator.sent().some((s) => s.to === NINA && s.channel === 'whatsapp'), 'the WhatsApp message at the contact');

    await goTo(bob.page, /^Team inbox/);
    await bob.page.getByRole('option', { name: /Nina Ross/ }).click();
    await pw(timeline(bob.page).getByText('Here is our brochure')).toBeVisible();
    const download = bob.page.waitForEvent('download');
    await timeline(bob.page).getByRole('button', { name: 'Download brochure.pdf' }).click();
    const file = await (await download).path();
    expect(readFileSync(file).equals(PDF)).toBe(true);
  });
});
