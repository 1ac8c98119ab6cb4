/**
 * Infrastructure the job needs: image repository, compute pool, network rule + external access integration
 * for the Batch API host, and the Batch credentials (a SECRET by default, or the seed's credentials table).
 * Existing objects are reused; we only alter objects that batch-snowflake created itself.
 */
import { usageError } from '../../shared/errors.js';
import { sameName, type NameParts } from '../../shared/sql/identifiers.js';
import { SECRET_PLACEHOLDER } from './secret-slots.js';
import type { InitAnswers } from '../config/answers.js';
import { OBJECT_COMMENT, PlanBuilder, show, sqlStep } from './builder.js';
import type { LiveState } from './live-state.js';
import type { ResolvedNames } from './names.js';
import * as need from './requirements.js';
import type { ObjectRef } from './types.js';

export interface InfraContext {
  answers: InitAnswers;
  names: ResolvedNames;
  live: LiveState;
  /** Did a previous init create this object (batch-snowflake.json `created`)? */
  createdBefore: (object: ObjectRef) => boolean;
  /** The executor has the REST API key in hand (env, stdin or prompt) to store or rotate. */
  apiKeyProvided: boolean;
  /** Project key of the previous run, to update the credentials table when it changed. */
  previousProjectKey: string | undefined;
}

const withPort = (host: string): string => (/:\d+$/.test(host) ? host : `${host}:443`);

function planImageRepository({ names, live }: InfraContext, plan: PlanBuilder): void {
  const name = names.imageRepository;
  if (live.imageRepository) return plan.keep(`image repository ${show(name)}`);
  plan.add(sqlStep({ id: 'image-repository', action: 'create', object: { type: 'IMAGE REPOSITORY', name }, summary: `image repository ${show(name)}`, template: 'image-repository', data: { name, comment: OBJECT_COMMENT }, requires: need.forImageRepository(names) }));
}

function planComputePool({ answers, names, live, createdBefore }: InfraContext, plan: PlanBuilder): void {
  const name = names.computePool;
  const object: ObjectRef = { type: 'COMPUTE POOL', name };
  const pool = live.computePool;
  if (!pool) {
    plan.add(sqlStep({ id: 'compute-pool', action: 'create', object, summary: `compute pool ${show(name)} (${answers.instanceFamily}, 1 node, suspends after ${answers.autoSuspendSecs} s idle)`, template: 'compute-pool', data: { name, instanceFamily: answers.instanceFamily, autoSuspendSecs: answers.autoSuspendSecs, comment: OBJECT_COMMENT }, requires: need.forComputePool(names) }));
    return;
  }
  if (createdBefore(object) && pool.autoSuspendSecs !== answers.autoSuspendSecs) {
    plan.add(sqlStep({ id: 'compute-pool', action: 'change', object, summary: `compute pool ${show(name)} AUTO_SUSPEND_SECS ${pool.autoSuspendSecs} → ${answers.autoSuspendSecs}`, template: 'compute-pool-alter', data: { name, autoSuspendSecs: answers.autoSuspendSecs }, requires: need.forOwner('COMPUTE POOL', name, 'alter') }));
    return;
  }
  plan.keep(`compute pool ${show(name)} (${pool.instanceFamily})`);
  if (!createdBefore(object) && (pool.autoSuspendSecs === 0 || pool.autoSuspendSecs > 3600)) {
    plan.note(`Compute pool ${show(name)} suspends after ${pool.autoSuspendSecs || 'never'} s idle; an hourly job may keep it running (and billed) all the time (§2.2).`);
  }
}

