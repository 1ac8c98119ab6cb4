/**
 * Names of the objects each sync owns, shared by the CLI (src/plan/names.ts) and the worker (its outbox and
 * pending marker). The sync named `default` (the one sync of a project set up before several syncs existed,
 * or the first one of a new project) keeps the historic names, so its objects never move; any other sync gets
 * `<BASE>__<NAME>`. A sync name has no double underscore (SYNC_NAME_PATTERN) and no historic name has one, so
 * the split at the first `__` is unambiguous: two syncs never share a name, and no sync name collides with a
 * shared object (BATCH_SYNC_RUNS, BATCH_SYNC_POOL, …).
 */
export const DEFAULT_SYNC_NAME = 'default';

/** Lowercase letters, digits and single underscores, starting with a letter, at most 30 characters. */
export const SYNC_NAME_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
export const SYNC_NAME_MAX = 30;

export function syncNameProblem(name: string): string | null {
  if (name.length > SYNC_NAME_MAX) return `at most ${SYNC_NAME_MAX} characters`;
  if (!SYNC_NAME_PATTERN.test(name)) return 'lowercase letters, digits and single underscores, starting with a letter (e.g. customers, orders_eu)';
  return null;
}

/** The per-sync variant of a historic object name (unquoted, upper case). */
export function perSyncName(base: string, syncName: string): string {
  return syncName === DEFAULT_SYNC_NAME ? base : `${base}__${syncName.toUpperCase()}`;
}
