// Administration: groups, memberships, user status and role. Admins only.
import { ensure, ensureNew, mustGet, requireAdmin } from '../domain/actor';
import { recordActivity } from '../domain/activity';
import { hasAdminRole } from '../permissions';
import { NO_CHANNEL_PROVIDERS } from '../schema';
import type { z } from 'zod';
import { sameTemplate, templatePlaceholders } from '../domain/templates';
import { businessHoursProblem, sameSla, slaHistoryAfterChange, slaTargetProblem, WEEKDAYS, type BusinessHours } from '../domain/sla';
import type { Group, WhatsAppTemplate } from '../schema';
import type { AuditDetails } from '../tx';
import { args, type templateSchema } from './args';
import { defineMutator } from './define';

const CHANNEL = { sms: 'SMS', whatsapp: 'WhatsApp' } as const;
const PROVIDER = { simulator: 'the simulator', twilio: 'Twilio', 'whatsapp-cloud': 'the WhatsApp Cloud API' } as const;

type TemplateInput = z.infer<typeof templateSchema>;

/** A template as stored: blanks numbered {{1}}…{{n}} without gaps; a payment template has exactly {{1}} and {{2}}. */
function checkedTemplate(t: TemplateInput): WhatsAppTemplate {
  const blanks = templatePlaceholders(t.body);
  ensure(blanks.every((n, i) => n === i + 1), 'invalid', `The blanks of "${t.name}" must be numbered {{1}}, {{2}}, … without gaps.`);
  if (t.forPayments) ensure(blanks.length === 2, 'invalid', `A template for payment links needs exactly two blanks: {{1}} for what is due and {{2}} for the link.`);
  return { name: t.name, language: t.language, body: t.body, ...(t.providerId ? { providerId: t.providerId } : {}), ...(t.forPayments ? { forPayments: true } : {}) };
}

/** Only one template carries payment links: choosing one clears the others. */
const withPaymentChoice = (templates: WhatsAppTemplate[], chosen: WhatsAppTemplate): WhatsAppTemplate[] =>
  chosen.forPayments ? templates.map((t) => (sameTemplate(t, chosen) || !t.forPayments ? t : { name: t.name, language: t.language, body: t.body, ...(t.providerId ? { providerId: t.providerId } : {}) })) : templates;

/**
 * Where the template `name` (in `language`, which may be left out when the name has only one)
 * is in the group's list; refused when it is gone or when the name needs its language.
 */
function templateAt(g: Group, name: string, language: string | undefined): number {
  const found = g.templates.flatMap((t, i) => (t.name === name && (language === undefined || t.language === language) ? [i] : []));
  ensure(found.length > 0, 'not_found', `The template "${name}"${language ? ` in ${language}` : ''} no longer exists.`);
  ensure(found.length === 1, 'invalid', `${g.name} has "${name}" in several languages (${found.map((i) => g.templates[i]?.language).join(', ')}): say which one.`);
  return found[0] as number;
}

const blankToNull = (s: string | null | undefined) => (s === undefined ? undefined : s === null || !s.trim() ? null : s.trim());

