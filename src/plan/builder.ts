/**
 * Shared plumbing of the planners: a step collector and the comment fingerprints that let a rerun tell
 * "unchanged" from "changed" without comparing SQL text Snowflake may have normalised.
 */
import { createHash } from 'node:crypto';
import { renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import { renderTemplate, type TemplateName } from './sql-templates.js';
import type { Privilege } from './types.js';
import type { ObjectRef, PlanStep, SqlStep, StepAction } from './types.js';

/** Comment on every object we create; fingerprinted comments start with it too. */
export const OBJECT_COMMENT = 'created by batch-snowflake';

/**
 * Renders a statement whose COMMENT carries a hash of the statement itself (rendered with the bare prefix):
 * the object is unchanged iff SHOW … `comment` equals the returned comment.
 */
export function withFingerprint(render: (comment: string) => string): { sql: string; comment: string } {
  const hash = createHash('sha256').update(render(OBJECT_COMMENT)).digest('hex').slice(0, 16);
  const comment = `${OBJECT_COMMENT} sha256:${hash}`;
  return { sql: render(comment), comment };
}

export const isOurComment = (comment: string | null | undefined): boolean => (comment ?? '').startsWith(OBJECT_COMMENT);

export const show = (parts: NameParts): string => renderQualifiedName(parts);

export interface SqlStepInput {
  id: string;
  action: StepAction;
  object: ObjectRef;
  summary: string;
  template: TemplateName;
  data: Record<string, unknown>;
  requires: Privilege[];
  destructive?: boolean;
  warning?: string;
}

export function sqlStep(input: SqlStepInput, extra: Pick<SqlStep, 'binds' | 'secretSlots'> = {}): SqlStep {
  const { template, data, destructive, warning, ...rest } = input;
  return {
    kind: 'sql',
    ...rest,
    ...(destructive ? { destructive } : {}),
    ...(warning ? { warning } : {}),
    sql: renderTemplate(template, data),
    ...extra,
  };
}

export class PlanBuilder {
  readonly steps: PlanStep[] = [];
  readonly unchanged: string[] = [];
  readonly notes: string[] = [];

  add(step: PlanStep): void {
    if (this.steps.some((s) => s.id === step.id)) throw new Error(`internal: duplicate plan step id ${step.id}`);
    this.steps.push(step);
  }

  keep(summary: string): void {
    this.unchanged.push(summary);
  }

  note(text: string): void {
    this.notes.push(text);
  }
}
