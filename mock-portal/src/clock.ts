/**
 * The simulated clock: a day that starts at `start` (HH:MM) and runs `speed` times faster than the wall
 * clock. Pure arithmetic over an injected wall clock, so rules and tests never wait for real time.
 */
export interface SimClock {
  /** simulated milliseconds since simulated midnight */
  nowMs(): number;
  speed: number;
}

export function parseHHMM(s: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) throw new Error(`invalid time: expected HH:MM, got ${JSON.stringify(s)}`);
  return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

export function formatHHMMSS(simMs: number): string {
  const total = Math.floor(simMs / 1000);
  const h = Math.floor(total / 3600) % 24, m = Math.floor(total / 60) % 60, s = total % 60;
  return [h, m, s].map((x) => String(x).padStart(2, '0')).join(':');
}

export function createSimClock(startSimMs: number, speed: number, wallNow: () => number = Date.now): SimClock {
  const wall0 = wallNow();
  return { speed, nowMs: () => startSimMs + (wallNow() - wall0) * speed };
}

export interface BookingWindow { opensMs: number; closesMs: number }

/** Inside [opens, closes) of the simulated day (days after the first wrap around). */
export function isOpen(simMs: number, w: BookingWindow): boolean {
  const t = simMs % 86_400_000;
  return t >= w.opensMs && t < w.closesMs;
}
