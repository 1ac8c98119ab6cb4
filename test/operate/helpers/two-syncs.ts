/**
 * A project of two syncs on the SPCS path for the operate tests: the demo profile sync `default` (installed by
 * helpers/installed.ts) and an event sync `orders` on the stand-in's ORDER_EVENTS_V, added with the real CLI.
 */
import { createEventSource } from '../../events/helpers/events-env.js';
import { cli, install, type CliResult, type Installed } from './installed.js';

/** `init --sync orders --kind event …` with the real CLI (the Batch key from env, never a flag). */
export function addOrders(inst: Installed): Promise<CliResult> {
  return cli(inst, [
    'init', '--sync', 'orders', '--kind', 'event', '--view', 'DEMO_DB.PUBLIC.ORDER_EVENTS_V', '--id-column', 'USER_ID',
    '--event-name-column', 'EVENT_NAME', '--event-time-column', 'EVENT_TIME', '--project-key', inst.sandbox.connection.batch.projectKey,
    '--skip-image', '--image-tag', '0.1.0', '--no-interactive', '--yes',
  ], { BATCH_REST_API_KEY: inst.sandbox.connection.batch.restApiKey });
}

/** The demo install plus the orders event sync; throws when adding it fails. */
export async function installTwoSyncs(): Promise<Installed> {
  const inst = await install();
  try {
    await createEventSource(inst.admin);
    const added = await addOrders(inst);
    if (added.code !== 0) throw new Error(`init --sync orders failed (${added.code}): ${added.stderr}`);
    return inst;
  } catch (error) {
    await inst.close();
    throw error;
  }
}

/** The CLI's sign-ins the stand-in saw so far (the jobs' workers sign in as batch-snowflake-worker). */
export const logins = (inst: Installed) => inst.sandbox.snowflake.observed.loginLog.filter((l) => l.application === 'batch-snowflake').length;
