import { randomBytes } from 'node:crypto';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExitCode, UsageError } from '../contracts/errors.js';
import { loadSummary } from '../gate/load.js';
import { newRunId } from '../contracts/run-id.js';
import { launchDayPlan } from '../profile/index.js';
import { buildReportFromRunDir } from '../report/index.js';
import type { EngineObserver } from '../engine/index.js';
import { runScenarioToDir } from './run-scenario.js';
import { startPortalProcess, type PortalProcess } from './portal-process.js';
import { RUN_FILES, type RunInfo } from '../rundir/run-dir.js';
import { assessRunDir, requestsPerArrival } from '../assess/index.js';
import { describeMix, journeyMix, journeySweepOptions, sweptJourneys } from './journey-sweep.js';
import { limitSweepPlan, runSweep } from './sweep.js';
import { checkOutDir } from '../rundir/out-dir.js';
import { ServerScraper } from './scraper.js';
import { runGate } from './gate-step.js';
import { checkMetricsUrl, checkReachable, undiciGet } from './reachability.js';
import { routeTarget, type TargetRoute } from './target-route.js';
import { writeDriver } from './drive-scenario.js';
import { portalFaults, scheduleFaults, type FaultSchedule } from './fault-schedule.js';
import { alignPortalClock, portalClock } from './portal-clock.js';
import { formatClock, parseClock } from '../contracts/clock.js';

export interface LaunchDayOptions {
  target?: string;
  mode: 'resilient' | 'as-built';
  quick: boolean;
  out?: string;
  lang: 'en' | 'hi';
  baseline?: string;
  seed: number;
  workers?: number;
  /** listeners of the engine's events (the console printer: src/cli/progress-printer.ts) */
  observers?: readonly EngineObserver[];
  /** aborted by the first interrupt (src/cli/interrupts.ts): arrivals stop, the run drains, the report is written */
  signal?: AbortSignal;
  profileFile?: string;
  /** the user's scenario: the traffic model drives its exported journeys (src/run/drive-scenario.ts) */
  scenario?: string;
  /** Prometheus endpoints scraped every second during the run, and the series of theirs the report charts */
  metricsUrls?: readonly string[];
  metricsSeries?: readonly string[];
  scale?: number;
  timeScale?: number;
  /** the embedded portal under a CPU quota of this share of one core (src/run/cgroup.ts), recorded in run.json for `verify` */
  cpuShare?: number;
  /** accept any TLS certificate of the target (a staging server's self-signed one): the engine, the reachability check and the scraper */
  insecure?: boolean;
  /** the name a staging server behind a shared --target address answers to: sent as Host and TLS server name (src/run/target-route.ts) */
  hostHeader?: string;
  command: string;
  log?: (line: string) => void;
  /** after a replay that held every level, sweep the same portal with the day's journeys to find one instance's limit (default true; --no-find-limit) */
  findLimit?: boolean;
}

/** Where the limit sweep's own run directory goes, inside the launch day's. */
export const LIMIT_SWEEP_DIR = 'limit-sweep';

/**
 * When the replay held every level (capacity.limitReached false), sweep the same portal from the rate
 * the replay held upwards (limitSweepPlan, planSweep's steps) with the day's own traffic: the scenario
 * the replay ran, its journeys in their shares at the day's peak, each step's requests/s split among
 * them by the requests an arrival of each made in the replay (src/run/journey-sweep.ts). What it found
 * goes into run.json's extra.limitSweep: the Assessment then sizes the fleet on the sweep's measured
 * limit, and the report says so (src/assess/assessment.ts). A sweep that fails to run is noted and the
 * replay's figures stand.
 */
