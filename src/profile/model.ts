import type { Journey, ProfileValues, ResolvedProfile } from './defaults.js';
import { JOURNEYS } from './defaults.js';
import { apportion, measuredCurves, shapedCurve, type Curve } from './curve.js';
import type { Resolved } from './schema.js';
import { formatClock } from './figures.js';

/**
 * From the day's shape and the business figures to arrivals per minute per journey, and the API calls
 * each journey makes (fan-out), which turns arrivals into a request rate.
 */
export interface MinuteRow {
  time: string;
  /** minutes since midnight of the simulated day */
  minute: number;
  registrations: number;
  arrivals: Record<Journey, number>;
  /** expected API requests per second in this minute (no retries) */
  requestsPerSecond: number;
}

export interface DayModel {
  startMinute: number;
  /** fractional arrivals per minute per journey (exact, used for stages) */
  rates: Record<Journey, number[]>;
  /** whole arrivals per minute (each journey's column sums to its day total) */
  minutes: MinuteRow[];
  totals: Record<Journey, number>;
  callsPerJourney: Record<Journey, number>;
  peak: { time: string; registrationsPerMinute: number; arrivalsPerSecond: number; requestsPerSecond: number };
}

/** API calls per journey (see scenarios/lib/journeys.ts for the calls themselves). */
export function callsPerJourney(v: ProfileValues): Record<Journey, number> {
  const newOrderShare = v.registrations > 0 ? Math.min(1, (v.orders * (1 - v.returningShareOfOrders)) / v.registrations) : 0;
  return {
    // register, otp/verify, shops, catalogue; orderers add topup, order and the polls
    newUser: 4 + newOrderShare * (2 + v.statusPolls),
    // otp/send, otp/verify, topup, order, polls
    returningUser: 4 + v.statusPolls,
    statusChecker: 1,
    // districts, shops, catalogue
    browser: 3,
  };
}

/** Day totals per journey from the business figures. */
export function journeyTotals(v: ProfileValues): Record<Journey, number> {
  return {
    newUser: v.registrations,
    returningUser: Math.round(v.orders * v.returningShareOfOrders),
    statusChecker: Math.round(v.orders * v.statusChecksPerOrder),
    browser: Math.round(v.registrations * v.browsersPerRegistration),
  };
}

export function valuesOf(p: ResolvedProfile): ProfileValues {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.value])) as unknown as ProfileValues;
}

export function dayModel(resolved: Resolved): DayModel {
  const v = valuesOf(resolved.profile);
  // a measured day gives each journey its own curve; the shaped day one curve for all
  const shaped = resolved.measured ? undefined : shapedCurve(resolved.profile);
  const curves: Record<Journey, Curve> = resolved.measured ? measuredCurves(resolved.measured) : Object.fromEntries(JOURNEYS.map((j) => [j, shaped!])) as Record<Journey, Curve>;
  const curve = curves.newUser;
  const totals = journeyTotals(v);
  const calls = callsPerJourney(v);
  const rates = {} as Record<Journey, number[]>;
  const whole = {} as Record<Journey, number[]>;
  for (const j of JOURNEYS) {
    rates[j] = curves[j].shares.map((s) => s * totals[j]);
    whole[j] = apportion(totals[j], curves[j].shares);
  }
  const minutes: MinuteRow[] = curve.shares.map((_, i) => {
    const arrivals = Object.fromEntries(JOURNEYS.map((j) => [j, whole[j][i]])) as Record<Journey, number>;
    const requestsPerSecond = JOURNEYS.reduce((s, j) => s + rates[j][i] * calls[j], 0) / 60;
    return { time: formatClock(curve.startMinute + i), minute: curve.startMinute + i, registrations: arrivals.newUser, arrivals, requestsPerSecond };
  });
  let peakIndex = 0;
  minutes.forEach((m, i) => { if (m.requestsPerSecond > minutes[peakIndex].requestsPerSecond) peakIndex = i; });
  const peakArrivals = JOURNEYS.reduce((s, j) => s + rates[j][peakIndex], 0) / 60;
  return {
    startMinute: curve.startMinute, rates, minutes, totals, callsPerJourney: calls,
    peak: {
      time: minutes[peakIndex].time,
      registrationsPerMinute: rates.newUser[peakIndex],
      arrivalsPerSecond: peakArrivals,
      requestsPerSecond: minutes[peakIndex].requestsPerSecond,
    },
  };
}
