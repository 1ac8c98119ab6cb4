/**
 * `npm run sandbox -- [options]`: starts the Snowflake stand-in and the Batch sandbox, prints ONE JSON line
 * on stdout when both are ready, then runs until SIGINT/SIGTERM (exit 0, ports closed). Human messages go
 * to stderr only. (Use `npm run --silent sandbox` so that npm's own banner stays off stdout.)
 *
 * To add an option: one entry in OPTIONS (parseArgs syntax + help) and its effect in toSandboxOptions().
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSandbox, type Sandbox, type SandboxOptions } from './index.js';
import { parseProfile, PROFILE_NAMES, type AccountProfile } from './snowflake/profiles.js';

const OPTIONS = {
  seed: { type: 'string', help: 'demo|empty  Snowflake data (default demo)' },
  'snowflake-port': { type: 'string', help: 'N  Snowflake stand-in port (default: a free one)' },
  'batch-port': { type: 'string', help: 'N  Batch sandbox port (default: a free one)' },
  'statement-latency-ms': { type: 'string', help: 'N  ms added to every Snowflake statement (a real warehouse: ~50-300; default 0)' },
  'batch-rate': { type: 'string', help: 'N  /profiles/update rate, custom IDs per second (default 300)' },
  'batch-burst': { type: 'string', help: 'N  /profiles/update burst (default 1000)' },
  'batch-mass-rate': { type: 'string', help: 'N  /profiles/mass-update rate (default 10000, no burst)' },
  'batch-latency-ms': { type: 'string', help: 'N  latency added to every Batch answer (default 0)' },
  'batch-fault-rate': { type: 'string', help: 'F  share of Batch calls failing with 5xx/429/timeout/reset (default 0)' },
  spcs: { type: 'string', help: 'on|off  Snowpark Container Services available (default on)' },
  'triggered-tasks': { type: 'string', help: 'on|off  triggered tasks available (default on; off: an account without the feature)' },
  profile: { type: 'string', help: 'full|restricted|admin-only  account profile: roles and enforced grants (default: none enforced)' },
  'profile-file': { type: 'string', help: 'PATH  custom account profile (JSON: name, defaultRole, userRoles, setup SQL)' },
  registry: { type: 'string', help: 'HOST:PORT  local docker registry behind the account registry host, which takes 0sessiontoken + a live session token (the registry\'s own credentials: SANDBOX_REGISTRY_USER/_PASSWORD)' },
  'session-ttl-s': { type: 'string', help: 'N  session token validity in seconds (default 3600, as Snowflake); also the registry login\'s' },
  help: { type: 'boolean', short: 'h', help: '   this help' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

class UsageError extends Error {}

function number(values: Values, name: keyof Values, check: (n: number) => boolean, expected: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${name} expects ${expected} (got '${String(raw)}')`);
  }
  return n;
}

const defined = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

function toSandboxOptions(values: Values): SandboxOptions {
  if (values.seed !== undefined && values.seed !== 'demo' && values.seed !== 'empty') {
    throw new UsageError(`--seed expects demo or empty (got '${values.seed}')`);
  }
  const port = (n: number) => Number.isInteger(n) && n >= 0 && n < 65536;
  const positive = (n: number) => n > 0;
  const batch = {
    port: number(values, 'batch-port', port, 'a port number'),
    updateRate: number(values, 'batch-rate', positive, 'a number > 0'),
    updateBurst: number(values, 'batch-burst', positive, 'a number > 0'),
    massRate: number(values, 'batch-mass-rate', positive, 'a number > 0'),
    latencyMs: number(values, 'batch-latency-ms', (n) => n >= 0, 'a number ≥ 0'),
    faultRate: number(values, 'batch-fault-rate', (n) => n >= 0 && n <= 1, 'a number between 0 and 1'),
  };
  return {
    seed: values.seed,
    snowflake: {
      port: number(values, 'snowflake-port', port, 'a port number'),
      sessionTokenValiditySeconds: number(values, 'session-ttl-s', (n) => Number.isInteger(n) && n > 0, 'a whole number of seconds > 0'),
      ...accountOptions(values),
      ...(values['triggered-tasks'] === undefined ? {} : { triggeredTasks: onOff(values['triggered-tasks'], '--triggered-tasks') }),
      ...defined('latencyMs', number(values, 'statement-latency-ms', (n) => n >= 0, 'a number ≥ 0')),
    },
    // Leave unset options out so the sandbox keeps its documented defaults.
    batch: Object.fromEntries(Object.entries(batch).filter(([, v]) => v !== undefined)),
  };
}

function onOff(value: string, flag: string): boolean {
  if (value !== 'on' && value !== 'off') throw new UsageError(`${flag} expects on or off (got '${value}')`);
  return value === 'on';
}

/** --spcs, --profile / --profile-file, --registry (its credentials come from the environment, never argv). */
function accountOptions(values: Values): Pick<NonNullable<SandboxOptions['snowflake']>, 'spcs' | 'profile' | 'registry'> {
  const options: Pick<NonNullable<SandboxOptions['snowflake']>, 'spcs' | 'profile' | 'registry'> = {};
  if (values.spcs !== undefined) {
    if (values.spcs !== 'on' && values.spcs !== 'off') throw new UsageError(`--spcs expects on or off (got '${values.spcs}')`);
    options.spcs = values.spcs === 'on';
  }
  if (values.profile !== undefined && values['profile-file'] !== undefined) throw new UsageError('give either --profile or --profile-file');
  if (values.profile !== undefined) {
    if (!(PROFILE_NAMES as readonly string[]).includes(values.profile)) throw new UsageError(`--profile expects ${PROFILE_NAMES.join(', ')} (got '${values.profile}')`);
    options.profile = values.profile as (typeof PROFILE_NAMES)[number];
  }
  if (values['profile-file'] !== undefined) {
    let profile: AccountProfile;
    try {
      profile = parseProfile(JSON.parse(readFileSync(values['profile-file'], 'utf8')));
    } catch (error) {
      throw new UsageError(`--profile-file ${values['profile-file']}: ${(error as Error).message}`);
    }
    options.profile = profile;
  }
  if (values.registry !== undefined) {
    if (!/^[\w.-]+:\d+$/.test(values.registry)) throw new UsageError(`--registry expects HOST:PORT (got '${values.registry}')`);
    const { SANDBOX_REGISTRY_USER: username, SANDBOX_REGISTRY_PASSWORD: password } = process.env;
    options.registry = { host: values.registry, ...(username && password ? { username, password } : {}) };
  }
  return options;
}

