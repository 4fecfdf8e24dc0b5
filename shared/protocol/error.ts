import { z } from 'zod';

export const protocolErrorCodes = [
  'bad_json',
  'bad_frame',
  'unknown_frame',
  'protocol_version',
  'unauthorized',
  'token_expired',
  'not_hello',
  'frame_too_large',
  'mutation_order',
  'unknown_mutation',
  'deactivated',
  'internal',
] as const;
export type ProtocolErrorCode = (typeof protocolErrorCodes)[number];

export const errorFrame = z.object({ type: z.literal('error'), code: z.enum(protocolErrorCodes), message: z.string() });
export type ErrorFrame = z.infer<typeof errorFrame>;
