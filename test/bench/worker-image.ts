/**
 * Image size for bench:worker: the worker image's uncompressed size as docker reports it, and what makes it
 * up (base image vs the layers the worker adds). Skipped, with the reason printed, when no image is built.
 */
import { execFileSync } from 'node:child_process';

type Print = (line: string) => void;

function docker(args: string[]): string | null {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return null;
  }
}

export function imageFigures(print: Print): { image: string; sizeMb: number; baseMb: number | null } | null {
  const listed = docker(['images', '--format', '{{.Repository}}:{{.Tag}}']);
  const first = listed?.split('\n').find((line) => /(^|\/)batch-snowflake-worker:/.test(line));
  if (!first) {
    print('image: no batch-snowflake-worker image on this machine (build one with `batch-snowflake image build`); size not measured');
    return null;
  }
  const image = first.split(' ')[0]!;
  const bytes = Number(docker(['image', 'inspect', image, '--format', '{{.Size}}']));
  const base = Number(docker(['image', 'inspect', 'batch-snowflake/node-base:local', '--format', '{{.Size}}']));
  const sizeMb = Math.round(bytes / 1e6);
  const baseMb = Number.isFinite(base) && base > 0 ? Math.round(base / 1e6) : null;
  print(`image: ${image} ${sizeMb} MB uncompressed (goal <= 200 MB)${baseMb === null ? '' : `, of which the Node base image ${baseMb} MB and the worker's layers (node_modules, dist) ${sizeMb - baseMb} MB`}`);
  return { image, sizeMb, baseMb };
}
