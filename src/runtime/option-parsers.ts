/** Zod building blocks for command options (the schemas live with their handlers' layers). */
import type { z } from 'zod';

export type Zod = typeof z;

/** "a, b,c" → ['a', 'b', 'c'] (the worker's format for --date-columns/--url-columns). */
export const commaList = (z: Zod) =>
  z.string().transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0));

/** A count or a number of seconds: "abc", "-1" or "1.5" get one plain sentence, not the schema library's wording. */
export const wholeNumber = (z: Zod, min: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number of at least ${min} (got ${JSON.stringify(String(value))})` });
      return z.NEVER;
    }
    return n;
  });

export const positiveInteger = (z: Zod) => wholeNumber(z, 1);
