/**
 * The demo's steps, in order, each with what it is on a real account. The CLI is called as a user calls it
 * (built binary, in the working folder); the row changes go through the real snowflake-sdk; the Batch side is
 * read from the sandbox's inspection routes.
 */
import { buildIfStale, runCli } from './cli.js';
import { applyChanges, CUSTOMERS_SYNC, DELETED, DEMO_VIEW, IMAGE_TAG, INSERTED, TARGET_SCHEMA, UPDATED, viewRowCount } from './data.js';
import { ensureDemoBaseImage, type DockerChoice } from './docker-setup.js';
import { startDemoEnvironment, type DemoEnvironment } from './environment.js';
import { CommandFailed, type Narrator, type StepContext } from './narrator.js';
import { ORDERS_SYNC, ORDERS_VIEW, ordersInitArgs, placeOrders, renderLastEvents } from './orders.js';
import { fetchProfiles, fetchStats, renderCounts, renderTable } from './report.js';
import { ALERT_STEPS, alertStep } from './alert-step.js';

export interface FlowOptions {
  docker: DockerChoice;
  /** The CLI may prompt (a terminal, no --yes, not CI). */
  terminal: boolean;
  /** Receives the environment as soon as it exists (so Ctrl-C can clean it up). */
  onEnvironment(env: DemoEnvironment): void;
}

export const stepCount = (docker: DockerChoice): number => (docker.use ? 9 : 8) + ALERT_STEPS;

async function cli(env: DemoEnvironment, ctx: StepContext, args: string[], terminal: boolean, okCodes: number[] = [0]): Promise<string> {
  ctx.say(`$ batch-snowflake ${args.join(' ')}`);
  const result = await runCli(args, { cwd: env.dir, env: env.cliEnv, terminal, write: ctx.write });
  if (!okCodes.includes(result.code)) throw new CommandFailed(`batch-snowflake ${args.join(' ')}`, result.code, result.output);
  return result.output;
}

async function profileCount(env: DemoEnvironment): Promise<number> {
  return (await fetchProfiles(env.batch.apiUrl)).length;
}

/** `init` once per sync: the customers profile sync (answers saved in batch-snowflake.json), then the orders event sync added by flags. */
async function initSyncs(env: DemoEnvironment, ctx: StepContext, terminal: boolean, docker: DockerChoice): Promise<void> {
  // Without docker no image is pushed; the stand-in runs the worker from the sources whatever the tag.
  const image = docker.use ? [] : ['--skip-image', '--image-tag', IMAGE_TAG];
  const prompts = terminal ? [] : ['--yes', '--no-interactive'];
  await cli(env, ctx, ['init', ...image, ...prompts], terminal);
  ctx.say(`A second sync: orders placed in ${ORDERS_VIEW} become Batch events on the same profiles (its own APPEND_ONLY stream and task; the same pool, image, integration and secret).`);
  await cli(env, ctx, [...ordersInitArgs(env.batch.projectKey), ...image, ...prompts], terminal);
}

/** `run --sync NAME` for each sync given (a project of several syncs names the one to run). */
async function runSyncs(env: DemoEnvironment, ctx: StepContext, terminal: boolean, syncs: readonly string[]): Promise<void> {
  for (const sync of syncs) await cli(env, ctx, ['run', '--sync', sync], terminal);
}

