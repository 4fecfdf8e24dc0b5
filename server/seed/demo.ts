// The demo organisation "Parley Demo", written straight through the server Tx in one
// transaction. Every demo account's password is `parley-demo` (docs/PROTOCOL.md, CLI help).
import type { Channel, Conversation, Group, Message, User, WhatsAppTemplate } from '../../shared/schema';
import { mulberry32 } from '../../shared/random';
import type { BusinessHours } from '../../shared/domain/sla';
import { hashPasswordSync } from '../admin';
import type { Services } from '../services';
import type { ServerTx } from '../sync/serverTx';
import { contactNames, inboundLines, outboundLines, noteLines, chatLines } from './demoText';

export const DEMO_PASSWORD = 'parley-demo';
export const DEMO_ADMIN_EMAIL = 'admin@parley.test';
export const DEMO_ORG = 'Parley Demo';
const DAY = 24 * 3600 * 1000;

const templates = (team: string): WhatsAppTemplate[] => [
  { name: 'follow_up', language: 'en_GB', body: `Hi {{1}}, it's the ${team} team at Parley Demo. Are you still there? Reply to carry on.` },
  { name: 'order_update', language: 'en_GB', body: 'Hi {{1}}, there is an update on your order {{2}}. Reply for details.' },
];

export async function seedDemo(svc: Services): Promise<void> {
  const { engine } = svc;
  const now = Date.now();
  const hashes = new Map<string, string>();
  for (const who of ['admin', 'amira', 'ben', 'chloe']) hashes.set(who, hashPasswordSync(DEMO_PASSWORD));
  await engine.meta.set('orgName', DEMO_ORG);

  // one synchronous run (it may be repeated: ids come from tx.newId(), the generator restarts)
  await engine.write((tx) => {
    // the tables whose puts read the previous row, read whole at once (empty): on PostgreSQL each
    // of those reads would otherwise be a cache miss of its own (server/store/restartable.ts)
    for (const t of ['groups', 'users', 'memberships', 'conversations', 'chats'] as const) tx.find(t, {});
    const rand = mulberry32(42); // deterministic: every demo database looks the same
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const uuidv7 = () => tx.newId();
    // first-response targets, so the inbox's time left and the reports' SLA chart have something to show
    const weekdays = (open: string, close: string) => ({ mon: [open, close], tue: [open, close], wed: [open, close], thu: [open, close], fri: [open, close] }) as BusinessHours['days'];
    const group = (name: string, sms: string, wa: string, sla: Pick<Group, 'slaFirstResponseMinutes' | 'businessHours'>): Group => {
      const g: Group = { id: uuidv7(), name, smsNumber: sms, whatsappNumber: wa, templates: templates(name), createdAt: now - 60 * DAY,
        paymentInstructions: `Pay by bank transfer to Parley Demo Ltd, sort code 00-00-00, account 00000000, quoting the invoice number. (${name} demo team)`,
        // the demo organisation is simulated on purpose: the app shows it as such
        channelProviders: { sms: 'simulator', whatsapp: 'simulator' }, ...sla, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, version: 0 };
      tx.put('groups', g);
      return g;
    };
    const sales = group('Sales', '+447700900010', '+447700900011', { slaFirstResponseMinutes: 240, businessHours: null });
    const support = group('Support', '+447700900020', '+447700900021', { slaFirstResponseMinutes: 60, businessHours: { tz: 'Europe/London', days: weekdays('09:00', '17:30') } });
    const user = (key: string, name: string, role: 'admin' | 'agent', groups: Group[]): User => {
      const u: User = { id: uuidv7(), name, email: `${key}@parley.test`, role, active: true, createdAt: now - 60 * DAY, accepting: true, version: 0 };
      tx.put('users', u);
      for (const g of groups) tx.put('memberships', { id: `${g.id}:${u.id}`, groupId: g.id, userId: u.id, version: 0 });
      tx.exec('INSERT INTO credentials (user_id, hash) VALUES (?, ?)', [u.id, hashes.get(key)]);
      return u;
    };
    const admin = user('admin', 'Alex Admin', 'admin', [sales, support]);
    const amira = user('amira', 'Amira Khan', 'agent', [sales]);
    const ben = user('ben', 'Ben Taylor', 'agent', [sales, support]);
    const chloe = user('chloe', 'Chloe Evans', 'agent', [support]);
    const membersOf = (g: Group) => (g === sales ? [amira, ben] : [ben, chloe]);

    const contacts = contactNames.slice(0, 50).map((name, i) => {
      const c = {
        id: uuidv7(), name, phone: `+447700900${String(100 + i * 7).padStart(3, '0')}`,
        email: i % 3 === 0 ? `${name.split(' ')[0]?.toLowerCase() ?? 'contact'}@example.com` : null,
        tags: i % 4 === 0 ? ['vip'] : i % 5 === 0 ? ['wholesale'] : [], notes: '', optedOut: i % 17 === 16,
        defaultVisibleTo: null, defaultAssignees: [], createdAt: now - 50 * DAY, updatedAt: now - 50 * DAY, version: 0,
      };
      tx.put('contacts', c);
      return c;
    });

    let invoiceNo = 1;
    // 50 contacts × (Sales, Support) × (an archived older one, an open newer one) = 200 conversations
    contacts.forEach((contact, ci) => {
      for (const g of [sales, support]) {
        for (const open of [false, true]) {
          const start = now - (open ? 14 : 42) * DAY + Math.floor(rand() * 12 * DAY);
          const channel: Channel = contact.optedOut || rand() < 0.5 ? 'whatsapp' : 'sms';
          const members = membersOf(g);
          const assignee = rand() < 0.6 ? [pick(members).id] : [];
          const restricted = open && ci % 10 === 3 ? [...new Set([...assignee, members[0]?.id as string])] : null;
          const conv: Conversation = {
            id: uuidv7(), contactId: contact.id, groupId: g.id, channel, status: open ? 'open' : 'archived', visibleTo: restricted,
            assignees: restricted ? assignee.filter((a) => restricted.includes(a)) : assignee, createdAt: start, openedAt: start,
            archivedAt: open ? null : start + 3 * DAY, lastActivityAt: start, lastPreview: '', lastInboundAt: null, snoozedBy: null, snoozedUntil: null, wokenAt: null, labels: [], visibilityVersion: 0, visibilityChangedBy: null, autoAssignWaiting: false, autoAssignedTo: null, autoAssignedAt: null, metaOnly: null, version: 0,
          };
          addMessages(tx, conv, 3 + Math.floor(rand() * 6), members, rand, pick);
          if (rand() < 0.3) tx.put('notes', { id: uuidv7(), conversationId: conv.id, authorId: pick(members).id, body: pick(noteLines), createdAt: conv.lastActivityAt + 60_000, version: 0 });
          if (rand() < 0.25) invoiceNo = addInvoice(tx, svc, conv, invoiceNo, open && rand() < 0.5, pick(members).id);
          if (open && rand() < 0.15) addCheckout(tx, svc, conv, rand() < 0.5, pick(members).id);
          tx.put('conversations', conv);
        }
      }
    });

    // Labels on some open conversations; two snoozed (one until tomorrow morning, one until the contact replies).
    const labels = [
      { id: uuidv7(), name: 'VIP', color: 'purple' as const },
      { id: uuidv7(), name: 'Billing', color: 'blue' as const },
      { id: uuidv7(), name: 'Follow-up', color: 'orange' as const },
    ];
    for (const l of labels) tx.put('labels', { ...l, createdAt: now - 30 * DAY, version: 0 });
    const openConvs = tx.find('conversations', { status: 'open' }).sort((a, b) => b.lastActivityAt - a.lastActivityAt);
    openConvs.forEach((c, i) => {
      const on = labels.filter((_, li) => (i + li) % 5 === 0 || (li === 2 && i % 7 === 1));
      const tomorrow9 = new Date(now + DAY).setHours(9, 0, 0, 0);
      const snooze = i === 4 ? { snoozedBy: admin.id, snoozedUntil: tomorrow9 } : i === 9 ? { snoozedBy: admin.id, snoozedUntil: null } : {};
      if (on.length || i === 4 || i === 9) tx.put('conversations', { ...c, labels: on.map((l) => l.id), ...snooze });
    });

    // Everyone has read what is older than two days: a fresh demo shows a few unread, not all.
    const everyone = [admin, amira, ben, chloe];
    const markRead = (targetId: string, at: number) => {
      for (const u of everyone) tx.put('readStates', { id: `${u.id}:${targetId}`, userId: u.id, targetId, lastReadAt: at, version: 0 });
    };
    for (const c of tx.find('conversations', {})) if (c.lastActivityAt < now - 2 * DAY) markRead(c.id, c.lastActivityAt);

    const chat = (kind: 'self' | 'direct' | 'group', members: User[], title: string | null) => {
      const id = uuidv7();
      let at = now - 5 * DAY;
      let preview = '';
      // each line once per chat, in a shuffled order
      const lines = [...chatLines].sort(() => rand() - 0.5);
      for (let i = 0; i < Math.min(6, lines.length); i++) {
        at += Math.floor(rand() * 6 * 3600 * 1000);
        preview = lines[i] as string;
        tx.put('chatMessages', { id: uuidv7(), chatId: id, authorId: pick(members).id, body: preview, attachments: [], createdAt: at, version: 0 });
      }
      tx.put('chats', { id, kind, title, members: members.map((m) => m.id), createdBy: members[0]?.id as string, createdAt: now - 6 * DAY, lastActivityAt: at, lastPreview: preview.slice(0, 140), conversationId: null, metaOnly: null, version: 0 });
      if (kind !== 'direct') markRead(id, at);
    };
    chat('self', [admin], null);
    chat('direct', [admin, amira], null);
    chat('direct', [ben, chloe], null);
    chat('group', [admin, amira, ben, chloe], 'Everyone');

    // Canned responses: shared with each team, and one of the admin's own.
    const canned = (title: string, body: string, owner: User | null, g: Group | null) =>
      tx.put('cannedResponses', {
        id: uuidv7(), ownerId: owner?.id ?? null, groupId: owner ? null : (g?.id ?? null), title, body, attachments: [], createdBy: admin.id,
        createdAt: now - 30 * DAY, updatedAt: now - 30 * DAY, version: 0,
      });
    canned('Thanks', 'Thanks {{contact.first_name}}! Anything else I can help with?', null, sales);
    canned('Shipping times', 'Hi {{contact.first_name}}, orders placed before 2pm ship the same day and arrive in 1–2 working days.', null, sales);
    canned('Payment link', 'Hi {{contact.first_name}}, here is the link to pay invoice {{invoice.number}} ({{invoice.total}}): {{invoice.link}}', null, sales);
    canned('Opening hours', 'We are open Monday to Friday, 9am to 6pm. {{agent.first_name}}, {{group.name}} team', null, support);
    canned('Sign-off', 'Speak soon,\n{{agent.name}}', admin, null);

    // A few notes that @mention the admin (two unread), in Sales conversations everyone sees.
    const recent = tx.find('conversations', { groupId: sales.id, status: 'open' }).filter((c) => c.visibleTo === null).sort((x, y) => y.lastActivityAt - x.lastActivityAt).slice(0, 3);
    recent.forEach((c, i) => {
      const author = i % 2 === 0 ? amira : ben;
      const at = Math.min(now - 60_000, c.lastActivityAt + 5 * 60_000);
      const noteId = uuidv7();
      const body = [`@${admin.name} can you approve a refund for this one?`, `@${admin.name} they asked for a manager — could you call them back?`, `@${admin.name} FYI, second late delivery this month.`][i] as string;
      tx.put('notes', { id: noteId, conversationId: c.id, authorId: author.id, body, createdAt: at, version: 0 });
      tx.put('mentions', { id: `${noteId}:${admin.id}`, noteId, conversationId: c.id, userId: admin.id, authorId: author.id, createdAt: at, readAt: i === 2 ? at : null, version: 0 });
    });
  });
}

