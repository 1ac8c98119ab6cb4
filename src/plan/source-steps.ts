/**
 * The data source: change tracking on the base tables, the view (existing, or made from the user's SELECT),
 * and the stream on it. A stream on a view breaks when the view is replaced (§1.3) and a stale stream must be
 * recreated (§1.6); recreating resets the offset, so those steps are flagged destructive.
 */
import { sameName } from '../../shared/sql/identifiers.js';
import { checkViewSelect, streamUnsupportedConstructs } from './view-select.js';
import { usageError } from '../../shared/errors.js';
import type { InitAnswers } from '../config/answers.js';
import { isOurComment, OBJECT_COMMENT, PlanBuilder, show, sqlStep, withFingerprint } from './builder.js';
import type { LiveState } from './live-state.js';
import type { ResolvedNames } from './names.js';
import { forCreateView, forStream, forTableChangeTracking, forViewChangeTracking } from './requirements.js';

function planChangeTracking(names: ResolvedNames, live: LiveState, plan: PlanBuilder): void {
  for (const table of live.baseTables) {
    if (table.changeTracking) continue;
    plan.add(
      sqlStep({
        id: `change-tracking:${show(table.name)}`,
        action: 'change',
        object: { type: 'TABLE', name: table.name },
        summary: `change tracking on table ${show(table.name)}`,
        template: 'table-change-tracking',
        data: { name: table.name, off: false },
        requires: forTableChangeTracking(table.name),
      }),
    );
  }
  if (live.baseTables.length > 0 && live.baseTables.every((t) => t.changeTracking)) {
    plan.keep(`change tracking on the ${live.baseTables.length} base table(s) of ${show(names.view)}`);
  }
}

/** Returns why the stream must be recreated because of the view, or null. */
function planView(answers: InitAnswers, names: ResolvedNames, live: LiveState, plan: PlanBuilder): string | null {
  const source = answers.source;
  if (source.kind === 'view') {
    if (!live.view) plan.note(`View ${show(names.view)} was not found (or is not visible to the role); the stream step will fail without it.`);
    else if (!live.view.changeTracking) {
      plan.add(
        sqlStep({
          id: 'view-change-tracking',
          action: 'change',
          object: { type: 'VIEW', name: names.view },
          summary: `change tracking on view ${show(names.view)}`,
          template: 'view-change-tracking',
          data: { name: names.view, off: false },
          requires: forViewChangeTracking(names.view),
        }),
      );
    } else plan.keep(`view ${show(names.view)} (change tracking on)`);
    return null;
  }
  const checked = checkViewSelect(source.sql);
  const render = (replace: boolean) => (comment: string) =>
    sqlStep({
      id: 'view', action: 'create', object: { type: 'VIEW', name: names.view }, summary: '', template: 'view',
      data: { replace, name: names.view, comment, select: checked.sql }, requires: [],
    }).sql;
  const { comment } = withFingerprint(render(false));
  if (live.view && live.view.comment === comment) {
    plan.keep(`view ${show(names.view)}`);
    return null;
  }
  const replace = live.view !== undefined;
  const foreign = replace && !isOurComment(live.view?.comment);
  plan.add(
    sqlStep({
      id: 'view',
      action: replace ? 'change' : 'create',
      object: { type: 'VIEW', name: names.view },
      summary: replace ? `view ${show(names.view)} (new SELECT)` : `view ${show(names.view)}`,
      template: 'view',
      data: { replace, name: names.view, comment, select: checked.sql },
      requires: forCreateView(names.view, live.baseTables.map((t) => t.name)),
      ...(foreign
        ? { destructive: true, warning: `view ${show(names.view)} exists and was not created by batch-snowflake; it will be replaced` }
        : {}),
    }),
  );
  return replace ? `the view ${show(names.view)} is replaced, which breaks the stream on it` : null;
}

