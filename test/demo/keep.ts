/**
 * `--keep`: the stand-ins stay up (in the demo's process) until Ctrl-C. The connection settings the CLI needs go
 * to demo.env in the working folder (mode 0600, the password included: it is the stand-in's, made for this run),
 * so the user runs the CLI against the stand-ins exactly as the demo did.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_DIR } from './cli.js';
import type { DemoEnvironment } from './environment.js';
import type { Narrator } from './narrator.js';

const EXPORTED = ['SNOWFLAKE_HOME', 'SNOWFLAKE_DEFAULT_CONNECTION_NAME', 'SNOWFLAKE_PASSWORD', 'SNOWFLAKE_DISABLE_PLATFORM_DETECTION', 'BATCH_REST_API_KEY', 'DOCKER_CONFIG', 'BATCH_SNOWFLAKE_BASE_IMAGE', 'NO_PROXY'];

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

export async function printKeepInstructions(env: DemoEnvironment, n: Narrator): Promise<void> {
  const file = path.join(env.dir, 'demo.env');
  const lines = EXPORTED.filter((k) => env.cliEnv[k] !== undefined).map((k) => `export ${k}=${shellQuote(env.cliEnv[k]!)}`);
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  const bin = path.join(PROJECT_DIR, 'bin', 'batch-snowflake.js');
  const u = env.snowflake.defaultUser;
  n.line();
  n.line(n.style.bold('The stand-ins keep running (--keep). Ctrl-C stops them and cleans up.'));
  n.line(`  Snowflake stand-in  ${env.snowflake.accessUrl}  account ${env.snowflake.account}, user ${u.user}, role ${u.role}, warehouse ${u.warehouse} (password: SNOWFLAKE_PASSWORD in demo.env)`);
  n.line(`  Batch sandbox       ${env.batch.apiUrl}  (GET ${env.batch.apiUrl}/_sandbox/profiles, /_sandbox/stats)`);
  if (env.registry) n.line(`  Image registry      ${env.registry.host}  (user ${env.registry.username}, same password)`);
  n.line('  Use the CLI against them, in another terminal:');
  n.line(`    cd ${env.dir} && source demo.env`);
  n.line(`    node ${bin} status          # or: run, logs, pause, resume, uninstall --dry-run`);
  n.line(`    curl -s ${env.batch.apiUrl}/_sandbox/profiles/1`);
}
