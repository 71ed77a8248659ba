import { clockMinutes } from '../../mock-portal/src/clock.js';
import { invalid } from './errors.js';

/** "HH:MM" → minutes since midnight (the rule is the portal's: mock-portal/src/clock.ts); `what` names it in the error. */
export function parseClock(input: string, what = 'time'): number {
  const minutes = typeof input === 'string' ? clockMinutes(input) : null;
  if (minutes === null) throw invalid(what, 'a time of day HH:MM (00:00–23:59)', input);
  return minutes;
}

/** Minutes since midnight → "HH:MM" (wrapping past midnight). */
export function formatClock(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export { clockMinutes };
