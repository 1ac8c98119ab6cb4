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