function planStream(answers: InitAnswers, names: ResolvedNames, live: LiveState, viewReason: string | null, plan: PlanBuilder): void {
  const summary = `stream ${show(names.stream)} on view ${show(names.view)}`;
  const data = { name: names.stream, view: names.view, initialRows: answers.initialSync, appendOnly: answers.kind === 'event', comment: OBJECT_COMMENT };
  if (!live.stream) {
    const backfill = answers.initialSync ? ' (first run sends every existing row)' : '';
    plan.add(sqlStep({ id: 'stream', action: 'create', object: { type: 'STREAM', name: names.stream }, summary: summary + backfill, template: 'stream', data: { ...data, replace: false }, requires: forStream(names) }));
    return;
  }
  const reason =
    viewReason ??
    (!sameName(live.stream.source, names.view) ? `the stream reads ${live.stream.source}, not ${show(names.view)}` : null) ??
    (live.stream.stale ? 'the stream is stale (unread longer than the retention period)' : null) ??
    // APPEND_ONLY cannot be changed on an existing stream (CREATE OR ALTER STREAM, reference §1.1).
    (live.stream.mode !== undefined && (live.stream.mode === 'APPEND_ONLY') !== (answers.kind === 'event')
      ? `the stream is ${live.stream.mode}, an ${answers.kind} sync needs ${answers.kind === 'event' ? 'APPEND_ONLY' : 'DEFAULT'}`
      : null);
  if (!reason) {
    plan.keep(summary);
    return;
  }
  const effect = answers.initialSync
    ? 'and every row of the view is sent again on the next run (full resync)'
    : 'and changes made before the recreation are not sent';
  plan.add(
    sqlStep({
      id: 'stream',
      action: 'change',
      object: { type: 'STREAM', name: names.stream },
      summary: `${summary} (recreated)`,
      template: 'stream',
      data: { ...data, replace: true },
      requires: forStream(names),
      destructive: true,
      warning: `${reason}: recreating the stream drops its unread changes ${effect}`,
    }),
  );
}

/**
 * A stream that is to be created on a view it cannot track would fail at that step, after the schema and
 * more were created: refuse now, with the construct and the fix (issue 12 §2). The existing view's text is
 * SHOW VIEWS `text`; "nested views … are supported as long as the fully expanded query satisfies the other
 * requirements" (streams-intro), so the views it reads (live.viewChain) are checked too.
 */
function requireStreamableView(answers: InitAnswers, names: ResolvedNames, live: LiveState): void {
  const own = { what: answers.source.kind === 'select' ? 'The SELECT of --view-sql' : `View ${show(names.view)}`, sql: answers.source.kind === 'select' ? answers.source.sql : live.view?.text };
  const nested = (live.viewChain ?? []).map((v) => ({ what: `View ${show(names.view)} reads view ${show(v.name)}, which`, sql: v.text }));
  const offender = [own, ...nested].map((v) => ({ ...v, found: v.sql ? streamUnsupportedConstructs(v.sql) : [] })).find((v) => v.found.length > 0);
  if (!offender) return;
  const { what, found } = offender;
  throw usageError('VIEW_NOT_STREAMABLE', `${what} uses ${found.join(', ')}, which streams on views do not support, so the stream the sync reads cannot be created.`, {
    suggestion: 'Sync a view without these (projections, filters, inner joins and UNION ALL only — e.g. move the aggregation or deduplication into a table refreshed by a task or a dynamic table, and sync a plain view on it), then rerun batch-snowflake init.',
    details: { view: show(names.view), unsupported: found, docs: 'https://docs.snowflake.com/en/user-guide/streams-intro' },
  });
}

export function planSource(answers: InitAnswers, names: ResolvedNames, live: LiveState, plan: PlanBuilder): void {
  planChangeTracking(names, live, plan);
  const viewReason = planView(answers, names, live, plan);
  planStream(answers, names, live, viewReason, plan);
  if (plan.has('stream')) requireStreamableView(answers, names, live);
}
