import { invalid } from '../contracts/errors.js';
import { JOURNEYS, type Journey, type ResolvedProfile } from './defaults.js';
import { parseClock } from './figures.js';

/**
 * The day's shape: the share of the day's registrations in each minute (sums to 1).
 * Segments (each share cited in defaults.ts):
 *   pre-opening  linear ramp from 0 carrying preOpeningShare;
 *   first hour   firstHourShare, with the opening spike: rate(t) = avg·(b + a·e^(−t/τ)), τ = spikeMinutes/3,
 *                a and b chosen so the rate at 09:00 is spikePeakFactor × the hour's average and the hour
 *                holds exactly its share;
 *   hours 2–3    firstThreeHoursShare − firstHourShare, flat;
 *   the rest     what is left, flat until booking closes.
 * Each minute gets the exact integral of its segment over that minute, so shares add up exactly.
 */
export interface Curve { startMinute: number; shares: number[] }

export function shapedCurve(p: ResolvedProfile): Curve {
  const open = parseClock(p.bookingOpens.value, 'bookingOpens');
  const close = parseClock(p.bookingCloses.value, 'bookingCloses');
  const pre = p.preOpeningMinutes.value;
  const preShare = pre > 0 ? p.preOpeningShare.value : 0;
  const h1 = p.firstHourShare.value;
  const h23 = p.firstThreeHoursShare.value - h1;
  const rest = 1 - preShare - h1 - h23;
  const shares: number[] = [];

  for (let j = 0; j < pre; j++) shares.push(preShare * ((j + 1) ** 2 - j ** 2) / pre ** 2);

  const tau = p.spikeMinutes.value / 3;
  const f = p.spikePeakFactor.value;
  const g = (tau / 60) * (1 - Math.exp(-60 / tau)); // mean of e^(−t/τ) over the hour
  const a = g < 1 ? (f - 1) / (1 - g) : 0;
  const b = f - a;
  if (b < 0) {
    throw invalid('spikePeakFactor', `at most ${(1 / g).toFixed(2)} for a ${p.spikeMinutes.value}-minute spike (the first hour cannot hold more)`, f);
  }
  const avg = h1 / 60;
  for (let t = 0; t < 60; t++) {
    const decay = tau * (Math.exp(-t / tau) - Math.exp(-(t + 1) / tau));
    shares.push(avg * (b + a * decay));
  }
  for (let t = 60; t < 180; t++) shares.push(h23 / 120);
  const restMinutes = close - open - 180;
  for (let t = 0; t < restMinutes; t++) shares.push(rest / restMinutes);
  return { startMinute: open - pre, shares };
}

type Measured = { start: string; minutes: Record<string, number>[]; journeys?: Partial<Record<Journey, string>> };

/** A measured curve (profile from-log): the register route when present, else all requests. */
export function measuredCurve(measured: Measured): Curve {
  const key = measured.minutes.some((m) => (m['POST /api/v1/register'] ?? 0) > 0) ? 'POST /api/v1/register' : undefined;
  const counts = measured.minutes.map((m) => (key ? m[key] ?? 0 : Object.values(m).reduce((s, x) => s + x, 0)));
  const total = counts.reduce((s, x) => s + x, 0);
  if (total <= 0) throw invalid('measured profile', 'at least one request in some minute', 'no requests');
  return { startMinute: parseClock(measured.start, 'measured.start'), shares: counts.map((c) => c / total) };
}

/**
 * Each journey's measured curve: the minutes of the route `measured.journeys` names for it, so each
 * journey replays its own arrivals; a journey without a route (or whose route served nobody) follows
 * newUser's route, else measuredCurve. All share one start and length.
 */
export function measuredCurves(measured: Measured): Record<Journey, Curve> {
  const fallback = measuredCurve(measured);
  const ofRoute = (route: string | undefined): Curve | undefined => {
    const counts = route === undefined ? [] : measured.minutes.map((m) => m[route] ?? 0);
    const total = counts.reduce((s, x) => s + x, 0);
    return total > 0 ? { startMinute: fallback.startMinute, shares: counts.map((c) => c / total) } : undefined;
  };
  const common = ofRoute(measured.journeys?.newUser) ?? fallback;
  return Object.fromEntries(JOURNEYS.map((j) => [j, ofRoute(measured.journeys?.[j]) ?? common])) as Record<Journey, Curve>;
}

/** Whole numbers per minute that sum exactly to `total` (largest remainder), from shares that sum to 1. */
export function apportion(total: number, shares: number[]): number[] {
  const raw = shares.map((s) => s * total);
  const out = raw.map(Math.floor);
  let left = Math.round(total - out.reduce((s, x) => s + x, 0));
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}