async function findLimit(o: {
  runDir: string; target: string; quick: boolean; lang: 'en' | 'hi'; reservedCores: number; workers?: number;
  scenarioFile: string; env: Record<string, string>; seed: number;
  observers?: readonly EngineObserver[]; signal?: AbortSignal; command: string; log: (line: string) => void;
}): Promise<void> {
  const a = await assessRunDir(o.runDir);
  const cap = a.capacity;
  const held = cap.maxSustainableRps;
  if (cap.limitReached !== false || held === null || !(held > 0)) return;
  const plan = limitSweepPlan(held, o.quick);
  const seconds = plan[plan.length - 1].startSeconds + plan[plan.length - 1].durationSeconds;
  const base = { seconds, fromRps: plan[0].rate, toRps: plan[plan.length - 1].rate };
  let record: Record<string, unknown>;
  let journeys: ReturnType<typeof sweptJourneys> = [];
  try {
    const perArrival = requestsPerArrival(a.digest.totals);
    const mix = journeyMix(a.runInfo.options ?? {}, perArrival.perScenario, perArrival.overall ?? 1);
    journeys = sweptJourneys(mix);
    o.log(`the replay held every load level up to ${Math.round(held)} requests/s: finding one instance's limit with a ${seconds} s stepped sweep of the day's journeys in their peak shares (${describeMix(mix)}), ${plan[0].rate}–${plan[plan.length - 1].rate} requests/s; --no-find-limit skips it`);
    const r = await runSweep({
      plan, outDir: join(o.runDir, LIMIT_SWEEP_DIR), target: o.target, mode: 'resilient',
      // another seed: the sweep's new users register numbers the replay's did not
      journeys: { scenarioFile: o.scenarioFile, env: { ...o.env, SEED: String(o.seed + 1) }, options: journeySweepOptions(plan, mix), record: journeys },
      capacity: { slo: a.slo, peakDemandRps: cap.peakDemandRps, ...(typeof (cap.sizing as { headroom?: unknown } | null)?.headroom === 'number' ? { headroom: (cap.sizing as { headroom: number }).headroom } : {}) },
      workers: o.workers, reservedCores: o.reservedCores, observers: o.observers, signal: o.signal, lang: o.lang,
      command: `${o.command} (limit sweep)`,
    });
    const c = r.capacity;
    // the limit: the first step above the highest one held that failed on the system's account; when
    // every step failed (the first is already above what the replay held) it is the replay's level
    const heldAt = Math.max(-Infinity, ...c.steps.filter((x) => x.sustained).map((x) => x.offeredRps));
    const failed = c.steps.find((x) => !x.sustained && x.throughputRps !== null && x.offeredRps > heldAt);
    const best = c.maxSustainableRps ?? (failed ? held : null);
    record = {
      // path: null since the sweep replays the journeys (older run.json files name the one path it GET)
      runDir: LIMIT_SWEEP_DIR, path: null, journeys, ...base,
      maxSustainableRps: best, limitReached: failed !== undefined && best !== null, heldBy: c.maxSustainableRps !== null ? 'sweep' : failed ? 'replay' : null, failedAtRps: failed?.offeredRps ?? null, failedBy: failed?.failedBy ?? [],
      saturatedSeconds: r.saturatedSeconds.length, stoppedEarly: r.stoppedEarly, notes: c.notes,
    };
    o.log(failed && best !== null ? `limit sweep: one instance sustains about ${Math.round(best)} requests/s of the day's journeys (failed at ${Math.round(failed?.offeredRps ?? 0)}: ${(failed?.failedBy ?? []).join(', ')})` : `limit sweep: the limit was not found (${c.notes[0] ?? 'every step held'})`);
  } catch (err) {
    record = { runDir: null, path: null, journeys, ...base, maxSustainableRps: null, limitReached: false, failedAtRps: null, failedBy: [], error: (err as Error).message };
    o.log(`limit sweep failed, the replay's figures stand: ${(err as Error).message}`);
  }
  const runPath = join(o.runDir, RUN_FILES.run);
  const info = JSON.parse(readFileSync(runPath, 'utf8')) as RunInfo;
  info.extra = { ...(info.extra ?? {}), limitSweep: record };
  writeFileSync(runPath, JSON.stringify(info, null, 2) + '\n');
}

export interface LaunchDayOutcome {
  runDir: string;
  reportPath: string;
  exitCode: number;
}

