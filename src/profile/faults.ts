/**
 * Faults on the day's timeline: a profile's `faults` list, at simulated clock times, turned into the
 * real seconds of a run and the bodies of the portal's `POST /admin/faults` that start and end each
 * one. Pure: src/run/fault-schedule.ts sends them.
 *
 *   faults:
 *     - { at: '09:05', for: 5m, latencyMs: 300, route: 'POST /api/v1/orders' }
 *     - { at: '09:08', for: 1m, errorRate: 0.2 }
 *     - { at: '09:10', for: 30s, dbStallMs: 40 }
 *     - { at: '09:12', for: 1m, crash: true }       # killed, started again a simulated minute later
 *
 * `at` is the simulated clock (HH:MM), `for` a simulated duration (k6's form: 90s, 5m); both are
 * compressed with the day (×timeScale). A `route` is `METHOD /path` or `/path`, a path prefix as the
 * portal matches it. Two faults of one kind may not overlap: the portal holds one of each.
 */
import { z } from 'zod';
import { clockMinutes } from '../contracts/clock.js';
import { parseDuration } from '../contracts/duration.js';
import { invalid } from '../contracts/errors.js';

const clock = z.string().refine((s) => clockMinutes(s) !== null, 'expected a time of day HH:MM (00:00–23:59)');

export const FaultInputSchema = z.strictObject({
  /** simulated clock time the fault starts */
  at: clock,
  /** simulated duration (90s, 5m); default: to the end of the run */
  for: z.string().optional(),
  /** added to every request of `route` (or every API request) */
  latencyMs: z.int().min(1).max(60_000).optional(),
  route: z.string().regex(/^([A-Z]{3,7} )?\/\S*$/, "expected '/path' or 'METHOD /path', e.g. 'POST /api/v1/orders'").optional(),
  /** share of writes answered 503 */
  errorRate: z.number().gt(0).max(1).optional(),
  /** added to every database query */
  dbStallMs: z.int().min(1).max(60_000).optional(),
  /** the portal killed (SIGKILL) at `at` and started again, on the same port and database, `for` later */
  crash: z.literal(true).optional(),
}).refine((f) => [f.latencyMs, f.errorRate, f.dbStallMs, f.crash].filter((v) => v !== undefined).length === 1,
  'expected exactly one of latencyMs, errorRate, dbStallMs, crash')
  .refine((f) => f.crash === undefined || f.for !== undefined, 'expected a crash to say `for` how long the portal stays down')
  .refine((f) => f.route === undefined || f.latencyMs !== undefined, 'expected route only with latencyMs');

export type FaultInput = z.infer<typeof FaultInputSchema>;
export type FaultKind = 'latency' | 'errors' | 'dbStall' | 'crash';

/** The body of the portal's POST /admin/faults (`crash`: it answers, then kills itself). */
export interface FaultsBody { latencyMs?: number; latencyRoute?: string; latencyMethod?: string; errorRate?: number; dbStallMs?: number; crash?: boolean }

export interface FaultStep {
  kind: FaultKind;
  /** "+300 ms on POST /api/v1/orders", "20% of writes refused (503)", "+40 ms per DB query" */
  label: string;
  /** simulated clock of its start and end (HH:MM:SS when not on a minute) */
  at: string;
  until: string;
  /** real seconds from the start of the run: [fromSecond, toSecond) */
  fromSecond: number;
  toSecond: number;
  set: FaultsBody;
  /** what ends it: a body to send, or (a crash) the portal started again */
  clear: FaultsBody | 'restart';
}

function clockText(minutes: number): string {
  const total = Math.round(minutes * 60);
  const s = ((total % 86_400) + 86_400) % 86_400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0'), mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  return s % 60 ? `${hh}:${mm}:${String(s % 60).padStart(2, '0')}` : `${hh}:${mm}`;
}

function describe(f: FaultInput): { kind: FaultKind; label: string; set: FaultsBody; clear: FaultsBody | 'restart' } {
  if (f.crash) return { kind: 'crash', label: `portal crashed (SIGKILL), started again after ${f.for}`, set: { crash: true }, clear: 'restart' };
  if (f.latencyMs !== undefined) {
    const m = f.route ? /^(?:([A-Z]+) )?(\/\S*)$/.exec(f.route)! : null;
    const method = m?.[1] ?? '', path = m?.[2] ?? '';
    return {
      kind: 'latency', label: `+${f.latencyMs} ms on ${f.route ?? 'every API request'}`,
      set: { latencyMs: f.latencyMs, latencyRoute: path, latencyMethod: method },
      clear: { latencyMs: 0, latencyRoute: '', latencyMethod: '' },
    };
  }
  if (f.errorRate !== undefined) {
    return { kind: 'errors', label: `${Number((f.errorRate * 100).toFixed(2))}% of writes refused (503)`, set: { errorRate: f.errorRate }, clear: { errorRate: 0 } };
  }
  return { kind: 'dbStall', label: `+${f.dbStallMs} ms per DB query`, set: { dbStallMs: f.dbStallMs }, clear: { dbStallMs: 0 } };
}

/**
 * The faults of a run that replays the simulated day from `simulatedStart` at ×`timeScale` for
 * `realSeconds`. A fault outside the replayed window, one that lasts nothing, or two of one kind at
 * once are refused, naming the fault (`faults[i]`).
 */
export function faultTimeline(faults: readonly FaultInput[] | undefined, run: { simulatedStart: string; timeScale: number; realSeconds: number }): FaultStep[] {
  if (!faults?.length) return [];
  const start = clockMinutes(run.simulatedStart);
  if (start === null) throw invalid('simulated start', 'a time of day HH:MM', run.simulatedStart);
  const endMinutes = start + (run.realSeconds * run.timeScale) / 60;
  const steps = faults.map((f, i): FaultStep => {
    const what = `faults[${i}]`;
    const at = clockMinutes(f.at)!;
    if (at < start || at >= endMinutes) throw invalid(`${what}.at`, `a time inside the replayed window ${clockText(start)}–${clockText(endMinutes)}`, f.at);
    const forMinutes = f.for === undefined ? endMinutes - at : parseDuration(f.for, `${what}.for`) / 60_000;
    if (!(forMinutes > 0)) throw invalid(`${what}.for`, 'a duration longer than 0, such as 5m', f.for);
    const until = Math.min(endMinutes, at + forMinutes);
    const toReal = (m: number) => Math.round(((m - start) * 60) / run.timeScale * 1000) / 1000;
    return { ...describe(f), at: clockText(at), until: clockText(until), fromSecond: toReal(at), toSecond: toReal(until) };
  });
  for (let i = 0; i < steps.length; i++) {
    for (let j = i + 1; j < steps.length; j++) {
      const a = steps[i], b = steps[j];
      if (a.kind === b.kind && a.fromSecond < b.toSecond && b.fromSecond < a.toSecond) {
        throw invalid(`faults[${j}]`, `a ${b.kind} fault that does not overlap faults[${i}] (${a.at}–${a.until}): the portal holds one at a time`, `${b.at}–${b.until}`);
      }
    }
  }
  return steps.sort((a, b) => a.fromSecond - b.fromSecond);
}
