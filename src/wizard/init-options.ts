/**
 * init's options as a zod schema: the wizard's input besides the prompts (src/wizard/given.ts turns them
 * into answers). The CLI shell declares the matching flags (src/cli/flags/init.ts).
 */
import { commaList, positiveInteger, wholeNumber, type Zod } from '../runtime/option-parsers.js';
import { batchHostFromUrl } from '../config/batch-api-host.js';

export function initSchema(z: Zod) {
  return z
    .object({
      dryRun: z.boolean().default(false),
      /** Several syncs per project: the sync to set up (added when new), or to remove. */
      sync: z.string().min(1).optional(),
      removeSync: z.string().min(1).optional(),
      offline: z.boolean().default(false),
      view: z.string().min(1).optional(),
      viewSql: z.string().min(1).optional(),
      viewName: z.string().min(1).optional(),
      idColumn: z.string().min(1).optional(),
      allowDuplicateIds: z.boolean().default(false),
      allowNullIds: z.boolean().default(false),
      kind: z.enum(['profile', 'event']).optional(),
      eventNameColumn: z.string().min(1).optional(),
      eventName: z.string().min(1).optional(),
      eventTimeColumn: z.string().min(1).optional(),
      eventAttributeColumns: commaList(z).optional(),
      labelColumn: z.string().min(1).optional(),
      tagsColumn: z.string().min(1).optional(),
      dateColumns: commaList(z).optional(),
      urlColumns: commaList(z).optional(),
      projectKey: z.string().min(1).optional(),
      target: z.string().min(1).optional(),
      computePool: z.string().min(1).optional(),
      imageRepository: z.string().min(1).optional(),
      schedule: z.string().min(1).optional(),
      runner: z.enum(['spcs', 'external']).optional(),
      credentials: z.enum(['secret', 'table', 'none']).optional(),
      initialSync: z.boolean().optional(),
      skipImage: z.boolean().default(false),
      imageTag: z.string().min(1).optional(),
      baseImage: z.string().min(1).optional(),
      restApiKeyStdin: z.boolean().default(false),
      runNow: z.boolean().default(false),
      /** A mapping change re-sends every row (default); --no-resync skips it with a warning. */
      resync: z.boolean().default(true),
      /** Columns removed from the mapping: unset them in Batch, or keep them (no flag: asked, or kept with a warning). */
      unsetRemoved: z.boolean().default(false),
      keepRemoved: z.boolean().default(false),
      /** Send N profiles now, before the task is resumed (src/commands/first-send.ts checks the number). */
      firstSend: z.string().optional(),
      /** Alerts (issue 17 §2): destinations (the webhook URL itself comes from env/prompt, never argv) and thresholds. */
      alertEmail: z.string().min(1).optional(),
      alertWebhook: z.boolean().default(false),
      alertRejectPercent: wholeNumber(z, 0).refine((n) => n <= 100, 'at most 100').optional(),
      alertStaleHours: positiveInteger(z).refine((n) => n <= 720, 'at most 720 (30 days)').optional(),
      adminScript: z.string().min(1).optional(),
      adminRole: z.string().min(1).optional(),
      /** → the batchApiHost answer (host[:port]); the scheme follows from it (src/plan/task-steps.ts batchApiUrl). */
      batchApiUrl: z
        .string()
        .transform((value, ctx) => {
          const parsed = batchHostFromUrl(value);
          if ('host' in parsed) return parsed.host;
          ctx.addIssue({ code: 'custom', message: parsed.problem });
          return z.NEVER;
        })
        .optional(),
      // The worker's policies and pacing (worker/options.ts): the deployed task passes them on.
      nullPolicy: z.enum(['skip', 'delete']).optional(),
      deletePolicy: z.enum(['ignore', 'unset']).optional(),
      endpoint: z.enum(['auto', 'update', 'mass-update']).optional(),
      massUpdateThreshold: wholeNumber(z, 0).optional(),
      massUpdateRate: positiveInteger(z).optional(),
      rate: positiveInteger(z).optional(),
      burst: positiveInteger(z).optional(),
      concurrency: positiveInteger(z).refine((n) => n <= 64, 'at most 64').optional(),
    })
    .superRefine((options, ctx) => {
      if (options.view && options.viewSql) ctx.addIssue({ code: 'custom', path: ['view'], message: 'use either --view or --view-sql, not both' });
      if (options.unsetRemoved && options.keepRemoved) ctx.addIssue({ code: 'custom', path: ['unsetRemoved'], message: 'use either --unset-removed or --keep-removed, not both' });
      if (options.offline && !options.dryRun) ctx.addIssue({ code: 'custom', path: ['offline'], message: 'only with --dry-run (applying needs a connection)' });
      if (options.eventNameColumn && options.eventName) ctx.addIssue({ code: 'custom', path: ['eventName'], message: 'use either --event-name-column or --event-name, not both' });
      const eventFlag = ['eventNameColumn', 'eventName', 'eventTimeColumn', 'eventAttributeColumns', 'labelColumn', 'tagsColumn'].find((k) => options[k as keyof typeof options] !== undefined);
      if (options.kind === 'profile' && eventFlag) ctx.addIssue({ code: 'custom', path: [eventFlag], message: 'event columns need --kind event' });
      if (options.viewSql && !options.viewName) ctx.addIssue({ code: 'custom', path: ['viewName'], message: '--view-sql needs --view-name' });
    });
}

export type InitOptions = ReturnType<ReturnType<typeof initSchema>['parse']>;