function usage(): string {
  const lines = Object.entries(OPTIONS).map(([name, option]) => {
    const [argument = '', ...text] = option.help.split('  ');
    return `  --${`${name} ${argument}`.trimEnd().padEnd(24)} ${text.join('  ').trim()}`;
  });
  return `Usage: npm run --silent sandbox -- [options]\n${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  // Anything a library logs must not corrupt the one JSON line on stdout.
  console.log = console.error;
  console.info = console.error;
  let values: Values;
  let options: SandboxOptions;
  try {
    const parseOptions = Object.fromEntries(Object.entries(OPTIONS).map(([name, { help: _help, ...rest }]) => [name, rest]));
    values = parseArgs({ options: parseOptions, strict: true, allowPositionals: false }).values as Values;
    options = toSandboxOptions(values);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${usage()}`);
    process.exit(2);
  }
  if (values.help) {
    process.stderr.write(usage());
    return;
  }

  const starting = startSandbox(options);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping the stand-ins…\n`);
    try {
      await (await starting).close();
      process.stderr.write('Stand-ins stopped.\n');
      process.exit(0);
    } catch (error) {
      process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));

  let sandbox: Sandbox;
  try {
    sandbox = await starting;
  } catch (error) {
    process.stderr.write(`error: could not start the stand-ins: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify(sandbox.connection)}\n`);
  process.stderr.write(
    `Snowflake stand-in: ${sandbox.snowflake.accessUrl} (account ${sandbox.snowflake.account}, seed ${options.seed ?? 'demo'})\n` +
      `Batch sandbox:      ${sandbox.batch.apiUrl} (inspect: ${sandbox.batch.apiUrl}/_sandbox/profiles)\n` +
      (sandbox.connection.notifications ? `Alert catcher:      ${sandbox.connection.notifications.catcherUrl}/_catcher/messages (webhooks and emails the alerts send)\n` : '') +
      'Ready. Press Ctrl-C to stop.\n',
  );
}

await main();
