/**
 * The checks that need the finished plan and the REST key, run after the plan is shown and BEFORE the
 * confirmation, so that nothing is written when a later step would fail on them (issue 12 §2; README:
 * "checks … before it writes anything"):
 * - Batch: one harmless authenticated call with the REST API key and project key (src/adapters/batch): a
 *   refused key or project stops; no answer from this machine only warns (the worker calls from Snowflake);
 * - the registry: `docker login` to the account's registry when the plan pushes an image. Its host is the
 *   same for every repository of the account (reference §2.4), so an existing repository — the target one,
 *   or any other the role sees — gives it; with none at all it cannot be known before the plan creates one,
 *   and the login stays the first image step (said in a note).
 * Each failure says what happened and the fix; all are listed at once.
 */
import { UserError, type ErrorKind } from '../../shared/errors.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { verifyBatchKey } from '../adapters/batch/verify-key.js';
import type { Docker } from '../adapters/docker/docker.js';
import { registryHost } from '../adapters/docker/image-ref.js';
import type { RegistryCredentials } from '../apply/docker-steps.js';
import { text } from '../introspect/show.js';
import type { ResolvedAnswers } from '../plan/names.js';
import { batchApiUrl } from '../plan/task-steps.js';
import type { Plan } from '../plan/types.js';
import type { Wizard } from './context.js';

export interface ApplyPreflightInput {
  plan: Plan;
  resolved: ResolvedAnswers;
  session: SnowflakeSession;
  /** undefined: no new key was given (the stored secret is kept), so there is nothing to check it with. */
  restKey: string | undefined;
  docker: Docker | null;
  registryCredentials: () => Promise<RegistryCredentials>;
}

interface Failure {
  kind: ErrorKind;
  code: string;
  message: string;
  fix: string;
}

async function checkBatch(w: Wizard, input: ApplyPreflightInput): Promise<Failure | null> {
  const { answers } = input.resolved;
  if (input.restKey === undefined) {
    w.output.info(`${w.output.style.dim('-')} Batch REST API key not checked (no new key given: the stored one is kept)`);
    return null;
  }
  const apiUrl = batchApiUrl(answers.batchApiHost);
  const result = await w.output.step('Checking the Batch REST API key', () => verifyBatchKey({ apiUrl, restKey: input.restKey!, projectKey: answers.projectKey }));
  if (result.ok) {
    w.output.success(`Batch accepted the REST API key for project ${answers.projectKey}`);
    return null;
  }
  switch (result.reason) {
    case 'key-refused':
      return { kind: 'batch', code: 'BATCH_KEY_REFUSED', message: `Batch refused the REST API key (HTTP 401: ${result.detail}).`, fix: 'Copy the REST API key again from the Batch dashboard (Settings → General) into BATCH_REST_API_KEY (or the prompt), then rerun batch-snowflake init.' };
    case 'project-refused':
      return { kind: 'batch', code: 'BATCH_PROJECT_REFUSED', message: `Batch refused project ${answers.projectKey} for this REST API key (HTTP 403: ${result.detail}).`, fix: 'Check --project-key (Batch dashboard → Settings → General) and that the REST API key belongs to the same company.' };
    case 'unreachable':
      // Not a stop: the sync reaches Batch from Snowflake (through the network rule), not from this machine,
      // which may sit behind a proxy or firewall that Snowflake does not.
      w.output.warn(`Batch REST API key not verified: ${apiUrl} did not answer from this machine (${result.detail}). The sync reaches Batch from Snowflake, so going on.`);
      return null;
    case 'unverified':
      w.output.warn(`Batch could not verify the key right now (HTTP ${result.status}: ${result.detail}); going on.`);
      return null;
  }
}

/** The account's registry host: from the target repository, else from any repository the role sees. */
async function registryUrl(plan: Plan, session: SnowflakeSession): Promise<string | null> {
  const login = plan.steps.find((s) => s.kind === 'docker-login');
  if (login?.kind === 'docker-login' && login.image.repositoryUrl) return login.image.repositoryUrl;
  const { rows } = await session.query<Record<string, unknown>>('SHOW IMAGE REPOSITORIES IN ACCOUNT').catch(() => ({ rows: [] as Record<string, unknown>[] }));
  return rows.map((r) => text(r.repository_url)).find((url): url is string => Boolean(url)) ?? null;
}

async function checkRegistry(w: Wizard, input: ApplyPreflightInput): Promise<Failure | null> {
  if (!input.docker || !input.plan.steps.some((s) => s.kind === 'docker-login')) return null;
  const url = await registryUrl(input.plan, input.session);
  if (!url) {
    w.output.info(`${w.output.style.dim('-')} Registry login not checked yet (no image repository in the account tells its host); it is the first image step`);
    return null;
  }
  const host = registryHost(url);
  try {
    const credentials = await input.registryCredentials();
    await w.output.step(`Checking docker login to ${host}`, () => input.docker!.login(host, credentials.username, credentials.secret));
    w.output.success(`docker login to ${host} works`);
    return null;
  } catch (error) {
    const user = error instanceof UserError ? error : null;
    return {
      kind: 'docker',
      code: user?.code ?? 'REGISTRY_LOGIN_FAILED',
      message: `docker login to the Snowflake registry ${host} failed: ${user?.message ?? (error as Error).message}`,
      fix: user?.suggestion ?? `Check that ${host} is reachable from this machine and that the user may log in to it; or push the image yourself and rerun with --skip-image --image-tag TAG.`,
    };
  }
}

/** Throws one error listing every failure (nothing was written); returns quietly when all passed. */
export async function checkBeforeApply(w: Wizard, input: ApplyPreflightInput): Promise<void> {
  const failures = (await Promise.all([checkBatch(w, input), checkRegistry(w, input)])).filter((f): f is Failure => f !== null);
  if (failures.length === 0) return;
  for (const f of failures) {
    w.output.info(`${w.output.style.red('✖')} ${f.message}`);
    w.output.info(`  ${w.output.style.cyan('→')} ${f.fix}`);
  }
  const [first] = failures as [Failure, ...Failure[]];
  throw new UserError(first.kind, first.code, `Not applied: ${failures.map((f) => f.message).join(' ')} Nothing was changed and no file was written.`, {
    suggestion: failures.map((f) => f.fix).join(' '),
    details: { checks: failures.map(({ code, message, fix }) => ({ code, message, fix })) },
  });
}
