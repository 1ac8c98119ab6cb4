/**
 * Every command, in the order `--help` lists them. To add one: declare it with defineCommand() in a file
 * of this folder, list it here, and implement `run()` in src/commands/<name>.ts (see ../command-spec.ts).
 */
import type { CommandSpec } from '../command-spec.js';
import { imageBuildCommand } from './image.js';
import { initCommand } from './init.js';
import { pauseCommand, resumeCommand, uninstallCommand } from './lifecycle.js';
import { logsCommand, runCommand, statusCommand, syncCommand, verifyCommand } from './operate.js';

export const COMMANDS: readonly CommandSpec[] = [initCommand, statusCommand, runCommand, syncCommand, verifyCommand, logsCommand, pauseCommand, resumeCommand, uninstallCommand, imageBuildCommand];