export async function runFlow(n: Narrator, options: FlowOptions): Promise<DemoEnvironment> {
  const { docker, terminal } = options;
  await n.step('Build the CLI (tsc → dist/)', 'you run the published package with `npx batch-snowflake …`; nothing to build.', async (ctx) => {
    ctx.say((await buildIfStale(ctx.write)) === 'built' ? 'Built dist/ from the sources.' : 'dist/ is up to date.');
  });

  let baseImage = '';
  if (docker.use) {
    await n.step('Prepare docker: a local Node base image', 'the worker image is built FROM the official Node 20 image (node:20-slim); here none can be pulled, so one is made from this host\'s node.', async (ctx) => {
      const base = await ensureDemoBaseImage();
      ctx.say(base.message);
      baseImage = base.tag;
    });
  }

  const env = await n.step(
    docker.use ? 'Start the stand-ins: Snowflake (demo data), Batch API sandbox, image registry' : 'Start the stand-ins: Snowflake (demo data) and Batch API sandbox',
    'your Snowflake account (Enterprise edition or higher, in a region with Snowpark Container Services) and Batch\'s API at api.batch.com; the demo talks to neither.',
    async (ctx) => {
      if (!docker.use) ctx.say(`No docker (${docker.reason}): the stand-in will run the worker as a local process (node worker/main.ts) instead of its image.`);
      const started = await startDemoEnvironment({ docker: docker.use ? { baseImage } : null });
      options.onEnvironment(started);
      const session = await started.session();
      try {
        ctx.say(`Snowflake stand-in ${started.snowflake.accessUrl}: view ${DEMO_VIEW} has ${await viewRowCount(session)} rows; schema ${TARGET_SCHEMA} created for the sync's objects.`);
      } finally {
        await session.destroy();
      }
      ctx.say(`Batch sandbox ${started.batch.apiUrl} (project ${started.batch.projectKey}, no profiles yet).`);
      if (started.registryHost) ctx.say(`Image registry ${started.registryHost} (docker logs in as 0sessiontoken with the CLI's session token, as on Snowflake).`);
      ctx.say(`Working folder ${started.dir}: connections.toml (key-pair sign-in: rsa_key.p8, its passphrase in env only; the key was registered with ALTER USER … SET RSA_PUBLIC_KEY), batch-snowflake.json with the demo's answers.`);
      return started;
    },
  );

  await n.step(
    'Set up the sync: batch-snowflake init',
    'this creates a stream on your view, a compute pool (billed per node-hour while running, suspended after 5 idle minutes), a network rule and external access integration for api.batch.com, a secret with your REST API key, and a task running the worker every 60 minutes' +
      (docker.use ? '; the worker image is pushed to your account\'s image registry.' : '.'),
    async (ctx) => {
      if (terminal) ctx.say('The answers for the demo data are pre-filled: press enter to accept each one.');
      await initSyncs(env, ctx, terminal, docker);
    },
  );

  await n.step('Run the sync now: batch-snowflake run', 'EXECUTE TASK starts the worker as a job service on the compute pool (node-hours) and the warehouse runs its queries (credits while running); the first run sends every existing row.', async (ctx) => {
    await runSyncs(env, ctx, terminal, [CUSTOMERS_SYNC]);
    const session = await env.session();
    try {
      ctx.say(`Batch sandbox now holds ${await profileCount(env)} profiles (the view has ${await viewRowCount(session)} rows).`);
    } finally {
      await session.destroy();
    }
  });

  await n.step('Change a few rows in the base table (snowflake-sdk)', 'your own pipelines change the base table; change tracking records each change in the stream, which costs nothing until it is read.', async (ctx) => {
    const session = await env.session();
    try {
      await applyChanges(session, ctx.say);
      await placeOrders(session, ctx.say);
    } finally {
      await session.destroy();
    }
  });

  await n.step('Run the sync again: batch-snowflake run', 'the next scheduled run sends only what changed since the last one; with an empty stream the task is skipped (WHEN SYSTEM$STREAM_HAS_DATA), so idle hours cost nothing.', async (ctx) => {
    await runSyncs(env, ctx, terminal, [CUSTOMERS_SYNC, ORDERS_SYNC]);
  });

  await n.step('What arrived in Batch', 'the profiles appear in your Batch project (dashboard → Profiles) with these attribute types.', async (ctx) => {
    const [profiles, stats] = await Promise.all([fetchProfiles(env.batch.apiUrl), fetchStats(env.batch.apiUrl)]);
    const session = await env.session();
    const viewRows = await viewRowCount(session).finally(() => session.destroy());
    const shown = [
      { id: '1', note: 'unchanged' },
      { id: UPDATED.id, note: 'updated' },
      { id: INSERTED.id, note: 'inserted' },
      { id: DELETED.id, note: 'deleted in Snowflake, kept in Batch *' },
    ];
    const footnote = '* the worker ignores deleted rows by default, like Batch\'s own job (the profile keeps its last values)';
    const events = renderLastEvents(profiles, shown.map((p) => p.id));
    for (const line of [...renderTable(profiles, shown), footnote, '', ...events, '', ...renderCounts(profiles, stats, viewRows)]) ctx.say(line);
  });

  await n.step('Check the syncs: batch-snowflake status', 'the same command reads each sync\'s task state, TASK_HISTORY, the runs table and the stream of your account; `status --sync NAME` shows one in full.', async (ctx) => {
    await cli(env, ctx, ['status'], terminal);
  });
  await alertStep(n, env, docker, cli);
  return env;
}