export const adminMutators = {
  createGroup: defineMutator({
    args: args.createGroup,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'create groups');
      ensureNew(tx, 'groups', a.id, 'group');
      tx.put('groups', {
        id: a.id, name: a.name, smsNumber: blankToNull(a.smsNumber) ?? null, whatsappNumber: blankToNull(a.whatsappNumber) ?? null,
        templates: [], createdAt: ctx.now, paymentInstructions: a.paymentInstructions?.trim() ?? '', channelProviders: NO_CHANNEL_PROVIDERS,
        slaFirstResponseMinutes: null, businessHours: null, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, version: 0,
      });
    },
  }),
  updateGroup: defineMutator({
    args: args.updateGroup,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'edit groups');
      const g = mustGet(tx, 'groups', a.id, 'group');
      const sms = blankToNull(a.smsNumber);
      const wa = blankToNull(a.whatsappNumber);
      tx.put('groups', {
        ...g,
        name: a.name ?? g.name,
        smsNumber: sms === undefined ? g.smsNumber : sms,
        whatsappNumber: wa === undefined ? g.whatsappNumber : wa,
        paymentInstructions: a.paymentInstructions === undefined ? g.paymentInstructions : a.paymentInstructions.trim(),
      });
    },
  }),
  setGroupSla: defineMutator({
    args: args.setGroupSla,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'set response targets');
      const g = mustGet(tx, 'groups', a.groupId, 'group');
      if (a.minutes !== null) {
        const p = slaTargetProblem(a.minutes);
        ensure(p === null, 'invalid', p ?? '');
      }
      let hours: BusinessHours | null = null;
      if (a.businessHours) {
        hours = { tz: a.businessHours.tz, days: {} };
        for (const d of WEEKDAYS) {
          const span = a.businessHours.days[d];
          if (span) hours.days[d] = [span[0], span[1]];
        }
        const p = businessHoursProblem(hours);
        ensure(p === null, 'invalid', p ?? '');
      }
      const next = { slaFirstResponseMinutes: a.minutes, businessHours: hours };
      // reports judge each conversation by the setting in force when it arrived: keep the one replaced
      const slaHistory = sameSla(g, next) ? g.slaHistory : slaHistoryAfterChange(g.slaHistory, g, ctx.now);
      tx.put('groups', { ...g, ...next, slaHistory });
    },
  }),
  addMember: defineMutator({
    args: args.addMember,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'change group members');
      mustGet(tx, 'groups', a.groupId, 'group');
      mustGet(tx, 'users', a.userId, 'user');
      const id = `${a.groupId}:${a.userId}`;
      if (tx.get('memberships', id)) return;
      tx.put('memberships', { id, groupId: a.groupId, userId: a.userId, version: 0 });
      ctx.audit?.('memberAdded', a.userId, { targetName: mustGet(tx, 'users', a.userId, 'user').name, details: { groupId: a.groupId, group: mustGet(tx, 'groups', a.groupId, 'group').name } });
    },
  }),
  removeMember: defineMutator({
    args: args.removeMember,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'change group members');
      const memberships = tx.find('memberships', { groupId: a.groupId, userId: a.userId });
      for (const m of memberships) tx.del('memberships', m.id);
      const user = tx.get('users', a.userId);
      if (memberships.length) ctx.audit?.('memberRemoved', a.userId, { targetName: user?.name ?? a.userId, details: { groupId: a.groupId, group: tx.get('groups', a.groupId)?.name ?? '' } });
      // A former member cannot stay an assignee of the group's conversations.
      if (user && hasAdminRole(user)) return;
      for (const c of tx.find('conversations', { groupId: a.groupId })) {
        if (!c.assignees.includes(a.userId)) continue;
        tx.put('conversations', { ...c, assignees: c.assignees.filter((u) => u !== a.userId) });
        recordActivity(tx, ctx, c.id, 'unassigned', { userIds: [a.userId] });
      }
    },
  }),
  setChannelSimulated: defineMutator({
    args: args.setChannelSimulated,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'choose the simulator');
      const g = mustGet(tx, 'groups', a.groupId, 'group');
      const current = g.channelProviders[a.channel];
      ensure(
        current === null || current === 'simulator',
        'invalid',
        `${g.name}'s ${CHANNEL[a.channel]} goes through ${PROVIDER[current ?? 'simulator']}. Remove that provider account before choosing the simulator.`,
      );
      tx.put('groups', { ...g, channelProviders: { ...g.channelProviders, [a.channel]: a.simulated ? 'simulator' : null } });
    },
  }),
  saveTemplate: defineMutator({
    args: args.saveTemplate,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'manage WhatsApp templates');
      const g = mustGet(tx, 'groups', a.groupId, 'group');
      const t = checkedTemplate(a.template);
      const at = a.previousName === undefined ? -1 : templateAt(g, a.previousName, a.previousLanguage);
      const clash = g.templates.findIndex((x, i) => i !== at && sameTemplate(x, t));
      ensure(clash < 0, 'conflict', `${g.name} already has a template named "${t.name}" in ${t.language}.`);
      const previous = g.templates[at];
      const templates = at < 0 ? [...g.templates, t] : g.templates.map((x, i) => (i === at ? t : x));
      tx.put('groups', { ...g, templates: withPaymentChoice(templates, t) });
      const details: AuditDetails = { template: t.name, language: t.language };
      if (previous && !sameTemplate(previous, t)) Object.assign(details, { previousName: previous.name, previousLanguage: previous.language });
      ctx.audit?.('templateSaved', g.id, { targetName: `${g.name}: ${t.name} (${t.language})`, details });
    },
  }),
  removeTemplate: defineMutator({
    args: args.removeTemplate,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'manage WhatsApp templates');
      const g = mustGet(tx, 'groups', a.groupId, 'group');
      const at = templateAt(g, a.name, a.language);
      const gone = g.templates[at] as WhatsAppTemplate;
      tx.put('groups', { ...g, templates: g.templates.filter((_t, i) => i !== at) });
      ctx.audit?.('templateRemoved', g.id, { targetName: `${g.name}: ${gone.name} (${gone.language})`, details: { template: gone.name, language: gone.language } });
    },
  }),
  setUserActive: defineMutator({
    args: args.setUserActive,
    run(tx, ctx, a) {
      const actor = requireAdmin(tx, ctx, 'activate or deactivate people');
      ensure(a.userId !== actor.id, 'invalid', 'You cannot deactivate or reactivate yourself.');
      const u = mustGet(tx, 'users', a.userId, 'user');
      tx.put('users', { ...u, active: a.active });
      if (u.active !== a.active) ctx.audit?.(a.active ? 'userReactivated' : 'userDeactivated', u.id, { targetName: u.name });
      if (!a.active) ctx.effect({ kind: 'userDeactivated', userId: u.id });
    },
  }),
  setUserRole: defineMutator({
    args: args.setUserRole,
    run(tx, ctx, a) {
      const actor = requireAdmin(tx, ctx, 'change roles');
      ensure(a.userId !== actor.id, 'invalid', 'You cannot change your own role.');
      const u = mustGet(tx, 'users', a.userId, 'user');
      tx.put('users', { ...u, role: a.role });
      if (u.role !== a.role) ctx.audit?.('roleChanged', u.id, { targetName: u.name, details: { from: u.role, to: a.role } });
    },
  }),
};

