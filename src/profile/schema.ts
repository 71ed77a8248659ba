import { z } from 'zod';
import { UsageError, invalid, shownValue } from '../contracts/errors.js';
import { expectedWords } from '../contracts/issues.js';
import { DEFAULTS, JOURNEYS, type ProfileValues, type ResolvedProfile } from './defaults.js';
import { parseClock, parseCount, parseFigure } from './figures.js';
import { clockMinutes } from '../contracts/clock.js';
import { FaultInputSchema } from './faults.js';

const figure = z.union([z.number(), z.string()]);
const share = z.number().min(0).max(1);
const clock = z.string().refine((s) => clockMinutes(s) !== null, 'expected a time of day HH:MM (00:00–23:59)');
const perMinute = z.number().min(0);
const SpikeSchema = z.strictObject({
  peak: clock, peakPerMinute: perMinute, baselinePerMinute: perMinute, riseFrom: clock, riseMinutes: z.number().int().min(0),
  holdFrom: clock, holdTo: clock, holdMinutes: z.number().int().min(1),
});

/** A profile as a planner writes it (file or flags): every field optional, figures in Indian or plain form. */
export const ProfileInputSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  registrations: figure.optional(),
  orders: figure.optional(),
  appInstalls: figure.optional(),
  orderValuePaise: z.number().int().positive().optional(),
  bookingOpens: clock.optional(),
  bookingCloses: clock.optional(),
  preOpeningMinutes: z.number().int().min(0).max(120).optional(),
  preOpeningShare: share.optional(),
  firstHourShare: share.optional(),
  firstThreeHoursShare: share.optional(),
  spikeMinutes: z.number().min(1).max(60).optional(),
  spikePeakFactor: z.number().min(1).optional(),
  returningShareOfOrders: share.optional(),
  statusChecksPerOrder: z.number().min(0).optional(),
  browsersPerRegistration: z.number().min(0).optional(),
  statusPolls: z.number().int().min(0).max(20).optional(),
  thinkSeconds: z.number().min(0).optional(),
  clientTimeoutSeconds: z.number().positive().optional(),
  retryPolicy: z.enum(['naive', 'polite']).optional(),
  retryProbability: share.optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  abandonAfterFailures: z.number().int().min(1).optional(),
  /** the simulated window a launch-day replay covers */
  replayFrom: clock.optional(),
  replayTo: clock.optional(),
  /** launch-day --scenario: the scenario's exported function each model journey drives (newUser: signUpAndBook) */
  journeys: z.partialRecord(z.enum(JOURNEYS), z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'expected an exported function name')).optional(),
  /** the portal's fault injection on the day's timeline (src/profile/faults.ts): at a simulated time, for a while */
  faults: z.array(FaultInputSchema).optional(),
  /** arrivals per minute per journey measured from a log (profile from-log): replaces the shaped curve */
  measured: z.strictObject({
    start: clock,
    /** requests served (1xx–3xx) per route in each minute: the demand the day replays */
    minutes: z.array(z.record(z.string(), z.number().min(0))),
    /** the route whose minutes shape each journey's arrivals (others: the register route's, else all requests') */
    journeys: z.partialRecord(z.enum(JOURNEYS), z.string()).optional(),
    /** requests not served, per route: 4xx and 5xx, kept out of the minutes (for the record; not replayed) */
    failed: z.record(z.string(), z.strictObject({ clientErrors: z.number().int().min(0), serverErrors: z.number().int().min(0) })).optional(),
    /** the spike's shape as the log showed it, of all served requests and per route (src/profile/spike.ts; for the record) */
    spikes: z.strictObject({ all: SpikeSchema, routes: z.record(z.string(), SpikeSchema) }).optional(),
  }).optional(),
  /** what made this profile, in sentences (profile from-log: the status classes, the spike) */
  notes: z.array(z.string()).optional(),
});
export type ProfileInput = z.infer<typeof ProfileInputSchema>;

export interface Resolved { profile: ResolvedProfile; replayFrom?: string; replayTo?: string; measured?: ProfileInput['measured']; name?: string }

/** Validate an object as a profile; the message names the first bad field. */
export function parseProfileInput(raw: unknown, where = 'profile'): ProfileInput {
  const r = ProfileInputSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.join('.') || '(root)';
    const got = issue.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), raw);
    throw new UsageError(`invalid ${where} field ${path}: expected ${expectedWords(issue)}, got ${shownValue(got)}`);
  }
  return r.data;
}

/** A profile file's JSON text (what bundled scenarios read; YAML is parsed by ./text.ts in the CLI). */
export function parseProfileJson(text: string, fileName = 'profile'): ProfileInput {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (err) {
    throw new UsageError(`invalid profile file ${fileName}: expected JSON (convert YAML with \`capacity-test profile show ${fileName} --as-input > profile.json\`), got ${(err as Error).message.split('\n')[0]}`);
  }
  return parseProfileInput(raw ?? {}, `profile ${fileName}`);
}

/** Defaults, overridden by the profile, overridden by flags; each value keeps its source. */
export function resolveProfile(input: ProfileInput = {}, inputSource = 'profile file', overrides: Partial<Record<keyof ProfileValues, { value: unknown; source: string }>> = {}): Resolved {
  const profile = { ...DEFAULTS } as Record<string, { value: unknown; source: string }>;
  for (const key of Object.keys(DEFAULTS)) {
    const v = (input as Record<string, unknown>)[key];
    if (v !== undefined) profile[key] = { value: v, source: inputSource };
    const o = overrides[key as keyof ProfileValues];
    if (o !== undefined) profile[key] = o;
  }
  for (const key of ['registrations', 'orders', 'appInstalls'] as const) {
    profile[key] = { ...profile[key], value: parseCount(profile[key].value as string | number, key) };
  }
  const p = profile as unknown as ResolvedProfile;
  checkConsistency(p);
  return { profile: p, replayFrom: input.replayFrom, replayTo: input.replayTo, measured: input.measured, name: input.name };
}

function checkConsistency(p: ResolvedProfile): void {
  const open = parseClock(p.bookingOpens.value, 'bookingOpens');
  const close = parseClock(p.bookingCloses.value, 'bookingCloses');
  if (close - open < 180) throw invalid('booking window', 'at least 3 hours between bookingOpens and bookingCloses (the curve has a first hour and hours 2–3)', `${p.bookingOpens.value}–${p.bookingCloses.value}`);
  if (open - p.preOpeningMinutes.value < 0) throw invalid('preOpeningMinutes', `at most ${open}`, p.preOpeningMinutes.value);
  if (p.firstThreeHoursShare.value < p.firstHourShare.value) throw invalid('firstThreeHoursShare', `at least firstHourShare (${p.firstHourShare.value})`, p.firstThreeHoursShare.value);
  if (p.preOpeningShare.value + p.firstThreeHoursShare.value > 1) throw invalid('preOpeningShare', `at most ${1 - p.firstThreeHoursShare.value} (1 − firstThreeHoursShare)`, p.preOpeningShare.value);
  if (p.orders.value > p.registrations.value * 10) throw invalid('orders', `at most 10 per registration (${p.registrations.value * 10})`, p.orders.value);
  parseFigure(p.registrations.value, 'registrations');
}
