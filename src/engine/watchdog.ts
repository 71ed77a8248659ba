/**
 * The hard end of a run: never longer than planned + gracefulStop (+ a margin for the workers' own
 * bookkeeping). A worker stuck in synchronous scenario code never reaches its own hard end; this
 * cuts it off from the main thread.
 */
export const WATCHDOG_MARGIN_MS = 3000;

/** Calls `onFire` at `deadlineMs` (epoch ms) plus the margin unless disarmed first. */
export function armWatchdog(deadlineMs: number, onFire: () => void): () => void {
  const timer = setTimeout(onFire, Math.max(0, deadlineMs + WATCHDOG_MARGIN_MS - Date.now()));
  return () => clearTimeout(timer);
}
