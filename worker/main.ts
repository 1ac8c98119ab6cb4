/**
 * Entry point of the sync worker: `npm run worker -- <args>` from a clone, `node dist/worker/main.js` in
 * the image (the task's EXECUTE JOB SERVICE, or any scheduler outside SPCS). One run per process; exit
 * code 0 = SUCCESS, PARTIAL or PAUSED; 75 = another run holds the lock. The run itself: run-worker.ts.
 */
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';

import { createJsonLogger } from './sync/log.js';
import { runWorker } from './run-worker.js';

export { runWorker, runWorkerOnce, type WorkerContext, type WorkerOutcome } from './run-worker.js';

const isEntryPoint = process.argv[1] !== undefined && /worker[\\/]main\.[jt]s$/.test(process.argv[1]);
if (isEntryPoint) {
  const log = createJsonLogger();
  const controller = new AbortController();
  for (const name of ['SIGTERM', 'SIGINT'] as const) {
    process.once(name, () => {
      log.warn('signal', { signal: name, action: 'stop sending; unsent rows stay in the outbox for the next run' });
      controller.abort(new Error(name));
    });
  }
  runWorker(process.argv.slice(2), { env: process.env, log, signal: controller.signal }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`worker crashed: ${error instanceof Error ? error.name : 'error'}\n`);
      process.exit(1);
    },
  );
}
