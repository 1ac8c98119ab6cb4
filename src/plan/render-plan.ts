/**
 * Three views of a plan: a terraform-style summary (`+` create, `~` change, `-` drop, `!` destructive), the
 * full SQL and docker commands for --dry-run, and a stable JSON form for --json. None can contain a secret:
 * plans only hold placeholders (src/plan/secret-slots.ts).
 */
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { displayBind } from './secret-slots.js';
import { WEBHOOK_TEST_TIMEOUT_SECONDS } from './alert-steps.js';
import type { ImageRef, Plan, PlanStep, StepAction } from './types.js';

const SYMBOL: Record<StepAction, string> = { create: '+', change: '~', drop: '-' };

export function countActions(plan: Plan): Record<StepAction, number> {
  const counts: Record<StepAction, number> = { create: 0, change: 0, drop: 0 };
  for (const step of plan.steps) counts[step.action] += 1;
  return counts;
}

export function renderPlanSummary(plan: Plan): string {
  const lines: string[] = [];
  if (plan.steps.length === 0) lines.push('No changes: everything is already set up as requested.');
  else {
    const c = countActions(plan);
    lines.push(`Plan: ${c.create} to create, ${c.change} to change, ${c.drop} to drop.`);
    for (const step of plan.steps) {
      lines.push(`  ${SYMBOL[step.action]}${step.destructive ? '!' : ' '} ${step.summary}`);
      if (step.warning) lines.push(`       ${step.destructive ? 'destructive: ' : ''}${step.warning}`);
      if (step.kind === 'resync') for (const change of step.changes) lines.push(`      ${change.symbol} ${change.text}`);
    }
  }
  if (plan.unchanged.length > 0) {
    lines.push(`  = ${plan.unchanged.length} unchanged: ${plan.unchanged.join('; ')}`);
  }
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** `<repository_url>/<name>:<tag>`, or a placeholder when the repository does not exist yet. */
export function imageReference(image: ImageRef): string {
  const base = image.repositoryUrl ?? `<repository_url of ${renderQualifiedName(image.repository)}>`;
  return `${base}/${image.name}:${image.tag}`;
}

/** Registry host for docker login: lowercase, or Docker stores credentials under a different key (§2.4). */
export function registryHost(image: ImageRef): string {
  return image.repositoryUrl ? (image.repositoryUrl.split('/')[0] as string).toLowerCase() : `<registry host of ${renderQualifiedName(image.repository)}>`;
}

function stepText(step: PlanStep): string {
  switch (step.kind) {
    case 'sql': {
      const binds = step.binds?.length ? `\n-- binds: ${step.binds.map(displayBind).join(', ')}` : '';
      return `${step.sql};${binds}`;
    }
    case 'docker-build':
      // What works when pasted, from a clone or an npm install alike: stage the context, then build there.
      return `batch-snowflake image build --tag ${step.image.tag} --context-dir ./batch-snowflake-image\n` +
        `(cd ./batch-snowflake-image && docker build --platform ${step.platform} --network none -f Dockerfile -t ${imageReference(step.image)} .)`;
    case 'docker-login':
      return `docker login ${registryHost(step.image)} --username 0sessiontoken --password-stdin\n# the session token of this connection is passed on stdin, never as an argument (read again right before the push)`;
    case 'docker-push':
      return `docker push ${imageReference(step.image)}`;
    case 'task-resume':
    case 'run-now':
      return `${step.sql};`;
    case 'notify-test':
      return `${step.sendSql};\n-- then, until the test message is delivered (SUCCESS) or failed (FAILURE), read every few seconds (at most ${WEBHOOK_TEST_TIMEOUT_SECONDS} s):\n${step.historySql};`;
    case 'resync':
      return step.statements.map((s) => `${s.sql};${s.binds.length > 0 ? `\n-- binds: ${s.binds.map((b) => JSON.stringify(b)).join(', ')}` : ''}`).join('\n');
  }
}

/** Everything the plan would run, in order: what --dry-run prints. */
export function renderPlanSql(plan: Plan): string {
  if (plan.steps.length === 0) return '-- No changes: everything is already set up as requested.\n';
  const blocks = plan.steps.map((step, i) => {
    const header = `-- [${i + 1}/${plan.steps.length}] ${SYMBOL[step.action]} ${step.summary}`;
    const warning = step.warning ? `\n-- ${step.destructive ? 'DESTRUCTIVE: ' : ''}${step.warning}` : '';
    return `${header}${warning}\n${stepText(step)}`;
  });
  return `${blocks.join('\n\n')}\n`;
}

export interface PlanJson {
  command: Plan['command'];
  counts: Record<StepAction, number>;
  steps: Array<PlanStep & { text: string }>;
  unchanged: string[];
  notes: string[];
  imageTag: string | null;
}

/** Stable JSON for --json: the plan plus, per step, the exact text --dry-run prints. */
export function planToJson(plan: Plan): PlanJson {
  return {
    command: plan.command,
    counts: countActions(plan),
    steps: plan.steps.map((step) => ({ ...step, text: stepText(step) })),
    unchanged: plan.unchanged,
    notes: plan.notes,
    imageTag: plan.imageTag,
  };
}
