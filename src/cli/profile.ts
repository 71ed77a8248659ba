import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../contracts/errors.js';
import {
  JOURNEYS, dayModel, dayStages, journeyStages, launchDayPlan, parseClock, formatClock, logToProfile, routeOf, parseCount, parseFigure, parseProfileInput, resolveProfile,
  type DayModel, type Journey, type ProfileInput, type Resolved,
} from '../profile/index.js';
import { parseProfileText } from '../profile/text.js';
import { paramValue } from '../report/profile-text.js';

interface ShowOptions {
  registrations?: string; orders?: string; json?: boolean; asInput?: boolean;
  plan?: boolean; quick?: boolean; scale?: string; timeScale?: string;
  stages?: boolean; journey?: string; from?: string; to?: string;
}

function readText(file: string, what: string): string {
  try { return readFileSync(file, 'utf8'); } catch (err) {
    throw new UsageError(`invalid ${what}: expected a readable file, got ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The profile a command works on: a file (JSON or YAML) with flags over it. */
export function loadProfileInput(file: string | undefined, flags: { registrations?: string; orders?: string }): ProfileInput {
  const input: ProfileInput = file ? parseProfileText(readText(file, 'profile file'), file) : {};
  if (flags.registrations !== undefined) input.registrations = parseCount(flags.registrations, 'registrations');
  if (flags.orders !== undefined) input.orders = parseCount(flags.orders, 'orders');
  return parseProfileInput(input);
}

function sourcesOf(file: string | undefined, flags: ShowOptions): Resolved {
  const input = loadProfileInput(file, {});
  const overrides: Parameters<typeof resolveProfile>[2] = {};
  if (flags.registrations !== undefined) overrides.registrations = { value: parseCount(flags.registrations, 'registrations'), source: '--registrations' };
  if (flags.orders !== undefined) overrides.orders = { value: parseCount(flags.orders, 'orders'), source: '--orders' };
  return resolveProfile(input, file ? `profile file ${file}` : 'profile file', overrides);
}

export function profileJson(model: DayModel, resolved: Resolved): unknown {
  return {
    registrations: model.totals.newUser,
    orders: resolved.profile.orders.value,
    totals: model.totals,
    callsPerJourney: model.callsPerJourney,
    peak: model.peak,
    peakDemandRps: model.peak.requestsPerSecond,
    profile: resolved.profile,
    minutes: model.minutes.map((m) => ({
      time: m.time, registrations: m.registrations, returningUsers: m.arrivals.returningUser,
      statusCheckers: m.arrivals.statusChecker, browsers: m.arrivals.browser,
      requestsPerSecond: Math.round(m.requestsPerSecond * 100) / 100,
    })),
  };
}

export function profileTable(model: DayModel, resolved: Resolved): string {
  const lines: string[] = [];
  const p = resolved.profile;
  lines.push(`Traffic model: ${p.registrations.value.toLocaleString('en-IN')} registrations, ${p.orders.value.toLocaleString('en-IN')} orders, booking ${p.bookingOpens.value}–${p.bookingCloses.value}`);
  // values as the report shows them: ₹ from paise, lakh and crore, percentages (src/report/profile-text.ts)
  for (const [k, v] of Object.entries(p)) lines.push(`  ${k.padEnd(24)} ${paramValue(k, v.value, String(v.value), 'en').padEnd(12)} ${v.source}`);
  lines.push('');
  lines.push(`Peak at ${model.peak.time}: ${Math.round(model.peak.registrationsPerMinute)} registrations/min, ${model.peak.arrivalsPerSecond.toFixed(1)} arrivals/s, ${model.peak.requestsPerSecond.toFixed(0)} requests/s expected (no retries)`);
  lines.push(`API calls per journey: ${JOURNEYS.map((j) => `${j} ${model.callsPerJourney[j].toFixed(2)}`).join(', ')}`);
  lines.push('');
  lines.push(`${'time'.padEnd(6)} ${'register'.padStart(9)} ${'return'.padStart(7)} ${'status'.padStart(7)} ${'browse'.padStart(7)} ${'req/s'.padStart(8)}`);
  for (const m of model.minutes) {
    lines.push(`${m.time.padEnd(6)} ${String(m.registrations).padStart(9)} ${String(m.arrivals.returningUser).padStart(7)} ${String(m.arrivals.statusChecker).padStart(7)} ${String(m.arrivals.browser).padStart(7)} ${m.requestsPerSecond.toFixed(1).padStart(8)}`);
  }
  return lines.join('\n') + '\n';
}

/** `profile show | head` closes stdout early: that is the reader's choice, not an error. */
function quietOnEpipe(): void {
  process.stdout.once('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); else throw err; });
}

export function registerProfile(program: Command): void {
  const profile = program.command('profile').description('the launch-day traffic model: business figures → arrivals per minute');
  profile.command('show [file]')
    .description('print the minute table, the peak rates and the expected request rate at the peak')
    .option('--registrations <n>', 'registrations in the day (3lakh, 3,00,000, 300k …)')
    .option('--orders <n>', 'orders in the day')
    .option('--json', 'print JSON: { registrations, minutes: [{ time, registrations, … }], … }')
    .option('--as-input', 'print the validated profile itself as JSON (to convert YAML for scenarios)')
    .option('--plan', 'print the launch-day replay plan (what launch-day runs)')
    .option('--quick', 'with --plan: the --quick plan')
    .option('--scale <f>', 'with --plan: fraction of the real people')
    .option('--time-scale <x>', 'with --plan or --stages: simulated seconds per real second')
    .option('--stages', 'print the arrival curves as k6 ramping-arrival-rate scenarios (JSON for options.scenarios): the whole day, real time, real rate')
    .option('--journey <name>', `with --stages: only this journey's scenario (${JOURNEYS.join(', ')})`)
    .option('--from <HH:MM>', 'with --stages: start of the simulated window (default: the start of the modelled day)')
    .option('--to <HH:MM>', 'with --stages: end of the simulated window (default: its end)')
    .action((file: string | undefined, opts: ShowOptions) => {
      quietOnEpipe();
      if (opts.journey !== undefined && !opts.stages) throw new UsageError('invalid --journey: expected it with --stages, got it alone');
      if (opts.stages) {
        const clock = (v: string | undefined, what: string) => (v === undefined ? undefined : formatClock(parseClock(v, what)));
        const stages = dayStages({
          profile: loadProfileInput(file, opts), from: clock(opts.from, '--from'), to: clock(opts.to, '--to'),
          scale: opts.scale === undefined ? undefined : parseFigure(opts.scale, 'scale'),
          timeScale: opts.timeScale === undefined ? undefined : parseFigure(opts.timeScale, 'time scale'),
        });
        if (opts.journey !== undefined) {
          // for the user's own file: its default function runs the journey, so no exec of ours
          const { exec: _exec, ...scenario } = journeyStages(stages, opts.journey);
          process.stdout.write(JSON.stringify(scenario, null, 2) + '\n');
        } else {
          process.stdout.write(JSON.stringify({ from: stages.from, to: stages.to, timeScale: stages.timeScale, scale: stages.scale, scenarios: stages.scenarios }, null, 2) + '\n');
        }
        return;
      }
      if (opts.asInput) {
        process.stdout.write(JSON.stringify(loadProfileInput(file, opts), null, 2) + '\n');
        return;
      }
      const resolved = sourcesOf(file, opts);
      if (opts.plan) {
        const plan = launchDayPlan({
          quick: Boolean(opts.quick), profile: loadProfileInput(file, opts),
          scale: opts.scale === undefined ? undefined : parseFigure(opts.scale, 'scale'),
          timeScale: opts.timeScale === undefined ? undefined : parseFigure(opts.timeScale, 'time scale'),
        });
        if (opts.json) process.stdout.write(JSON.stringify(plan, null, 2) + '\n');
        else process.stdout.write(`${plan.description}\npeak demand ${plan.peakDemandRps.toFixed(0)} requests/s (real); planned arrivals ${JSON.stringify(Object.fromEntries(Object.entries(plan.plannedArrivals).map(([k, v]) => [k, Math.round(v)])))}\n`);
        return;
      }
      const model = dayModel(resolved);
      process.stdout.write(opts.json ? JSON.stringify(profileJson(model, resolved), null, 2) + '\n' : profileTable(model, resolved));
    });
  profile.command('from-log <accessLog>')
    .description('build a profile from an access log, combined log format or JSON lines (requests served per minute per route, failures apart, the spike\'s shape)')
    .option('--out <file>', 'write the profile JSON here (default: stdout)')
    .option('--journey <journey=route>', `the route whose arrivals shape a journey (${JOURNEYS.join(', ')}), e.g. newUser="POST /api/v2/bookings"; repeatable`, (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--registrations <n>', 'the next launch\'s registrations (default: the log\'s served count of the newUser route)')
    .option('--orders <n>', 'the next launch\'s orders (default: the log\'s served POST /api/v1/orders)')
    .action((file: string, opts: { out?: string; journey: string[]; registrations?: string; orders?: string }) => {
      const r = logToProfile(readText(file, 'access log'), file, {
        journeys: journeyRoutes(opts.journey),
        ...(opts.registrations !== undefined ? { registrations: parseCount(opts.registrations, '--registrations') } : {}),
        ...(opts.orders !== undefined ? { orders: parseCount(opts.orders, '--orders') } : {}),
      });
      // the profile must read back as one: a size that does not fit (orders > 10 per registration) is refused here
      resolveProfile(parseProfileInput(r.profile), `profile from ${file}`);
      const text = JSON.stringify(r.profile, null, 2) + '\n';
      if (opts.out) writeFileSync(opts.out, text); else process.stdout.write(text);
      const m = r.profile.measured!;
      process.stderr.write([`${m.minutes.length} minute(s) from ${m.start}, ${r.routes.length} route(s) served: ${r.routes.join(', ')}`, ...r.profile.notes!].join('\n') + '\n');
    });
}

/** `--journey newUser="POST /api/v2/bookings"` → { newUser: 'POST /api/v2/bookings' }. */
export function journeyRoutes(pairs: readonly string[]): Partial<Record<Journey, string>> {
  const out: Partial<Record<Journey, string>> = {};
  for (const p of pairs) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(p.trim());
    if (!m || !(JOURNEYS as readonly string[]).includes(m[1])) throw new UsageError(`invalid --journey: expected JOURNEY=ROUTE with JOURNEY one of ${JOURNEYS.join(', ')} (e.g. newUser="POST /api/v2/bookings"), got ${JSON.stringify(p)}`);
    const r = /^([A-Za-z]+)\s+(\/\S*)$/.exec(m[2].trim());
    if (!r) throw new UsageError(`invalid --journey ${m[1]}: expected a route "METHOD /path" as profile from-log prints them, got ${JSON.stringify(m[2])}`);
    // templated as the log's lines are, so /api/v2/bookings/123 names the route /api/v2/bookings/{id}
    out[m[1] as Journey] = routeOf(r[1], r[2]);
  }
  return out;
}
