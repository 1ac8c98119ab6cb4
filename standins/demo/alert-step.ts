/**
 * The demo's alert step (issue 17 §2), kept apart from flow.ts: `init --alert-webhook` adds a Slack webhook and
 * the customers sync's alerts (a rerun plans only those), three rows get a bad URL, a run rejects them (partial), the reject
 * alert is evaluated (EXECUTE ALERT: on an account it runs every hour) and its message arrives at the stand-in's
 * webhook catcher, which stands in for Slack. The rows are then fixed and sent again, so the sync ends healthy.
 */
import { CUSTOMERS_SYNC, DEMO_TABLE, IMAGE_TAG, TARGET_SCHEMA } from './data.js';
import { perSyncName } from '../../shared/state/sync-names.js';
import type { DockerChoice } from './docker-setup.js';
import type { DemoEnvironment } from './environment.js';
import type { Narrator, StepContext } from './narrator.js';

export const ALERT_STEPS = 1;
const DEMO_WEBHOOK = 'https://hooks.slack.com/services/T0DEMO/B0DEMO/demoSecretPart';
const BAD_ROWS = 'ID IN (2, 3, 4)';

type Cli = (env: DemoEnvironment, ctx: StepContext, args: string[], terminal: boolean, okCodes?: number[]) => Promise<string>;

export async function alertStep(n: Narrator, env: DemoEnvironment, docker: DockerChoice, cli: Cli): Promise<void> {
  await n.step(
    'Alerts from inside Snowflake: a reject alert reaches Slack',
    'init creates a notification integration for your Slack webhook (its secret part in a Snowflake SECRET) and four alerts per sync (run failed, rejects, no success, stream going stale), each checked hourly on your warehouse; messages go straight from Snowflake to Slack, Teams, PagerDuty or a verified email.',
    async (ctx) => {
      const cliEnv = env.cliEnv;
      env.cliEnv = { ...cliEnv, BATCH_ALERT_WEBHOOK_URL: DEMO_WEBHOOK };
      try {
        await cli(env, ctx, ['init', '--sync', CUSTOMERS_SYNC, '--alert-webhook', '--alert-reject-percent', '10', '--yes', '--no-interactive', ...(docker.use ? [] : ['--skip-image', '--image-tag', IMAGE_TAG])], false);
      } finally {
        env.cliEnv = cliEnv;
      }
      const session = await env.session();
      try {
        const original = await session.query<{ ID: unknown; PROFILE_URL: unknown }>(`SELECT ID, PROFILE_URL FROM ${DEMO_TABLE} WHERE ${BAD_ROWS}`);
        await session.query(`UPDATE ${DEMO_TABLE} SET PROFILE_URL = 'not a url' WHERE ${BAD_ROWS}`);
        ctx.say(`Gave customers 2, 3 and 4 an invalid PROFILE_URL: Batch cannot take it, so the worker rejects that attribute.`);
        // Without --sync: every sync in turn, one table (the customers run is partial: exit 10).
        await cli(env, ctx, ['run'], false, [0, 10]);
        const catcher = env.snowflake.runtime!.catcher!;
        const seen = catcher.messages.length;
        const alert = `${TARGET_SCHEMA}.${perSyncName('BATCH_SYNC_ALERT_REJECTS', CUSTOMERS_SYNC)}`;
        ctx.say(`EXECUTE ALERT ${alert}   (on your account Snowflake evaluates it every 60 minutes)`);
        await session.query(`EXECUTE ALERT ${alert}`);
        const message = await catcher.waitFor((m) => m.seq > seen && m.channel === 'webhook', 30_000);
        ctx.say(`Slack received (webhook catcher, ${message.target.replace('demoSecretPart', '…')}):`);
        ctx.say(`  ${String((JSON.parse(message.body) as { text?: unknown }).text)}`);
        for (const row of original.rows) await session.query(`UPDATE ${DEMO_TABLE} SET PROFILE_URL = ? WHERE ID = ?`, [row.PROFILE_URL as string, row.ID as number]);
        ctx.say('Fixed the three URLs; the next run sends them, and the sync is healthy again.');
        await cli(env, ctx, ['run'], false);
      } finally {
        await session.destroy();
      }
    },
  );
}
