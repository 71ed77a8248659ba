/**
 * `capacity-test verify <run-dir>`: the run's sizing, checked by measurement. From the run's sizing (N
 * instances for the peak at the measured per-instance rate) and the CPU share its one instance ran under,
 * start the reference portal as N instances, each in its own cgroup under that share, behind the
 * round-robin front over one SQLite file (portal-fleet.ts); offer the peak as the run offered it, held
 * for --seconds; then N − 1 the same way. The maths of the verdict is src/analysis/verification.ts;
 * this module is its I/O: the fleets, the load, the cgroups' accounting, verification.json, the report.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { AbortedError, UsageError } from '../contracts/errors.js';
import { formatClock, parseClock } from '../contracts/clock.js';
import { VERIFICATION_FILE, verificationSchema, type FleetResult, type Verification } from '../contracts/verification.js';
import { judgeFleet, verificationPlan, verificationVerdict, VERIFY_TARGET, type FleetMeasurement, type VerificationPlan } from '../analysis/verification.js';
import { MetricsQuery, statistic, type EncodedWindow } from '../metrics/index.js';
import { launchDayPlan } from '../profile/index.js';
import { peakHold } from '../profile/peak-hold.js';
import { readRunDirFiles } from '../rundir/read.js';
import { RUN_FILES, type RunInfo } from '../rundir/run-dir.js';
import type { EngineObserver } from '../engine/index.js';
import { packageRoot } from './built.js';
import { startPortalFleet, type PortalFleet } from './portal-fleet.js';
import { runScenarioToDir } from './run-scenario.js';
import { planSweep, sweepOptions, sweepScenarioSource } from './sweep.js';
import { checkCpuCgroups, type CpuUsage } from './cgroup.js';
import { sweepOfJourneys } from '../assess/capacity-points.js';

export const VERIFY_SECONDS = { default: 30, min: 5, max: 60 } as const;

export interface VerifyOptions {
  runDir: string;
  /** how long each fleet is offered the peak */
  seconds?: number;
  /** each instance's quota, when the run recorded none or another is wanted */
  cpuShare?: number;
  /** verify this many instances instead of Erlang C's N */
  instances?: number;
  lang?: 'en' | 'hi';
  workers?: number;
  observers?: readonly EngineObserver[];
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** What verify needs of a run, read from its run.json and summary.json; a usage error naming what is missing. */
export interface VerifyInput {
  runInfo: RunInfo;
  kind: 'launch-day' | 'sweep';
  mode: string;
  cpuShare: number;
  rateFactor: number;
  plan: VerificationPlan;
  slo: { p95Ms: number; errorRate: number };
  notes: string[];
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function readVerifyInput(runDir: string, o: Pick<VerifyOptions, 'cpuShare' | 'instances'> = {}): VerifyInput {
  const { runInfo, dir } = readRunDirFiles(runDir);
  const summaryPath = join(dir, RUN_FILES.summary);
  if (!existsSync(summaryPath)) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected ${RUN_FILES.summary} (its sizing), got no such file; \`capacity-test report ${runDir}\` writes it`);
  let summary: { capacity?: { sizing?: Record<string, unknown> | null; notes?: string[]; slo?: { p95Ms?: number; errorRate?: number } } };
  try { summary = JSON.parse(readFileSync(summaryPath, 'utf8')); } catch (err) { throw new UsageError(`invalid ${summaryPath}: expected JSON, got ${(err as Error).message}`); }
  const sizing = summary.capacity?.sizing;
  if (!sizing) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected a sizing to verify (summary.json capacity.sizing), got none (${(summary.capacity?.notes ?? []).join('; ') || 'no capacity analysis'})`);
  const extra = runInfo.extra ?? {};
  const kind = extra.sweep ? 'sweep' : typeof extra.timeScale === 'number' && typeof extra.peakDemandRps === 'number' ? 'launch-day' : null;
  // launch-day's limit sweep (its journeys at stepped rates) sized nothing of its own: its launch day did
  if (sweepOfJourneys(runInfo)) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected a launch-day or sweep run, got launch-day's limit sweep of its journeys; verify the launch-day run directory it is inside`);
  if (!kind) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected a launch-day or sweep run (verify offers its load again), got a run of ${JSON.stringify(runInfo.scenario)}`);
  if (!runInfo.portalMode) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected a run of the embedded reference portal (verify starts it as a fleet), got a run against ${runInfo.target ?? 'another target'}`);
  const notes: string[] = [];
  const recorded = num(extra.cpuShare);
  if (o.cpuShare === undefined && recorded === null) {
    throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected a run measured under --cpu-share (the share each verified instance gets), got a run whose portal had a core of its own; re-run it with --cpu-share S, or give verify --cpu-share S`);
  }
  const cpuShare = o.cpuShare ?? recorded!;
  if (recorded !== null && o.cpuShare !== undefined && o.cpuShare !== recorded) notes.push(`each instance ran under ${o.cpuShare} of a core, the measured one under ${recorded}: not like for like`);
  if (recorded === null) notes.push(`the measured instance had a core of its own; each verified instance ran under ${cpuShare} of a core: not like for like`);
  let rateFactor = 1;
  if (kind === 'launch-day') {
    const f = num(extra.rateFactor);
    if (f === null || num(extra.scale) === null) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected run.json extra.rateFactor and extra.scale (how the run compressed the day), got none: the run predates verify; run launch-day again`);
    rateFactor = f;
  }
  const field = (k: string): number => {
    const v = num(sizing[k]);
    if (v === null) throw new UsageError(`invalid ${summaryPath}: expected capacity.sizing.${k}, a number, got ${JSON.stringify(sizing[k])}`);
    return v;
  };
  const plan = verificationPlan({
    peakDemandRps: field('rate'), rateFactor, perInstanceRps: field('perInstanceRps'), maxWaitMs: field('maxWaitMs'),
    quantile: field('quantile'), headroom: field('headroom'), ...(o.instances !== undefined ? { instances: o.instances } : {}),
  });
  if (Math.abs(rateFactor - 1) > 1e-9) {
    notes.push(`the run sized ${num(sizing.serversWithHeadroom) ?? '?'} instances (${num(sizing.servers) ?? '?'} before headroom) for the real peak of ${round(field('rate'), 1)} requests/s; it offered ${round(rateFactor * 100, 1)}% of real arrivals, so verify checks Erlang C's fleet for ${round(plan.predictedRps, 1)} requests/s`);
  }
  if ((summary.capacity as { limitReached?: boolean } | undefined)?.limitReached === false) {
    notes.push('the run never reached its instance\'s limit: its per-instance rate is a lower bound, so N is an upper bound');
  }
  const slo = { p95Ms: num(summary.capacity?.slo?.p95Ms) ?? 800, errorRate: num(summary.capacity?.slo?.errorRate) ?? 0.01 };
  return { runInfo, kind, mode: runInfo.portalMode, cpuShare, rateFactor, plan, slo, notes };
}

