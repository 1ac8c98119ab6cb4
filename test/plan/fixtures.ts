/**
 * Test fixtures for the planner: representative answers, and `applyToLive`, which derives the live state an
 * account would show after a plan was applied (what introspection would read back on the next run).
 */
import type { InitAnswersInput } from '../../src/config/answers.js';
import type { LiveState } from '../../src/plan/live-state.js';
import type { Plan } from '../../src/plan/types.js';

export const BASE_ANSWERS = {
  target: 'ANALYTICS.BATCH_SYNC',
  source: { kind: 'select', sql: 'SELECT user_id, email, signup_date, homepage FROM ANALYTICS.PUBLIC.USERS', viewName: 'BATCH_SYNC_VIEW' },
  idColumn: 'USER_ID',
  dateColumns: ['SIGNUP_DATE'],
  urlColumns: ['HOMEPAGE'],
  projectKey: 'PROJECT_KEY_1',
  warehouse: 'COMPUTE_WH',
  role: 'BATCH_SYNC_ROLE',
  imageTag: '0.1.0',
} satisfies InitAnswersInput;

export const FRESH_ACCOUNT: LiveState = {
  baseTables: [{ name: ['ANALYTICS', 'PUBLIC', 'USERS'], changeTracking: false }],
  stateTables: [],
};

function commentOf(sql: string): string {
  const match = /COMMENT = '([^']*)'/.exec(sql);
  if (!match?.[1]) throw new Error(`no comment in ${sql}`);
  return match[1];
}

/** The live state after `plan` ran on `before` (only what the planner compares). */
export function applyToLive(before: LiveState, plan: Plan): LiveState {
  const live: LiveState = structuredClone(before);
  for (const step of plan.steps) {
    if (step.kind === 'task-resume' && live.task) live.task = { ...live.task, state: 'started', lastSuspendedReason: null };
    if (step.kind === 'docker-push') live.imageRepository = { url: live.imageRepository?.url ?? 'org-acct.registry.example/x', imageTags: [...(live.imageRepository?.imageTags ?? []), step.image.tag] };
    if (step.kind !== 'sql') continue;
    const name = step.object.name.join('.');
    switch (step.id.split(':')[0]) {
      case 'schema':
        live.targetSchema = {};
        break;
      case 'change-tracking':
        live.baseTables = live.baseTables.map((t) => (t.name.join('.') === step.object.name.join('.') ? { ...t, changeTracking: true } : t));
        break;
      case 'view':
        live.view = { comment: commentOf(step.sql), changeTracking: true };
        live.baseTables = live.baseTables.map((t) => ({ ...t, changeTracking: true }));
        break;
      case 'view-change-tracking':
        live.view = { comment: live.view?.comment ?? null, changeTracking: true };
        break;
      case 'pending-table':
        live.pendingTable = {};
        break;
      case 'pending-stream':
        live.pendingStream = { stale: false };
        break;
      case 'stream': {
        const view = /ON VIEW (\S+)/.exec(step.sql)?.[1] ?? '';
        live.stream = { source: view, stale: false };
        break;
      }
      case 'image-repository':
        live.imageRepository = { url: `org-acct.registry.example/${name.toLowerCase().replaceAll('.', '/')}`, imageTags: [] };
        break;
      case 'compute-pool':
        live.computePool = { autoSuspendSecs: Number(/AUTO_SUSPEND_SECS = (\d+)/.exec(step.sql)?.[1]), instanceFamily: 'CPU_X64_XS' };
        break;
      case 'network-rule':
        live.networkRule = { valueList: [...step.sql.matchAll(/'([^']+:\d+)'/g)].map((m) => m[1] as string) };
        break;
      case 'integration':
        live.integration = { enabled: true, allowedNetworkRules: [/ALLOWED_NETWORK_RULES = \(([^)]+)\)/.exec(step.sql)?.[1] ?? ''] };
        break;
      case 'secret':
        live.secret = {};
        break;
      case 'credentials-table':
        live.credentialsTable = {};
        break;
      case 'task':
        live.task = { state: 'suspended', comment: commentOf(step.sql), lastSuspendedReason: null };
        break;
      case 'task-drop':
        delete live.task;
        break;
      case 'service':
        live.service = { status: 'RUNNING', comment: commentOf(step.sql) };
        break;
      case 'service-drop':
        delete live.service;
        break;
    }
  }
  return live;
}
