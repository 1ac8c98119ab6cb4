/**
 * `npm run demo`: the whole product without any account. Starts the Snowflake stand-in (demo data), the Batch API
 * sandbox and, with docker, a local registry; runs `batch-snowflake init`, `run`, changes rows, `run` again, and
 * shows what arrived in Batch and `status`. Works in a temporary folder; on exit or Ctrl-C it stops everything it
 * started and removes the images it pushed (the local Node base image is kept for the next run).
 *
 *   npm run demo [-- --yes] [--no-docker] [--keep]
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_DIR, runningChildren } from './cli.js';
import { chooseDocker, containersOf, removeImages } from './docker-setup.js';
import type { DemoEnvironment } from './environment.js';
import { runFlow, stepCount } from './flow.js';
import { CommandFailed, DemoStepError, Narrator } from './narrator.js';

const USAGE = `Usage: npm run demo [-- --yes] [--no-docker] [--keep]
  --yes        no prompts (also when not on a terminal, or CI is set)
  --no-docker  run the worker as a local process instead of building and pushing its image
  --keep       leave the stand-ins running at the end and print how to connect (Ctrl-C stops them)`;

interface DemoFlags {
  yes: boolean;
  noDocker: boolean;
  keep: boolean;
}

function parseFlags(argv: string[]): DemoFlags | string {
  const flags: DemoFlags = { yes: false, noDocker: false, keep: false };
  for (const arg of argv) {
    if (arg === '--yes' || arg === '-y') flags.yes = true;
    else if (arg === '--no-docker') flags.noDocker = true;
    else if (arg === '--keep') flags.keep = true;
    else return arg === '--help' || arg === '-h' ? '' : `Unknown option ${arg}`;
  }
  return flags;
}

const isCi = (env: NodeJS.ProcessEnv) => Boolean(env.CI && env.CI !== 'false' && env.CI !== '0');

/**
 * `--keep`: the stand-ins stay up (in this process) until Ctrl-C. The settings the CLI needs go to demo.env in the
 * working folder (mode 0600; the key passphrase is the one made for this run), so the user runs the CLI against
 * the stand-ins exactly as the demo did.
 */
const EXPORTED = ['SNOWFLAKE_HOME', 'SNOWFLAKE_DEFAULT_CONNECTION_NAME', 'PRIVATE_KEY_PASSPHRASE', 'SNOWFLAKE_DISABLE_PLATFORM_DETECTION', 'BATCH_REST_API_KEY', 'DOCKER_CONFIG', 'BATCH_SNOWFLAKE_BASE_IMAGE', 'NO_PROXY'];

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

async function printKeepInstructions(env: DemoEnvironment, n: Narrator): Promise<void> {
  const file = path.join(env.dir, 'demo.env');
  const lines = EXPORTED.filter((k) => env.cliEnv[k] !== undefined).map((k) => `export ${k}=${shellQuote(env.cliEnv[k]!)}`);
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  const bin = path.join(PROJECT_DIR, 'bin', 'batch-snowflake.js');
  const u = env.snowflake.defaultUser;
  n.line();
  n.line(n.style.bold('The stand-ins keep running (--keep). Ctrl-C stops them and cleans up.'));
  n.line(`  Snowflake stand-in  ${env.snowflake.accessUrl}  account ${env.snowflake.account}, user ${u.user}, role ${u.role}, warehouse ${u.warehouse} (key pair: rsa_key.p8, PRIVATE_KEY_PASSPHRASE in demo.env)`);
  n.line(`  Batch sandbox       ${env.batch.apiUrl}  (GET ${env.batch.apiUrl}/_sandbox/profiles, /_sandbox/stats)`);
  if (env.registryHost) n.line(`  Image registry      ${env.registryHost}  (docker login -u 0sessiontoken with a session token of the stand-in)`);
  n.line('  Use the CLI against them, in another terminal:');
  n.line(`    cd ${env.dir} && source demo.env`);
  n.line(`    node ${bin} status          # or: run, logs, pause, resume, uninstall --dry-run`);
  n.line(`    curl -s ${env.batch.apiUrl}/_sandbox/profiles/1`);
}

async function cleanUp(env: DemoEnvironment | null, n: Narrator): Promise<void> {
  for (const child of runningChildren) child.kill('SIGTERM');
  if (!env) return;
  const registry = env.registryHost;
  // Pushed through the account's registry host; the job runner pulled from the registry behind it.
  const hosts = [env.registryHost, env.registry?.host].filter((h): h is string => !!h);
  await env.close();
  const removed = (await Promise.all(hosts.map((h) => removeImages(h)))).flat();
  const left = (await Promise.all(hosts.map((h) => containersOf(h)))).flat();
  n.line(n.style.dim(`Cleaned up: stopped the stand-ins${registry ? ' and the registry' : ''}, removed ${env.dir}` +
    (registry ? `, ${removed.length} pushed image(s); ${left.length === 0 ? 'no containers left' : `containers left: ${left.join(', ')}`}` : '') + '.'));
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  if (typeof flags === 'string') {
    (flags ? process.stderr : process.stdout).write(`${flags ? `${flags}\n` : ''}${USAGE}\n`);
    return flags ? 2 : 0;
  }
  const started = Date.now();
  const terminal = !flags.yes && !isCi(process.env) && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const docker = await chooseDocker(flags.noDocker);
  const n = new Narrator(process.stdout, stepCount(docker), color);
  let env: DemoEnvironment | null = null;
  let cleaning: Promise<void> | null = null;
  const finish = () => (cleaning ??= cleanUp(env, n));

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // a second Ctrl-C: stop waiting for the cleanup
    interrupted = true;
    n.line(n.style.yellow(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping and cleaning up…`));
    void finish().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  n.line(n.style.bold('batch-snowflake demo: Snowflake view → Batch profiles, with no account needed'));
  n.line(docker.use ? `Docker ${docker.server}: the worker image is built, pushed to a local registry and run as a container.` : `Without docker (${docker.reason}): the worker runs as a local process.`);
  let code = 0;
  try {
    await runFlow(n, { docker, terminal, onEnvironment: (e) => (env = e) });
    n.line();
    n.line(n.style.green.bold(`✔ Demo complete in ${((Date.now() - started) / 1000).toFixed(1)} s.`));
  } catch (error) {
    if (interrupted) return new Promise<number>(() => undefined); // the signal handler exits
    if (error instanceof DemoStepError && error.cause instanceof CommandFailed && error.cause.code === 130) {
      // Ctrl-C at a prompt of the CLI: the terminal is in raw mode, so the CLI got it as a key, not a signal.
      n.line(n.style.yellow(`\nCancelled at step ${error.step}: cleaning up…`));
      await finish();
      return 130;
    }
    if (error instanceof DemoStepError) n.failure(error);
    else n.line(`Demo failed: ${(error as Error).stack ?? String(error)}`);
    code = 1;
  }
  if (flags.keep && env && !interrupted) {
    await printKeepInstructions(env, n);
    return new Promise<number>(() => undefined); // until Ctrl-C / SIGTERM (the handler cleans up and exits)
  }
  await finish();
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
