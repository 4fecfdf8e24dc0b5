// The relay's HTTP API as one contract: each route's method, path, request and response
// schema. The relay parses requests with these schemas and answers with these shapes; the
// core calls the routes through `httpApi` and parses the answers with the same schemas; the
// renderer sees the shapes through the Bridge. A route changed here changes everywhere.
// (Sync itself is the WebSocket protocol of shared/protocol/; webhooks and /pay pages are
// the providers' formats, not ours.)
import { z } from 'zod';
import { attachmentRefSchema } from '../mutators/args';
import { fetchedTemplates, saveTemplateRequest, templateList } from './templates';
import { addMemberRequest, adminUserList, adminUserView, createGroupRequest, createUserRequest, groupCreated, simulatePaymentRequest, simulatorInboundRequest } from './admin';
import { authSessionResponse, loginRequest, refreshRequest } from './auth';
import { providerAccountInput, providerAccountList, providerAccountView } from './providers';
import { auditExport, auditFilters, auditPage, auditRetention, auditRetentionSet, auditSearchRequest, exportRecord } from './audit';

export * from './admin';
export * from './templates';
export * from './auth';
export * from './errors';
export * from './providers';
export * from './audit';

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `:name` marks a path parameter */
  path: string;
  /** JSON body schema; null for no body (or a raw upload, see the route) */
  request: z.ZodType | null;
  /** JSON answer schema; null for 204 No Content (or raw bytes, see the route) */
  response: z.ZodType | null;
}

/** POST /attachments answers with the content-addressed reference of the stored file. */
export const attachmentUploaded = attachmentRefSchema;
export type AttachmentUploaded = z.infer<typeof attachmentUploaded>;

export const httpApi = {
  login: { method: 'POST', path: '/auth/login', request: loginRequest, response: authSessionResponse },
  refresh: { method: 'POST', path: '/auth/refresh', request: refreshRequest, response: authSessionResponse },
  logout: { method: 'POST', path: '/auth/logout', request: refreshRequest, response: null },
  /** raw bytes; headers content-type and x-filename (URL-encoded) */
  uploadAttachment: { method: 'POST', path: '/attachments', request: null, response: attachmentUploaded },
  /** answers the bytes with their content-type */
  downloadAttachment: { method: 'GET', path: '/attachments/:id', request: null, response: null },
  createUser: { method: 'POST', path: '/admin/users', request: createUserRequest, response: adminUserView },
  listUsers: { method: 'GET', path: '/admin/users', request: null, response: adminUserList },
  deactivateUser: { method: 'POST', path: '/admin/users/:id/deactivate', request: null, response: null },
  createGroup: { method: 'POST', path: '/admin/groups', request: createGroupRequest, response: groupCreated },
  addMember: { method: 'POST', path: '/admin/members', request: addMemberRequest, response: null },
  providerAccounts: { method: 'GET', path: '/admin/providers', request: null, response: providerAccountList },
  saveProviderAccount: { method: 'PUT', path: '/admin/providers', request: providerAccountInput, response: providerAccountView },
  removeProviderAccount: { method: 'DELETE', path: '/admin/providers/:id', request: null, response: null },
  simulatorInbound: { method: 'POST', path: '/simulator/inbound', request: simulatorInboundRequest, response: z.object({ ok: z.literal(true) }) },
  groupTemplates: { method: 'GET', path: '/admin/groups/:id/templates', request: null, response: templateList },
  saveGroupTemplate: { method: 'PUT', path: '/admin/groups/:id/templates', request: saveTemplateRequest, response: templateList },
  /** the template of that name; refused (400) when the name is approved in several languages */
  removeGroupTemplate: { method: 'DELETE', path: '/admin/groups/:id/templates/:name', request: null, response: templateList },
  /** the template of that name in that language */
  removeGroupTemplateLanguage: { method: 'DELETE', path: '/admin/groups/:id/templates/:name/:language', request: null, response: templateList },
  /** asks the group's WhatsApp provider (Meta Graph message_templates, Twilio Content API) for its approved templates */
  fetchGroupTemplates: { method: 'POST', path: '/admin/groups/:id/templates/fetch', request: null, response: fetchedTemplates },
  simulatePayment: { method: 'POST', path: '/simulator/payment', request: simulatePaymentRequest, response: z.object({ ok: z.literal(true), simulated: z.literal(true) }) },
  /** the organisation's audit log, newest first, filtered (admins) */
  auditLog: { method: 'POST', path: '/admin/audit-log/search', request: auditSearchRequest, response: auditPage },
  /** the filtered audit log as CSV; the export is recorded in the log */
  exportAuditLog: { method: 'POST', path: '/admin/audit-log/export', request: auditFilters, response: auditExport },
  auditRetention: { method: 'GET', path: '/admin/audit-log/retention', request: null, response: auditRetention },
  /** days to keep entries; older ones are pruned at once (the only deletion); the change is recorded */
  setAuditRetention: { method: 'PUT', path: '/admin/audit-log/retention', request: auditRetention, response: auditRetentionSet },
  /** any signed-in user: an export made from the replica (contacts CSV), for the audit log */
  recordExport: { method: 'POST', path: '/audit/exports', request: exportRecord, response: null },
  health: { method: 'GET', path: '/health', request: null, response: z.object({ ok: z.literal(true), version: z.number() }) },
} as const satisfies Record<string, HttpRoute>;
export type HttpRouteName = keyof typeof httpApi;

/** The path of a route with its parameters filled in (URL-encoded). */
export function httpPath(route: HttpRoute, params: Record<string, string> = {}): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} of ${route.path}`);
    return encodeURIComponent(v);
  });
}
