/**
 * The simulated clock: a day that starts at `start` (HH:MM) and runs `speed` times faster than the wall
 * clock. Pure arithmetic over an injected wall clock, so rules and tests never wait for real time.
 *
 * The one rule for a time of day written HH:MM (the portal's --clock and booking window, the toolkit's
 * profiles and flags): hours 0–23 in one or two digits, minutes in two. It lives here because the portal
 * imports nothing from the toolkit's src/; src/contracts/clock.ts reads times with this function.
 */
export interface SimClock {
  /** simulated milliseconds since simulated midnight */
  nowMs(): number;
  speed: number;
  /**
   * Read `simMs` at wall time `atWallMs` from now on (a load generator's common start: its second 0 at
   * the plan's first time, whatever setup and warm-up took before it). Earlier wall times read earlier.
   */
  align(simMs: number, atWallMs: number): void;
}

const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "HH:MM" → minutes since midnight, or null when it is not a time of day. */
export function clockMinutes(text: string): number | null {
  const m = HH_MM.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function parseHHMM(s: string): number {
  const minutes = clockMinutes(s);
  if (minutes === null) throw new Error(`invalid time: expected HH:MM (00:00–23:59), got ${JSON.stringify(s)}`);
  return minutes * 60_000;
}
export function formatHHMMSS(simMs: number): string {
  const total = Math.floor(simMs / 1000);
  const h = Math.floor(total / 3600) % 24, m = Math.floor(total / 60) % 60, s = total % 60;
  return [h, m, s].map((x) => String(x).padStart(2, '0')).join(':');
}

export function createSimClock(startSimMs: number, speed: number, wallNow: () => number = Date.now): SimClock {
  let sim0 = startSimMs;
  let wall0 = wallNow();
  return {
    speed,
    // never before midnight of the first day: an alignment made just after a midnight start
    nowMs: () => Math.max(0, sim0 + (wallNow() - wall0) * speed),
    align(simMs, atWallMs) { sim0 = simMs; wall0 = atWallMs; },
  };
}

export interface BookingWindow { opensMs: number; closesMs: number }

/** Inside [opens, closes) of the simulated day (days after the first wrap around). */
export function isOpen(simMs: number, w: BookingWindow): boolean {
  const t = simMs % 86_400_000;
  return t >= w.opensMs && t < w.closesMs;
}
