/** Helpers of the resync tests (issue 20): the external install of test/external/support.ts plus profile reads. */
import type { ExternalInstall } from '../external/support.js';
import { TARGET } from '../external/support.js';

export const VIEW = 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES';

export interface SandboxProfile {
  identifiers: { custom_id: string };
  attributes: Record<string, { type: string; value: unknown }>;
}

export async function profiles(t: ExternalInstall): Promise<SandboxProfile[]> {
  return (await (await fetch(`${t.sandbox.connection.batch.apiUrl}/_sandbox/profiles`)).json()) as SandboxProfile[];
}

/** `init` again on the external install, as a script would: every answer a flag, --yes. */
export function reinit(t: ExternalInstall, extra: string[], dates = 'SIGNUP_DATE,LAST_LOGIN_AT') {
  return t.cli(['init', '--runner', 'external', '--no-interactive', '--yes', '--view', VIEW, '--id-column', 'CUSTOMER_ID',
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
