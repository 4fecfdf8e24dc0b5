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
  'client_too_old',
] as const;
export type ProtocolErrorCode = (typeof protocolErrorCodes)[number];

export const errorFrame = z.object({
  type: z.literal('error'),
  code: z.enum(protocolErrorCodes),
  message: z.string(),
  /** client_too_old: the oldest protocol version this relay serves */
  minVersion: z.number().int().optional(),
  /** protocol_version (client newer than the relay): the newest version this relay serves */
  maxVersion: z.number().int().optional(),
});
export type ErrorFrame = z.infer<typeof errorFrame>;
