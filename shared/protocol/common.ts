import { z } from 'zod';
import { tableNames, type TableName } from '../schema';

export { PROTOCOL_VERSION, MIN_PROTOCOL_VERSION } from './version';
/** Frames larger than this are refused by both ends. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Mutations in one push. */
export const MAX_PUSH_MUTATIONS = 100;

export const tableNameSchema = z.enum(tableNames as [TableName, ...TableName[]]);
export const idSchema = z.string().min(1).max(128);