/** fetch through an undici dispatcher (the scraper's requests under --insecure) */
function fetchVia(dispatcher: Dispatcher): typeof fetch {
  return ((url: string | URL, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

export const SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

/**
 * The main job: embedded portal (unless --target), scenario from the traffic model, engine, scrape,
 * report, optional gate. Every stage writes to the run directory, so a failure later keeps what came
 * before.
 */
export async function launchDay(o: LaunchDayOptions): Promise<LaunchDayOutcome> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  // Every input is checked before the load starts (a missing baseline is not found after the run), and
  // nothing is written until then: the run directory is made by the run itself (run-scenario.ts).
  const plan = launchDayPlan({ quick: o.quick, profileFile: o.profileFile, scale: o.scale, timeScale: o.timeScale });
  if (o.baseline) await loadSummary(o.baseline, 'baseline');
  if (o.cpuShare !== undefined && o.target) throw new UsageError(`invalid --cpu-share: it limits the embedded portal, and --target ${o.target} names another`);
  if (plan.faults.some((f) => f.kind === 'crash') && o.target) {
    throw new UsageError(`invalid --profile ${o.profileFile}: a crash fault kills the portal and starts it again, which only the embedded portal can be (not --target ${o.target})`);
  }
  if (plan.faults.length && o.target && !process.env.PORTAL_ADMIN_TOKEN) {
    throw new UsageError(`invalid --profile ${o.profileFile}: its faults are sent to ${o.target}/admin/faults, which needs the portal's admin token: set PORTAL_ADMIN_TOKEN`);
  }
  const runId = newRunId('launch-day');
  const runDir = resolve(o.out ?? join('reports', runId));
  checkOutDir(runDir);
  log(`launch-day: ${plan.description}`);

  const adminToken = process.env.PORTAL_ADMIN_TOKEN ?? randomBytes(16).toString('hex');
  let portal: PortalProcess | undefined;
  let portalDir: string | undefined;
  if (o.hostHeader !== undefined && !o.target) throw new UsageError(`invalid --host-header: it names the host of --target's address, and no --target is given, got ${JSON.stringify(o.hostHeader)}`);
  // --host-header and --insecure: the scenario, the check and the scraper all reach the target the same way
  const route: TargetRoute | undefined = o.target ? routeTarget(o.target.replace(/\/$/, ''), { hostHeader: o.hostHeader, insecure: o.insecure }) : undefined;
  let target = route?.target;
  const tlsAnyway = route?.dispatcher;
  if (target) await checkReachable(target, undiciGet(tlsAnyway));
  for (const url of o.metricsUrls ?? []) await checkMetricsUrl(url);
  const driver = o.scenario ? writeDriver(o.scenario, SCENARIOS_DIR) : undefined;
  // The portal's temporary database (and the driver's files) go whatever happens, a second Ctrl-C (process.exit) included.
  const removeTemporaryFiles = (): void => {
    if (portalDir) rmSync(portalDir, { recursive: true, force: true });
    driver?.cleanup();
  };
  process.on('exit', removeTemporaryFiles);
  let scraper: ServerScraper | undefined;
  let scraperStopped = false;
  let faults: FaultSchedule | undefined;
  try {
    if (!target) {
      portalDir = mkdtempSync(join(tmpdir(), 'capacity-test-portal-'));
      log(`starting the reference portal (${o.mode}) on core 0${o.cpuShare !== undefined ? ` under ${o.cpuShare} of a core` : ''}, simulated clock ${plan.simulatedStart} at ×${plan.timeScale}`);
      portal = await startPortalProcess({
        mode: o.mode, clock: plan.simulatedStart, clockSpeed: plan.timeScale, adminToken,
        dbFile: join(portalDir, 'portal.db'), core: 0, ...(o.cpuShare !== undefined ? { cpuShare: o.cpuShare } : {}),
      });
      target = portal.url;
    }
    scraper = new ServerScraper({ target, ...(tlsAnyway ? { fetchFn: fetchVia(tlsAnyway) } : {}), adminToken: o.target && !process.env.PORTAL_ADMIN_TOKEN ? undefined : adminToken,
      metricsUrls: o.metricsUrls, series: o.metricsSeries });
    scraper.start();
    // the embedded portal's day on the plan's clock: at the engine's second 0 it reads the plan's first time
    const aligned = portal ? alignPortalClock(parseClock(plan.simulatedStart), portalClock(target, adminToken), log) : undefined;
    if (plan.faults.length) {
      const url = target;
      // after a crash: the portal again on its port and database, its clock where the day has got to
      const restart = async (elapsedSeconds: number): Promise<void> => {
        const dead = portal;
        if (!dead || !portalDir) throw new Error('no embedded portal to start again');
        if (dead.child.exitCode === null && dead.child.signalCode === null) await new Promise((r) => dead.child.once('exit', r));
        const clock = formatClock(parseClock(plan.simulatedStart) + Math.floor((elapsedSeconds * plan.timeScale) / 60));
        portal = await startPortalProcess({
          mode: o.mode, clock, clockSpeed: plan.timeScale, adminToken, dbFile: join(portalDir, 'portal.db'), core: 0,
          port: Number(new URL(url).port), ...(o.cpuShare !== undefined ? { cpuShare: o.cpuShare } : {}),
        });
        // to the second: the plan's clock as the first portal had it
        await aligned?.resend(portalClock(portal.url, adminToken));
        log(`the reference portal started again at ${clock} (simulated) on ${portal.url}`);
      };
      faults = scheduleFaults(plan.faults, portalFaults(target, adminToken), Date.now, log, restart);
    }
    const scenarioFile = driver?.file ?? join(SCENARIOS_DIR, 'launch-day.ts');
    // (without TARGET: the limit sweep offers the same scenario the same way)
    const scenarioEnv: Record<string, string> = {
      ...(driver ? { THINK_SCALE: String(1 / plan.timeScale) } : {}),
      QUICK: o.quick ? '1' : '',
      ...(o.insecure ? { INSECURE: '1' } : {}),
      ...(route?.hosts ? { HOSTS: JSON.stringify(route.hosts) } : {}),
      SEED: String(o.seed),
      ...(o.profileFile ? { PROFILE_FILE: resolve(o.profileFile) } : {}),
      ...(o.scale !== undefined ? { SCALE: String(o.scale) } : {}),
      ...(o.timeScale !== undefined ? { TIME_SCALE: String(o.timeScale) } : {}),
    };
    const { result } = await runScenarioToDir({
      scenarioFile,
      env: { TARGET: target, ...scenarioEnv },
      workers: o.workers,
      reservedCores: portal ? 1 : 0,
      observers: [...(o.observers ?? []), ...(aligned ? [aligned.observer] : []), ...(faults ? [faults.observer] : [])],
      signal: o.signal,
      outDir: runDir,
      command: o.command,
      extra: {
        target,
        portalMode: portal ? o.mode : null,
        seed: o.seed,
        profile: plan.profile,
        extra: {
          description: plan.description,
          simulatedStart: plan.simulatedStart,
          timeScale: plan.timeScale,
          peakDemandRps: plan.peakDemandRps,
          // what the measured instance ran under, for `verify` (null: a whole core of its own)
          cpuShare: portal ? (o.cpuShare ?? null) : null,
          // how the run offered the day, so that `verify` offers its peak the same way
          rateFactor: plan.scale * plan.timeScale,
          scale: plan.scale,
          quick: o.quick,
          profileFile: o.profileFile ? resolve(o.profileFile) : null,
        },
      },
    });
    await aligned?.done();
    if (faults) {
      const records = await faults.finish();
      faults = undefined;
      writeFileSync(join(runDir, RUN_FILES.faults), JSON.stringify({ schemaVersion: 1, faults: records }, null, 2) + '\n');
    }
    const server = await scraper.stop(result.startedAtMs);
    scraperStopped = true;
    writeFileSync(join(runDir, RUN_FILES.serverMetrics), JSON.stringify(server));
    for (const [url, n] of scraper.failuresByUrl) log(`note: ${n} scrapes of ${url} failed (recorded as gaps)`);
    // A replay that held every level measured no limit: a short stepped sweep of the same portal finds one.
    // (not through --insecure or --host-header: the sweep checks the target's certificate and resolves its name as `sweep` does)
    if (o.findLimit !== false && !o.insecure && !route?.hosts && !result.aborted && !o.signal?.aborted) {
      await findLimit({ runDir, target, quick: o.quick, lang: o.lang, reservedCores: portal ? 1 : 0, workers: o.workers, scenarioFile, env: scenarioEnv, seed: o.seed, observers: o.observers, signal: o.signal, command: o.command, log });
    }
    await portal?.stop();
    portal = undefined;

    const report = await buildReportFromRunDir(runDir, { lang: o.lang, screenshot: false });
    const thresholdsFailed = !result.thresholds.pass || !report.summary.thresholds.pass;
    const stoppedEarly = result.aborted || o.signal?.aborted === true;
    if (thresholdsFailed) log(`thresholds failed: ${result.thresholds.checks.filter((c) => !c.pass).map((c) => `${c.name} ${c.threshold} (got ${c.value === null ? 'no value' : Math.round(c.value * 1000) / 1000})`).join('; ')}`);
    // an interrupted run is not compared with a baseline: its seconds are not the test's
    const gate = o.baseline && !stoppedEarly ? await runGate(o.baseline, join(runDir, RUN_FILES.summary), runDir) : undefined;
    const exitCode = runExitCode({ stoppedEarly, thresholdsPass: !thresholdsFailed, gatePass: gate?.pass });
    return { runDir, reportPath: report.reportPath, exitCode };
  } finally {
    await faults?.finish().catch(() => undefined);
    // only when the run failed before the scrape was collected
    if (scraper && !scraperStopped) await scraper.stop(Date.now()).catch(() => undefined);
    await portal?.stop();
    removeTemporaryFiles();
    process.off('exit', removeTemporaryFiles);
  }
}

