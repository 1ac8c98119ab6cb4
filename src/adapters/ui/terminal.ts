/**
 * Facts about the terminal that decide prompts, colours and spinners. Kept free of imports so the CLI's
 * startup path (`--help`, `--version`) stays light.
 */

/** CI is set to anything but "", "0" or "false" (GitHub Actions, GitLab, CircleCI... all set CI=true). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** NO_COLOR set to a non-empty value turns colours off (no-color.org). */
export function noColorRequested(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? '') !== '';
}

/**
 * Colour level for a stream: NO_COLOR wins, then FORCE_COLOR (0-3, "true"/"false"), then no colours unless
 * the stream is a TTY and TERM is not "dumb"; on a TTY, `detected` is chalk's level for the real stderr.
 */
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean, detected: number): 0 | 1 | 2 | 3 {
  if (noColorRequested(env)) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force.toLowerCase() === 'false') return 0;
    const forced = Number(force);
    return forced === 2 || forced === 3 ? forced : 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return detected === 2 || detected === 3 ? detected : 1;
}
