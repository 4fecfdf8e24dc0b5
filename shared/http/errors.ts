// Every refusal of the relay's HTTP API has this body (server/http/router.ts sendError).
import { z } from 'zod';

export const httpErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type HttpErrorBody = z.infer<typeof httpErrorBody>;