/** The scenario a fleet is offered, its env, and the simulated clock the portal starts at. */
interface LoadSpec { scenarioFile: string; env: Record<string, string>; clock: string; clockSpeed: number; warmupSeconds: number; arrivalsPerSecond: number | null; cleanup(): void }

function loadSpec(input: VerifyInput, seconds: number, dir: string): LoadSpec {
  const extra = input.runInfo.extra;
  if (input.kind === 'sweep') {
    // a sweep's peak is requests of its one GET: one constant step at the predicted rate
    const path = String((extra.sweep as { path?: unknown }).path ?? '/api/v1/shops?district=Raipur');
    const file = join(dir, 'verify-scenario.js');
    writeFileSync(file, sweepScenarioSource(sweepOptions(planSweep({ from: input.plan.predictedRps, to: input.plan.predictedRps, steps: 1, stepDurationSeconds: seconds })), path));
    return { scenarioFile: file, env: {}, clock: '10:00', clockSpeed: 1, warmupSeconds: Math.min(2, seconds - 1), arrivalsPerSecond: input.plan.predictedRps, cleanup: () => rmSync(file, { force: true }) };
  }
  const timeScale = extra.timeScale as number;
  const scale = extra.scale as number;
  const quick = extra.quick === true || /(^|\s)--quick(\s|$)/.test(input.runInfo.command);
  const profileFile = typeof extra.profileFile === 'string' ? extra.profileFile : undefined;
  if (profileFile && !existsSync(profileFile)) throw new UsageError(`invalid run directory: its profile ${JSON.stringify(profileFile)} is gone (verify replays the run's traffic model)`);
  // the same plan the scenario will make from this env: where its peak is, for the portal's clock
  const plan = launchDayPlan({ quick, scale, timeScale, profileFile });
  const hold = peakHold(plan.options, seconds);
  const start = parseClock(plan.simulatedStart, 'simulatedStart');
  const atMinute = Math.floor(start + (hold.atMs / 1000) * timeScale / 60);
  return {
    scenarioFile: join(packageRoot(), 'scenarios', 'peak-hold.ts'),
    env: {
      QUICK: quick ? '1' : '', SCALE: String(scale), TIME_SCALE: String(timeScale), HOLD_SECONDS: String(seconds),
      SEED: String(input.runInfo.seed ?? 1), ...(profileFile ? { PROFILE_FILE: profileFile } : {}),
    },
    clock: formatClock(Math.min(atMinute, 23 * 60 + 59)), clockSpeed: timeScale,
    // journeys take a few seconds to reach their later steps: the first third (at most 10 s) is not measured
    warmupSeconds: Math.min(10, Math.floor(seconds / 3)), arrivalsPerSecond: hold.totalArrivalsPerSecond, cleanup: () => undefined,
  };
}

