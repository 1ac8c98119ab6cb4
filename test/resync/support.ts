/** Helpers of the resync tests (issue 20): the external install of test/external/support.ts plus profile reads. */
import type { ExternalInstall } from '../external/support.js';
import { startExternalInstall, TARGET } from '../external/support.js';

export const VIEW = 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES';

export interface SandboxProfile {
  identifiers: { custom_id: string };
  attributes: Record<string, { type: string; value: unknown }>;
}

export async function profiles(t: ExternalInstall): Promise<SandboxProfile[]> {
  return (await (await fetch(`${t.sandbox.connection.batch.apiUrl}/_sandbox/profiles`)).json()) as SandboxProfile[];
}

/** `init` again on the external install, as a script would: every answer a flag, --yes. */
export function reinit(t: ExternalInstall, extra: string[], dates = 'SIGNUP_DATE,LAST_LOGIN_AT', source: string[] = ['--view', VIEW]) {
  return t.cli(['init', '--runner', 'external', '--no-interactive', '--yes', ...source, '--id-column', 'CUSTOMER_ID',
    '--date-columns', dates, '--url-columns', 'PROFILE_URL', '--project-key', t.sandbox.connection.batch.projectKey, '--target', TARGET, ...extra]);
}

export async function syncOk(t: ExternalInstall): Promise<{ summary: Record<string, unknown> }> {
  const run = await t.cli(['sync', '--json']);
  if (run.code !== 0) throw new Error(`sync failed (${run.code}): ${run.stderr}\n${run.stdout}`);
  return JSON.parse(run.stdout).result;
}

export async function viewCount(t: ExternalInstall): Promise<number> {
  return Number((await t.admin.query<{ N: number }>(`SELECT COUNT(*) AS N FROM ${VIEW}`)).rows[0]!.N);
}

export const setLatency = (t: ExternalInstall, latencyMs: number) =>
  fetch(`${t.sandbox.connection.batch.apiUrl}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs }) });

/** Resolves once the spawned sync's JSON log (stderr, --verbose) has an event of this name. */
export function logEvent(child: import('node:child_process').ChildProcess, event: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    child.stderr!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(`"event":"${event}"`)) resolve();
    });
  });
}

/** Every profile's first_name equals the view's FIRST_NAME now (newest value wins), and every row has a profile. */
export async function firstNamesMatchView(t: ExternalInstall): Promise<{ missing: string[]; wrong: string[] }> {
  const { rows } = await t.admin.query<{ ID: string; FIRST_NAME: string | null }>(`SELECT CAST(CUSTOMER_ID AS VARCHAR) AS ID, FIRST_NAME FROM ${VIEW}`);
  const byId = new Map((await profiles(t)).map((p) => [p.identifiers.custom_id, p]));
  const missing = rows.filter((r) => !byId.has(r.ID)).map((r) => r.ID);
  const wrong = rows.filter((r) => byId.has(r.ID) && (byId.get(r.ID)!.attributes.first_name?.value ?? null) !== r.FIRST_NAME).map((r) => r.ID);
  return { missing, wrong };
}

/** An external install whose first sync has run: every row of the view is in Batch. */
export async function startSyncedInstall(): Promise<{ t: ExternalInstall; total: number }> {
  const t = await startExternalInstall();
  const total = await viewCount(t);
  await syncOk(t);
  return { t, total };
}
