/**
 * Shared plumbing of the planners: a step collector and the comment fingerprints that let a rerun tell
 * "unchanged" from "changed" without comparing SQL text Snowflake may have normalised.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_SYNC_NAME } from '../../shared/state/sync-names.js';
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
  /** Arrays are shared with the scopes made by forSync (one plan, many syncs). */
  constructor(
    readonly steps: PlanStep[] = [],
    readonly unchanged: string[] = [],
    readonly notes: string[] = [],
  ) {}

  add(step: PlanStep): void {
    if (this.has(step.id)) throw new Error(`internal: duplicate plan step id ${step.id}`);
    this.steps.push(step);
  }

  has(id: string): boolean {
    return this.steps.some((s) => s.id === id);
  }

  keep(summary: string): void {
    this.unchanged.push(summary);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /**
   * The same plan seen from one sync (several syncs per project): step ids get `@<sync>` (except for the sync
   * named default, whose ids stay as they always were), lines a `[sync] ` prefix when `label`. Change tracking
   * on a base table is the table's, not the sync's: planned once, whichever sync reads it first.
   */
  forSync(sync: string, label: boolean): PlanBuilder {
    return new SyncScope(this, sync, label);
  }
}

/** Strips the sync suffix of a step id: `task@orders` → `task`. */
export const baseStepId = (id: string): string => (id.startsWith('change-tracking:') ? id : id.replace(/@[a-z0-9_]+$/, ''));

/** The sync a step id belongs to (`task@orders` → orders), or null (default sync or shared step). */
export const stepSync = (id: string): string | null => (id.startsWith('change-tracking:') ? null : (/@([a-z0-9_]+)$/.exec(id)?.[1] ?? null));

class SyncScope extends PlanBuilder {
  constructor(
    private readonly parent: PlanBuilder,
    private readonly sync: string,
    private readonly label: boolean,
  ) {
    super(parent.steps, parent.unchanged, parent.notes);
  }

  private id(id: string): string {
    return id.startsWith('change-tracking:') || this.sync === DEFAULT_SYNC_NAME ? id : `${id}@${this.sync}`;
  }

  private line(text: string): string {
    return this.label ? `[${this.sync}] ${text}` : text;
  }

  override add(step: PlanStep): void {
    if (step.id.startsWith('change-tracking:') && this.parent.has(step.id)) return;
    this.parent.add({ ...step, id: this.id(step.id), summary: this.line(step.summary) });
  }

  override has(id: string): boolean {
    return this.parent.has(this.id(id));
  }

  override keep(summary: string): void {
    this.parent.keep(this.line(summary));
  }

  override note(text: string): void {
    this.parent.note(this.line(text));
  }
}
