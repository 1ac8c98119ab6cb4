/**
 * Waits on a condition, never on time: polls `probe` until it returns a truthy value (returned) and fails with
 * what was awaited once `timeoutMs` has passed.
 */
export async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
