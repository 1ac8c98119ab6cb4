/**
 * The options of the commands that operate an installed sync, as zod schemas (the CLI shell parses flags
 * with them: src/cli/flags/operate.ts, lifecycle.ts). init's options belong to the wizard
 * (src/wizard/init-options.ts).
 */
import { positiveInteger, type Zod } from '../runtime/option-parsers.js';

export const statusSchema = (z: Zod) => z.object({ sync: z.string().min(1).optional(), runs: positiveInteger(z).default(10), cost: z.boolean().optional() });
export type StatusOptions = ReturnType<ReturnType<typeof statusSchema>['parse']>;

/** --limit and --ids stay text here: src/commands/first-send.ts checks them with messages that say the fix. */
export const runSchema = (z: Zod) =>
  z.object({
    sync: z.string().min(1).optional(),
    wait: z.boolean().default(true),
    timeout: positiveInteger(z).default(900),
    resync: z.boolean().default(false),
    limit: z.string().optional(),
    ids: z.string().optional(),
    restApiKeyStdin: z.boolean().default(false),
  });
export type RunOptions = ReturnType<ReturnType<typeof runSchema>['parse']>;

export const syncSchema = (z: Zod) => z.object({ sync: z.string().min(1).optional(), dryRun: z.boolean().default(false), restApiKeyStdin: z.boolean().default(false) });
export type SyncOptions = ReturnType<ReturnType<typeof syncSchema>['parse']>;

export const logsSchema = (z: Zod) => z.object({ sync: z.string().min(1).optional(), run: z.string().min(1).optional(), lines: positiveInteger(z).default(200) });
export const verifySchema = (z: Zod) => z.object({ sync: z.string().min(1).optional(), sample: z.string().default('10'), restApiKeyStdin: z.boolean().default(false), timeout: positiveInteger(z).default(600) });
export type VerifyOptions = ReturnType<ReturnType<typeof verifySchema>['parse']>;

export type LogsOptions = ReturnType<ReturnType<typeof logsSchema>['parse']>;

export const pauseSchema = (z: Zod) => z.object({ sync: z.string().min(1).optional(), dryRun: z.boolean().default(false) });
export type PauseOptions = ReturnType<ReturnType<typeof pauseSchema>['parse']>;

export const resumeSchema = (z: Zod) => z.object({ sync: z.string().min(1).optional(), dryRun: z.boolean().default(false) });
export type ResumeOptions = ReturnType<ReturnType<typeof resumeSchema>['parse']>;

export const uninstallSchema = (z: Zod) => z.object({ dryRun: z.boolean().default(false), force: z.boolean().default(false), disableChangeTracking: z.boolean().default(false), removeLocalImages: z.boolean().optional(), sync: z.string().min(1).optional(), removeSync: z.boolean().optional() });
export type UninstallOptions = ReturnType<ReturnType<typeof uninstallSchema>['parse']>;

/** A docker tag (the same grammar init accepts for --image-tag). */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export const imageBuildSchema = (z: Zod) =>
  z
    .object({
      tag: z.string().regex(IMAGE_TAG, 'a docker tag ([A-Za-z0-9_.-], at most 128)').optional(),
      baseImage: z.string().min(1).optional(),
      push: z.boolean().default(false),
      contextDir: z.string().min(1).optional(),
    })
    .superRefine((options, ctx) => {
      if (options.push && options.contextDir) ctx.addIssue({ code: 'custom', path: ['contextDir'], message: 'stages the context only; push from there with the printed commands (not with --push)' });
    });
export type ImageBuildOptions = ReturnType<ReturnType<typeof imageBuildSchema>['parse']>;
