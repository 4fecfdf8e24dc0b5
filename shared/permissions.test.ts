import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, type Harness } from './test/harness';
import { canArchive, canChangeVisibility, canDeleteChat, canEditContact, canManage, canSeeConversation, viewerFromTx, type Actor } from './permissions';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
});
afterEach(() => h.close());

const viewer = (id: string) => viewerFromTx(h.tx, id) as Actor;
const conv = { groupId: 'sales', visibleTo: ['alice'] as string[] | null, assignees: ['alice'] };

describe('permissions', () => {
  it('builds viewers from the database', () => {
    expect(viewer('admin')).toMatchObject({ role: 'admin', active: true, groupIds: new Set(['sales', 'support']) });
    expect(viewer('dave').active).toBe(false);
    expect(viewerFromTx(h.tx, 'ghost')).toBeUndefined();
  });
  it('applies visibility and roles', () => {
    expect(canSeeConversation(viewer('alice'), conv)).toBe(true);
    expect(canSeeConversation(viewer('bob'), conv)).toBe(false);
    expect(canSeeConversation(viewer('bob'), { ...conv, visibleTo: null })).toBe(true);
    expect(canSeeConversation(viewer('carol'), { ...conv, visibleTo: null })).toBe(false);
    expect(canSeeConversation(viewer('admin'), conv)).toBe(true);
    expect(canManage(viewer('bob'), { ...conv, visibleTo: null })).toBe(true);
    expect(canChangeVisibility(viewer('bob'), { ...conv, visibleTo: null })).toBe(false);
    expect(canArchive(viewer('alice'), conv)).toBe(true);
    expect(canDeleteChat(viewer('alice'))).toBe(false);
    expect(canDeleteChat(viewer('admin'))).toBe(true);
  });
  it('refuses everything to a deactivated user', () => {
    const dave = viewer('dave');
    expect(canSeeConversation(dave, { ...conv, visibleTo: null })).toBe(false);
    expect(canEditContact(dave)).toBe(false);
    const inactiveAdmin: Actor = { ...viewer('admin'), active: false };
    expect(canDeleteChat(inactiveAdmin)).toBe(false);
  });
});
