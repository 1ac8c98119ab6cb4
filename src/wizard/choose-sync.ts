/**
 * Which sync this `init` is about (several syncs per project, issue 16 §3): `--sync NAME` sets up NAME (added
 * when the project has no sync of that name, reconfigured otherwise), `--remove-sync NAME` removes one. Without
 * either: a new project's sync is `default`; on an existing project the wizard offers reconfigure / add /
 * remove, and without prompts a project of one sync reconfigures it (as before), one of several needs --sync.
 */
import { usageError } from '../../shared/errors.js';
import { DEFAULT_SYNC_NAME, syncNameProblem } from '../../shared/state/sync-names.js';
import type { ProjectConfig } from '../config/project-config.js';
import type { Wizard } from './context.js';

export type SyncChoice = { action: 'configure'; sync: string; isNew: boolean } | { action: 'remove'; sync: string };

export function checkSyncName(name: string, flag: string): string {
  const problem = syncNameProblem(name);
  if (problem) throw usageError('SYNC_NAME_INVALID', `${flag} "${name}": a sync name is ${problem}.`, { suggestion: `e.g. ${flag} customers` });
  return name;
}

export async function chooseSync(w: Wizard, flags: { sync?: string | undefined; removeSync?: string | undefined }, previous: ProjectConfig | null): Promise<SyncChoice> {
  const known = previous?.syncs.map((s) => s.name) ?? [];
  if (flags.removeSync !== undefined) {
    if (flags.sync !== undefined) throw usageError('SYNC_FLAGS_CONFLICT', 'Use either --sync or --remove-sync, not both.');
    return { action: 'remove', sync: checkSyncName(flags.removeSync, '--remove-sync') };
  }
  if (flags.sync !== undefined) {
    const sync = checkSyncName(flags.sync, '--sync');
    return { action: 'configure', sync, isNew: previous !== null && !known.includes(sync) };
  }
  if (!previous) return { action: 'configure', sync: DEFAULT_SYNC_NAME, isNew: false };
  if (!w.prompter) {
    if (known.length === 1) return { action: 'configure', sync: known[0]!, isNew: false };
    w.missing.push({ flag: '--sync NAME', what: `which sync to set up (${known.join(', ')}, or a new name)` });
    return { action: 'configure', sync: known[0]!, isNew: false };
  }
  const choice = await w.prompter.select<string>({
    message: `This project has ${known.length} sync(s). What do you want to do?`,
    choices: [
      ...known.map((name) => ({ name: `Reconfigure sync ${name}`, value: `configure:${name}` })),
      { name: 'Add a sync', value: 'add' },
      ...(known.length > 1 ? [{ name: 'Remove a sync', value: 'remove' }] : []),
    ],
  });
  if (choice.startsWith('configure:')) return { action: 'configure', sync: choice.slice('configure:'.length), isNew: false };
  if (choice === 'remove') {
    const sync = await w.prompter.select<string>({ message: 'Remove which sync (its stream, task, marker and outbox are dropped; the others are untouched)?', choices: known.map((name) => ({ name, value: name })) });
    return { action: 'remove', sync };
  }
  const name = await w.prompter.input({
    message: 'Name of the new sync (lowercase, e.g. orders)',
    validate: (value: string) => (known.includes(value) ? `a sync named ${value} exists already` : (syncNameProblem(value) ?? true)),
  });
  return { action: 'configure', sync: checkSyncName(name, 'sync name'), isNew: true };
}