/** Run by the relay only (provider accounts, fetched templates). */
export const adminSystemMutators = {
  setChannelProvider: defineMutator({
    args: args.setChannelProvider,
    system: true,
    run(tx, _ctx, a) {
      const g = tx.get('groups', a.groupId);
      if (!g || g.channelProviders[a.channel] === a.provider) return;
      tx.put('groups', { ...g, channelProviders: { ...g.channelProviders, [a.channel]: a.provider } });
    },
  }),
  importTemplates: defineMutator({
    args: args.importTemplates,
    system: true,
    run(tx, _ctx, a) {
      const g = mustGet(tx, 'groups', a.groupId, 'group');
      let templates = [...g.templates];
      for (const raw of a.templates) {
        // a fetched template with gaps in its blanks cannot be filled in here: skipped
        let t: WhatsAppTemplate;
        try {
          t = checkedTemplate({ ...raw, forPayments: false });
        } catch {
          continue;
        }
        // one per name and language (Meta approves each language of a name as its own text)
        const same = templates.findIndex((x) => sameTemplate(x, t));
        if (same < 0) templates.push(t);
        else {
          const old = templates[same] as WhatsAppTemplate;
          const keepPayments = old.forPayments && templatePlaceholders(t.body).length === 2;
          templates = templates.map((x, i) => (i === same ? { ...t, ...(keepPayments ? { forPayments: true } : {}) } : x));
        }
      }
      tx.put('groups', { ...g, templates });
    },
  }),
};