function planNetwork({ answers, names, live, createdBefore }: InfraContext, plan: PlanBuilder): void {
  const hosts = [withPort(answers.batchApiHost)];
  const rule = names.networkRule;
  const ruleRef: ObjectRef = { type: 'NETWORK RULE', name: rule };
  if (!live.networkRule) {
    plan.add(sqlStep({ id: 'network-rule', action: 'create', object: ruleRef, summary: `network rule ${show(rule)} (egress to ${hosts.join(', ')})`, template: 'network-rule', data: { alter: false, name: rule, hosts, comment: OBJECT_COMMENT }, requires: need.forNetworkRule(names) }));
  } else if (!hosts.every((h) => live.networkRule?.valueList.map(withPort).includes(h))) {
    plan.add(sqlStep({ id: 'network-rule', action: 'change', object: ruleRef, summary: `network rule ${show(rule)} allows ${hosts.join(', ')}`, template: 'network-rule', data: { alter: true, name: rule, hosts, comment: OBJECT_COMMENT }, requires: need.forOwner('NETWORK RULE', rule, 'alter') }));
  } else plan.keep(`network rule ${show(rule)}`);

  const integration = names.integration;
  const ref: ObjectRef = { type: 'INTEGRATION', name: integration };
  const data = { name: integration, rules: [rule], secrets: [], comment: OBJECT_COMMENT };
  const current = live.integration;
  if (!current) {
    plan.add(sqlStep({ id: 'integration', action: 'create', object: ref, summary: `external access integration ${show(integration)}`, template: 'integration', data: { ...data, replace: false }, requires: need.forIntegration(names) }));
    return;
  }
  if (current.enabled && current.allowedNetworkRules.some((r) => sameName(r, rule))) return plan.keep(`external access integration ${show(integration)}`);
  if (!createdBefore(ref)) {
    throw usageError('INTEGRATION_CONFLICT', `The external access integration ${show(integration)} exists but does not allow network rule ${show(rule)} (or is disabled), and batch-snowflake did not create it.`, {
      suggestion: `Choose another integration name (names.integration in batch-snowflake.json), or ask its owner to run: ALTER EXTERNAL ACCESS INTEGRATION ${show(integration)} SET ALLOWED_NETWORK_RULES = (${show(rule)}) ENABLED = TRUE;`,
    });
  }
  plan.add(sqlStep({ id: 'integration', action: 'change', object: ref, summary: `external access integration ${show(integration)} (allow ${show(rule)})`, template: 'integration', data: { ...data, replace: true }, requires: need.forIntegration(names) }));
}

function planCredentials(ctx: InfraContext, plan: PlanBuilder): void {
  const { answers, names, live } = ctx;
  if (answers.credentials === 'secret') {
    const name = names.secret;
    const object: ObjectRef = { type: 'SECRET', name };
    if (!live.secret) {
      plan.add(sqlStep({ id: 'secret', action: 'create', object, summary: `secret ${show(name)} (Batch REST API key)`, template: 'secret', data: { name, placeholder: SECRET_PLACEHOLDER.BATCH_REST_API_KEY, comment: OBJECT_COMMENT }, requires: need.forSecret(names) }, { secretSlots: ['BATCH_REST_API_KEY'] }));
    } else if (ctx.apiKeyProvided) {
      plan.add(sqlStep({ id: 'secret', action: 'change', object, summary: `secret ${show(name)} (new Batch REST API key)`, template: 'secret-update', data: { name, placeholder: SECRET_PLACEHOLDER.BATCH_REST_API_KEY }, requires: need.forOwner('SECRET', name, 'alter') }, { secretSlots: ['BATCH_REST_API_KEY'] }));
    } else plan.keep(`secret ${show(name)}`);
    return;
  }
  const name: NameParts = names.credentialsTable;
  const object: ObjectRef = { type: 'TABLE', name };
  if (!live.credentialsTable) {
    plan.add(sqlStep({ id: 'credentials-table', action: 'create', object, summary: `credentials table ${show(name)}`, template: 'credentials-table', data: { name, comment: OBJECT_COMMENT }, requires: need.forCredentialsTable(names) }));
  }
  const projectKeyChanged = ctx.previousProjectKey !== undefined && ctx.previousProjectKey !== answers.projectKey;
  if (!live.credentialsTable || ctx.apiKeyProvided || projectKeyChanged) {
    plan.add(sqlStep({ id: 'credentials-row', action: 'change', object, summary: `credentials row for project ${answers.projectKey} in ${show(name)}`, template: 'credentials-upsert', data: { name }, requires: need.forCredentialsRow(names) }, { binds: [{ value: answers.projectKey }, { secret: 'BATCH_REST_API_KEY' }] }));
  } else plan.keep(`credentials table ${show(name)}`);
}

export function planInfrastructure(ctx: InfraContext, plan: PlanBuilder): void {
  planImageRepository(ctx, plan);
  planComputePool(ctx, plan);
  planNetwork(ctx, plan);
  planCredentials(ctx, plan);
}
