/**
 * Runs `run` once the browser has nothing more pressing, and at most `timeoutMs` later: work the
 * screen will need soon but that must not delay what it shows now (bench:ui).
 */
export function whenIdle(run: () => void, timeoutMs = 2_000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: timeoutMs });
  else setTimeout(run, 0);
}
