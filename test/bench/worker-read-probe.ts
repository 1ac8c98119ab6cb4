/**
 * The physical read ceiling for bench:worker: a trivial consumer of the outbox. Reads `table` exactly as the
 * worker's send step does (same single streamed result and columns, through snowflake-sdk) and only
 * counts rows. Run as a child process: `tsx worker-read-probe.ts '<login json>' <table>`; prints one JSON line.
 */
import { connect } from '../../shared/snowflake/client.js';
import { readOutbox } from '../../worker/sync/outbox-read.js';
import { OUTBOX_BOOKKEEPING } from '../../worker/sync/state-tables.js';
import type { SnowflakeInfo } from './worker-bench-host.js';

const login = JSON.parse(process.argv[2]!) as SnowflakeInfo['login'];
const table = process.argv[3]!;
const session = await connect({ account: login.account, accessUrl: login.accessUrl, username: login.user, password: login.password, role: login.role, warehouse: login.warehouse, database: login.database, schema: login.schema });
try {
  const probe = await session.query(`SELECT * FROM ${table} LIMIT 0`);
  const dataColumns = probe.columns.filter((c) => !(OUTBOX_BOOKKEEPING as string[]).includes(c.name));
  const cpu = process.cpuUsage();
  const started = performance.now();
  let rows = 0;
  for await (const _row of readOutbox(session, { syncName: 'default', outbox: table, runs: '', rejected: '', pending: '', pendingStream: '' }, dataColumns).rows) rows++;
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({ rows, ms: Math.round(ms), rowsPerSecond: Math.round((rows / ms) * 1000), cpuMs: Math.round((used.user + used.system) / 1000) })}\n`);
} finally {
  await session.destroy();
}