/** A fleet's figures over [from, to) of its windows. */
export function measureWindows(windows: readonly EncodedWindow[], from: number, to: number): Omit<FleetMeasurement, 'instances' | 'saturatedSeconds' | 'quotaUsedShare' | 'throttledShare'> & { failures: Record<string, number> } {
  const q = new MetricsQuery(windows);
  const range = { from, to };
  const seconds = Math.max(1, to - from);
  const requests = statistic(q.aggregate('http_reqs', range), 'count') ?? 0;
  const failedAgg = q.aggregate('http_req_failed', range);
  const failed = failedAgg.count ? failedAgg.sum : 0;
  const iterations = statistic(q.aggregate('iterations', range), 'count') ?? 0;
  const dropped = statistic(q.aggregate('dropped_iterations', range), 'count') ?? 0;
  // the failed answers by status (0: no answer), so a reader sees shedding (503) apart from errors (500)
  const failures: Record<string, number> = {};
  for (const w of q.windows('http_reqs', { ...range, tags: { expected_response: 'false' } })) {
    const status = w.tags.status ?? '0';
    failures[status] = (failures[status] ?? 0) + w.sum;
  }
  const serverErrors = Object.entries(failures).filter(([st]) => /^5\d\d$/.test(st) && st !== '503').reduce((a, [, c]) => a + c, 0);
  return {
    failures,
    serverErrorShare: requests > 0 ? serverErrors / requests : 0,
    offeredRps: requests / seconds,
    measuredRps: (requests - failed) / seconds,
    p95Ms: statistic(q.aggregate('http_req_duration', range), 'p(95)'),
    errorRate: requests > 0 ? failed / requests : 0,
    droppedShare: iterations + dropped > 0 ? dropped / (iterations + dropped) : 0,
    windowSeconds: seconds,
  };
}

