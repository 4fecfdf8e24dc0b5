// /admin/groups/:id/templates: a group's approved WhatsApp templates (admin Bearer token).
import { z } from 'zod';
import { templateSchema } from '../mutators/args';

export const templateView = z.object({
  name: z.string(),
  language: z.string(),
  body: z.string(),
  providerId: z.string().optional(),
  forPayments: z.boolean().optional(),
});
export const templateList = z.object({ templates: z.array(templateView) });
export type TemplateList = z.infer<typeof templateList>;
export const saveTemplateRequest = z.object({ previousName: z.string().max(120).optional(), previousLanguage: z.string().max(40).optional(), template: templateSchema });
export const fetchedTemplates = z.object({ fetched: z.array(z.string()), templates: z.array(templateView) });
export type FetchedTemplates = z.infer<typeof fetchedTemplates>;
