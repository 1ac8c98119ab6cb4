/**
 * The options of the commands that operate an installed sync, as zod schemas (the CLI shell parses flags
 * with them: src/cli/flags/operate.ts, lifecycle.ts). init's options belong to the wizard
 * (src/wizard/init-options.ts).
 */
import { positiveInteger, type Zod } from '../runtime/option-parsers.js';

export const statusSchema = (z: Zod) => z.object({ runs: positiveInteger(z).default(10) });
export type StatusOptions = ReturnType<ReturnType<typeof statusSchema>['parse']>;

export const runSchema = (z: Zod) => z.object({ wait: z.boolean().default(true), timeout: positiveInteger(z).default(900) });
export type RunOptions = ReturnType<ReturnType<typeof runSchema>['parse']>;

export const logsSchema = (z: Zod) => z.object({ run: z.string().min(1).optional(), lines: positiveInteger(z).default(200) });
export type LogsOptions = ReturnType<ReturnType<typeof logsSchema>['parse']>;

export const pauseSchema = (z: Zod) => z.object({ dryRun: z.boolean().default(false) });
export type PauseOptions = ReturnType<ReturnType<typeof pauseSchema>['parse']>;

export const resumeSchema = (z: Zod) => z.object({ dryRun: z.boolean().default(false) });
export type ResumeOptions = ReturnType<ReturnType<typeof resumeSchema>['parse']>;

export const uninstallSchema = (z: Zod) => z.object({ dryRun: z.boolean().default(false) });
export type UninstallOptions = ReturnType<ReturnType<typeof uninstallSchema>['parse']>;