/** The worst instance's use of its quota between two readings of its cgroup. */
export function quotaUse(before: readonly CpuUsage[], after: readonly CpuUsage[], elapsedMs: number, share: number): { quotaUsedShare: number | null; throttledShare: number | null } {
  let used: number | null = null;
  let throttled: number | null = null;
  after.forEach((a, i) => {
    const b = before[i];
    if (!b) return;
    if (a.usageUs !== null && b.usageUs !== null && elapsedMs > 0) used = Math.max(used ?? 0, (a.usageUs - b.usageUs) / (elapsedMs * 1000 * share));
    const periods = a.periods - b.periods;
    if (periods > 0) throttled = Math.max(throttled ?? 0, (a.throttledPeriods - b.throttledPeriods) / periods);
  });
  return { quotaUsedShare: used, throttledShare: throttled };
}

export async function verifyRun(o: VerifyOptions): Promise<{ verification: Verification; path: string; reportPath: string }> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const seconds = o.seconds ?? VERIFY_SECONDS.default;
  if (!Number.isInteger(seconds) || seconds < VERIFY_SECONDS.min || seconds > VERIFY_SECONDS.max) {
    throw new UsageError(`invalid --seconds: expected a whole number of seconds from ${VERIFY_SECONDS.min} to ${VERIFY_SECONDS.max}, got ${JSON.stringify(o.seconds)}`);
  }
  const input = readVerifyInput(o.runDir, o);
  // no root or no cgroup cpu controller: exit 3 before anything is started or written
  checkCpuCgroups();
  const runDir = resolve(o.runDir);
  const { plan, cpuShare } = input;
  const cores = availableParallelism();
  const quotaCores = plan.instances * cpuShare;
  const overcommitted = quotaCores > Math.max(1, cores - 1);
  const notes = [...input.notes];
  if (overcommitted) notes.push(`${plan.instances} instances × ${cpuShare} of a core = ${quotaCores} cores of quota, beside the load generator on a ${cores}-core machine: the machine, not the quota, may limit them`);
  log(`verify: the sizing predicts ${plan.instances} instances (${plan.instancesWithHeadroom} with headroom) for ${round(plan.predictedRps, 1)} requests/s at ${round(plan.perInstanceRps, 1)} per instance; each instance under ${cpuShare} of a core; ${seconds} s per fleet`);

  // a verification replaces the last one whole: no fleet directory of an earlier N is left beside it
  rmSync(join(runDir, 'verify'), { recursive: true, force: true });
  rmSync(join(runDir, VERIFICATION_FILE), { force: true });
  const work = mkdtempSync(join(tmpdir(), 'capacity-test-verify-'));
  const spec = loadSpec(input, seconds, work);
  const fleets: Array<FleetResult> = [];
  // the machine's 1-minute load average around each fleet: a busy machine's figures are the machine's
  const loads: number[] = [loadavg()[0]!];
  try {
    for (const n of plan.fleets) {
      if (o.signal?.aborted) throw new AbortedError('verify interrupted before every fleet was measured');
      const adminToken = randomBytes(16).toString('hex');
      const dbDir = mkdtempSync(join(work, `fleet-${n}-`));
      log(`verify: ${n} instance${n === 1 ? '' : 's'} under ${cpuShare} of a core each, simulated clock ${spec.clock} ×${spec.clockSpeed}`);
      let fleet: PortalFleet | undefined;
      const fleetDir = join(runDir, 'verify', `${n}-instance${n === 1 ? '' : 's'}`);
      mkdirSync(fleetDir, { recursive: true });
      // the instances' own logs (errors they answered 500 for), beside the fleet's run
      const portalLog = createWriteStream(join(fleetDir, 'portal.log'));
      try {
        fleet = await startPortalFleet({ instances: n, dbFile: join(dbDir, 'portal.db'), mode: input.mode, clock: spec.clock, clockSpeed: spec.clockSpeed, adminToken, cpuShare, logFile: portalLog });
        const cgroups = fleet.instances.map((p) => p.cgroup!);
        let before: CpuUsage[] = [];
        let startedAt = 0;
        const { result } = await runScenarioToDir({
          scenarioFile: spec.scenarioFile, env: { ...spec.env, TARGET: fleet.url }, outDir: fleetDir,
          command: `verify ${o.runDir} (${n} instances)`, retainWindows: true, observers: o.observers, signal: o.signal,
          workers: o.workers, reservedCores: Math.min(cores - 1, Math.ceil(n * cpuShare)),
          onStart: () => { before = cgroups.map((c) => c.usage()); startedAt = Date.now(); },
          extra: { portalMode: input.mode, extra: { verifies: input.runInfo.id, instances: n, cpuShare } },
        });
        const after = cgroups.map((c) => c.usage());
        const elapsed = Date.now() - startedAt;
        loads.push(loadavg()[0]!);
        if (result.aborted || o.signal?.aborted) throw new AbortedError(`verify interrupted while ${n} instances were measured (${result.abortReason ?? 'interrupted'})`);
        const m = measureWindows(result.windows, spec.warmupSeconds, seconds);
        const saturated = result.saturatedSeconds.filter((t) => t >= spec.warmupSeconds && t < seconds).length;
        const judged = judgeFleet({ ...m, instances: n, saturatedSeconds: saturated, ...quotaUse(before, after, elapsed, cpuShare) }, plan.predictedRps, input.slo);
        fleets.push({ ...judged, failures: m.failures, runDir: relative(runDir, fleetDir) });
        log(`verify: ${n} instance${n === 1 ? '' : 's'} served ${round(m.measuredRps, 1)} of ${round(m.offeredRps, 1)} requests/s offered, p95 ${m.p95Ms === null ? '—' : round(m.p95Ms, 1)} ms: ${judged.held ? 'held' : `did not hold (${judged.reasons.join('; ')})`}`);
      } finally {
        await fleet?.stop();
        await new Promise<void>((r) => portalLog.end(r));
        rmSync(dbDir, { recursive: true, force: true });
      }
    }
  } finally {
    spec.cleanup();
    rmSync(work, { recursive: true, force: true });
  }

  const busiest = Math.max(...loads);
  if (busiest > cores) notes.push(`the machine was busy: load average up to ${round(busiest, 1)} on ${cores} cores while the fleets ran, so latencies and shedding are partly other work's`);
  const verdict = verificationVerdict({ plan, fleets, machineOvercommitted: overcommitted, machineBusy: busiest > cores });
  const n = fleets.find((f) => f.instances === plan.instances)!;
  const verification: Verification = verificationSchema.parse({
    schemaVersion: 1, runId: input.runInfo.id, verifiedAt: new Date().toISOString(),
    instances: plan.instances, instancesWithHeadroom: plan.instancesWithHeadroom, cpuShare,
    perInstanceRps: plan.perInstanceRps, predictedRps: plan.predictedRps, modelCapacityRps: plan.modelCapacityRps,
    measuredRps: n.measuredRps, p95Ms: n.p95Ms, held: n.held,
    deviation: verdict.deviation, withinTarget: verdict.withinTarget, target: VERIFY_TARGET,
    fewer: fleets.find((f) => f.instances === plan.instances - 1) ?? null, fleets,
    finding: verdict.finding, wrongTerm: verdict.wrongTerm, impliedPerInstanceRps: verdict.impliedPerInstanceRps, impliedKappa: verdict.impliedKappa,
    explanation: verdict.explanation,
    load: { kind: input.kind, seconds, warmupSeconds: spec.warmupSeconds, rateFactor: input.rateFactor, arrivalsPerSecond: spec.arrivalsPerSecond },
    machine: { cores, quotaCores, overcommitted, loadAverage: { min: round(Math.min(...loads), 2), max: round(busiest, 2) } },
    notes,
  });
  const path = join(runDir, VERIFICATION_FILE);
  writeFileSync(path, JSON.stringify(verification, null, 2) + '\n');
  const { buildReportFromRunDir } = await import('../report/index.js');
  const report = await buildReportFromRunDir(runDir, { lang: o.lang ?? 'en', screenshot: false });
  return { verification, path, reportPath: report.reportPath };
}

function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
