/** Zod building blocks for command options (the schemas live with their handlers' layers). */
import type { z } from 'zod';

export type Zod = typeof z;

/** "a, b,c" → ['a', 'b', 'c'] (the worker's format for --date-columns/--url-columns). */
export const commaList = (z: Zod) =>
  z.string().transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0));

export const positiveInteger = (z: Zod) => z.coerce.number().int().positive();
