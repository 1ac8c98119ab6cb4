/**
 * Waits `ms`, or less when `signal` aborts; never rejects (unlike timers/promises' setTimeout, which throws on
 * abort): loops that poll until stopped check the signal themselves afterwards.
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