function addMessages(tx: ServerTx, conv: Conversation, n: number, members: User[], rand: () => number, pick: <T>(xs: readonly T[]) => T): void {
  const uuidv7 = () => tx.newId();
  let at = conv.createdAt;
  for (let i = 0; i < n; i++) {
    const inbound = i === 0 || rand() < 0.45;
    at += Math.floor((0.1 + rand()) * 5 * 3600 * 1000);
    const body = inbound ? pick(inboundLines) : pick(outboundLines);
    const m: Message = {
      id: uuidv7(), conversationId: conv.id, direction: inbound ? 'inbound' : 'outbound', channel: conv.channel, body,
      authorId: inbound ? null : pick(members).id, status: inbound ? 'delivered' : conv.channel === 'whatsapp' && rand() < 0.5 ? 'read' : 'delivered',
      failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null,
      createdAt: at, version: 0,
    };
    tx.put('messages', m);
    conv.lastActivityAt = at;
    conv.lastPreview = body.slice(0, 140);
    if (inbound) conv.lastInboundAt = at;
  }
}

function addInvoice(tx: ServerTx, svc: Services, conv: Conversation, no: number, unpaid: boolean, author: string): number {
  const uuidv7 = () => tx.newId();
  const id = uuidv7();
  const lineItems = [{ description: 'Consultation', quantity: 1, unitAmount: 4500 }, { description: 'Parts', quantity: 2, unitAmount: 1250 }];
  const number = `INV-${String(no).padStart(4, '0')}`;
  const url = `${svc.httpUrl()}/pay/invoice/${id}`;
  const at = conv.lastActivityAt + 120_000;
  tx.put('invoices', {
    id, conversationId: conv.id, number, currency: 'GBP', lineItems, total: 7000, dueDate: new Date(at + 14 * DAY).toISOString().slice(0, 10),
    status: unpaid ? 'sent' : 'paid', paymentUrl: url, providerRef: `manual_${id}`, createdBy: author, createdAt: at, paidAt: unpaid ? null : at + DAY, refundedAmount: 0, linkExpired: false, version: 0,
  });
  const body = `Invoice ${number} for GBP 70.00: ${url}`;
  tx.put('messages', {
    id: uuidv7(), conversationId: conv.id, direction: 'outbound', channel: conv.channel, body, authorId: author, status: 'delivered', failureReason: null,
    segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: `invoice:${id}`, scheduledAt: null, createdAt: at, version: 0,
  });
  conv.lastActivityAt = at;
  conv.lastPreview = body.slice(0, 140);
  return no + 1;
}

function addCheckout(tx: ServerTx, svc: Services, conv: Conversation, paid: boolean, author: string): void {
  const uuidv7 = () => tx.newId();
  const id = uuidv7();
  const at = conv.lastActivityAt + 60_000;
  const url = `${svc.httpUrl()}/pay/checkout/${id}`;
  tx.put('checkouts', {
    id, conversationId: conv.id, description: 'Deposit', amount: 2500, currency: 'GBP', status: paid ? 'paid' : 'open', paymentUrl: url,
    providerRef: `manual_${id}`, createdBy: author, createdAt: at, paidAt: paid ? at + 3600_000 : null, version: 0,
  });
  const body = `Pay your GBP 25.00 deposit here: ${url}`;
  tx.put('messages', {
    id: uuidv7(), conversationId: conv.id, direction: 'outbound', channel: conv.channel, body, authorId: author, status: 'delivered', failureReason: null,
    segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: `checkout:${id}`, scheduledAt: null, createdAt: at, version: 0,
  });
  conv.lastActivityAt = at;
  conv.lastPreview = body.slice(0, 140);
}
