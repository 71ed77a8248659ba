import { UsageError, invalid } from '../contracts/errors.js';
import type { ProfileInput } from './schema.js';
import { formatClock } from './figures.js';
import { JOURNEYS, type Journey } from './defaults.js';
import { parseAccessLog, statusClass, type LogFormat } from './access-log.js';
import { spikeSentence, spikeShape, type SpikeShape } from './spike.js';

/**
 * An access log → a profile that replays its day: requests served per minute per route (the demand),
 * the requests that failed kept apart (a 503 is no registration served), each journey's own arrival
 * curve from its route, and the spike's shape. Sized as the log was unless `registrations`/`orders`
 * give the next launch's size: the shape is the log's, the size the planner's.
 */

/** The reference portal's first call of each journey (scenarios/lib/journeys.ts); orders/{id} is also polled by orderers. */
export const REFERENCE_JOURNEY_ROUTES: Record<Journey, string> = {
  newUser: 'POST /api/v1/register',
  returningUser: 'POST /api/v1/otp/send',
  statusChecker: 'GET /api/v1/orders/{id}',
  browser: 'GET /api/v1/districts',
};
const ORDER_ROUTE = 'POST /api/v1/orders';

export interface FromLogOptions {
  /** the route of a journey of the team's own (over REFERENCE_JOURNEY_ROUTES) */
  journeys?: Partial<Record<Journey, string>>;
  /** the next launch's size; default: the log's served counts */
  registrations?: number;
  orders?: number;
}

export interface FromLog {
  profile: ProfileInput;
  format: LogFormat;
  requests: number;
  served: number;
  /** served routes, sorted */
  routes: string[];
  failed: Record<string, { clientErrors: number; serverErrors: number }>;
  spike: SpikeShape;
  journeys: Partial<Record<Journey, string>>;
  skipped: number;
  firstBadLine: number | null;
}

export function logToProfile(text: string, name = 'from-log', o: FromLogOptions = {}): FromLog {
  const { format, lines, skipped, firstBadLine } = parseAccessLog(text);
  if (lines.length === 0) {
    const expected = format === 'json' ? 'JSON lines with a time, a method, a path and a status' : 'lines in combined log format';
    throw new UsageError(`invalid access log ${name}: expected ${expected}, got ${skipped} unreadable line(s)${firstBadLine !== null ? `, the first at line ${firstBadLine}` : ''}`);
  }
  const abs = lines.map((l) => l.dayIndex * 1440 + l.minuteOfDay);
  // a loop, not Math.min(...abs): a launch day's log has millions of lines, more than a call's arguments
  let start = abs[0];
  let end = abs[0];
  for (const a of abs) { if (a < start) start = a; if (a > end) end = a; }
  if (end - start >= 1440) throw new UsageError(`invalid access log ${name}: expected at most one day, got ${Math.ceil((end - start) / 1440)} days`);
  const minutes: Record<string, number>[] = Array.from({ length: end - start + 1 }, () => ({}));
  const failed: FromLog['failed'] = {};
  const servedBy: Record<string, number> = {};
  lines.forEach((l, k) => {
    const cls = statusClass(l.status);
    if (cls !== 'served') {
      const f = (failed[l.route] ??= { clientErrors: 0, serverErrors: 0 });
      f[cls === 'clientError' ? 'clientErrors' : 'serverErrors']++;
      return;
    }
    const row = minutes[abs[k] - start];
    row[l.route] = (row[l.route] ?? 0) + 1;
    servedBy[l.route] = (servedBy[l.route] ?? 0) + 1;
  });
  const routes = Object.keys(servedBy).sort();
  const served = routes.reduce((s, r) => s + servedBy[r], 0);
  if (served === 0) throw new UsageError(`invalid access log ${name}: expected some requests served (status below 400), got ${lines.length} that all failed`);

  const journeys: Partial<Record<Journey, string>> = {};
  for (const j of JOURNEYS) {
    const mine = o.journeys?.[j];
    if (mine !== undefined && !servedBy[mine]) throw invalid(`--journey ${j}`, `a route the log served (${routes.slice(0, 8).join(', ')}${routes.length > 8 ? ', …' : ''})`, mine);
    const route = mine ?? (servedBy[REFERENCE_JOURNEY_ROUTES[j]] ? REFERENCE_JOURNEY_ROUTES[j] : undefined);
    if (route !== undefined) journeys[j] = route;
  }
  const countsOf = (route?: string) => minutes.map((m) => (route === undefined ? Object.values(m).reduce((s, x) => s + x, 0) : m[route] ?? 0));
  const spike = spikeShape(countsOf(), start % 1440)!;
  const spikes = { all: spike, routes: Object.fromEntries(routes.map((r) => [r, spikeShape(countsOf(r), start % 1440)!])) };

  const registrations = o.registrations ?? (journeys.newUser ? servedBy[journeys.newUser] : undefined);
  // orders come from the log too, so the default 29,000 never dwarfs a small log's registrations
  const orders = o.orders ?? servedBy[ORDER_ROUTE] ?? 0;
  const result: Omit<FromLog, 'profile'> = { format, requests: lines.length, served, routes, failed, spike, journeys, skipped, firstBadLine };
  const profile: ProfileInput = {
    name, description: `arrivals per minute per route from ${name} (${served} requests served of ${lines.length})`,
    ...(registrations !== undefined ? { registrations } : {}),
    orders,
    measured: {
      start: formatClock(start % 1440), minutes,
      ...(Object.keys(journeys).length ? { journeys } : {}),
      ...(Object.keys(failed).length ? { failed } : {}),
      spikes,
    },
    notes: fromLogNotes({ ...result, name, sized: o.registrations !== undefined || o.orders !== undefined }),
  };
  return { profile, ...result };
}

/** What the log showed, in sentences: the command prints them and the profile keeps them as its notes. */
export function fromLogNotes(r: Omit<FromLog, 'profile'> & { name: string; sized?: boolean }): string[] {
  const n = (x: number) => x.toLocaleString('en-IN');
  const notes = [
    `${r.name} (${r.format === 'json' ? 'JSON lines' : 'combined log format'}): ${n(r.requests)} requests read${r.skipped ? `, ${n(r.skipped)} unreadable line(s) skipped (the first at line ${r.firstBadLine})` : ''}`,
  ];
  const bad = Object.entries(r.failed).sort((a, b) => a[0].localeCompare(b[0]));
  const c4 = bad.reduce((s, [, f]) => s + f.clientErrors, 0);
  const c5 = bad.reduce((s, [, f]) => s + f.serverErrors, 0);
  notes.push(`${n(r.served)} served (2xx/3xx) are the demand replayed; ${n(c4 + c5)} failed (4xx ${n(c4)}, 5xx ${n(c5)}) and are not counted as demand served` +
    (bad.length ? `: ${bad.map(([route, f]) => `${route} 4xx ${n(f.clientErrors)}, 5xx ${n(f.serverErrors)}`).join('; ')}` : ''));
  notes.push(spikeSentence('all served requests', r.spike));
  for (const j of JOURNEYS) {
    const route = r.journeys[j];
    notes.push(route ? `${j} arrives as ${route} did` : `${j}: no route of its own in the log, so it follows ${r.journeys.newUser ? r.journeys.newUser : 'all served requests'}`);
  }
  if (r.sized) notes.push('sized for the next launch by --registrations/--orders: the shape is the log\'s, the size is not');
  return notes;
}
