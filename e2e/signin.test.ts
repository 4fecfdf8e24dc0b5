// Journey 11: sign-in refusals are explained; signing out deletes the local replica.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, replicaFiles, startWorld, type World } from './harness';

let world: World;

function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => readFileSync(f).includes(text));
}

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900909', body: 'Anyone there?', contactName: 'Otto Lane' });
});
afterAll(async () => world?.close());

describe('Sign-in and sign-out', () => {
  it('11. wrong password and deactivated account are refused with a reason; sign-out wipes the replica', async () => {
    const { org } = world;
    const u = await world.open(org.dave.email, { signIn: false });
    const { page } = u;
    await page.getByLabel('Relay address').fill(org.relay.httpUrl);
    await page.getByLabel('Email').fill(org.alice.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await pw(page.getByRole('alert')).toContainText(/password|credentials/i);

    await page.getByLabel('Email').fill(org.dave.email);
    await page.getByLabel('Password').fill(org.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await pw(page.getByRole('alert')).toContainText(/deactivated|disabled/i);

    await page.getByLabel('Email').fill(org.alice.email);
    await page.getByLabel('Password').fill(org.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await goTo(page, /^Team inbox/);
    await pw(page.getByRole('option', { name: /Otto Lane/ })).toBeVisible();
    expect(replicaFiles(u.dataDir).length).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await pw(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await eventually(() => replicaFiles(u.dataDir).length === 0, 'the replica deleted at sign-out');
    // nothing of the conversation is left anywhere in the profile (WAL, shm, secrets)
    expect(filesContaining(u.dataDir, 'Anyone there?')).toEqual([]);
  });
});
