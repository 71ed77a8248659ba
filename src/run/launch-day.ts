import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../contracts/errors.js';
import { newRunId } from '../contracts/run-id.js';
import { launchDayPlan } from '../profile/index.js';
import { buildReportFromRunDir } from '../report/index.js';
import type { EngineObserver } from '../engine/index.js';
import { runScenarioToDir } from './run-scenario.js';
import { startPortalProcess, type PortalProcess } from './portal-process.js';
import { RUN_FILES } from '../rundir/run-dir.js';
import { ServerScraper } from './scraper.js';
import { runGate } from './gate-step.js';
import { checkReachable } from './reachability.js';
import { writeDriver } from './drive-scenario.js';

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
  profileFile?: string;
  /** the user's scenario: the traffic model drives its exported journeys (src/run/drive-scenario.ts) */
  scenario?: string;
  /** Prometheus endpoints scraped every second during the run, and the series of theirs the report charts */
  metricsUrls?: readonly string[];
  metricsSeries?: readonly string[];
  scale?: number;
  timeScale?: number;
  command: string;
  log?: (line: string) => void;
}

export interface LaunchDayOutcome {
  runDir: string;
  reportPath: string;
  exitCode: number;
}

export const SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

/**
 * The main job: embedded portal (unless --target), scenario from the traffic model, engine, scrape,
 * report, optional gate. Every stage writes to the run directory, so a failure later keeps what came
 * before.
 */
export async function launchDay(o: LaunchDayOptions): Promise<LaunchDayOutcome> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const plan = launchDayPlan({ quick: o.quick, profileFile: o.profileFile, scale: o.scale, timeScale: o.timeScale });
  const runId = newRunId('launch-day');
  const runDir = resolve(o.out ?? join('reports', runId));
  mkdirSync(runDir, { recursive: true });
  log(`launch-day: ${plan.description}`);

  const adminToken = process.env.PORTAL_ADMIN_TOKEN ?? randomBytes(16).toString('hex');
  let portal: PortalProcess | undefined;
  let portalDir: string | undefined;
  let target = o.target?.replace(/\/$/, '');
  if (target) {
    await checkReachable(target);
  } else {
    portalDir = mkdtempSync(join(tmpdir(), 'capacity-test-portal-'));
    log(`starting the reference portal (${o.mode}) on core 0, simulated clock ${plan.simulatedStart} at ×${plan.timeScale}`);
    portal = await startPortalProcess({
      mode: o.mode, clock: plan.simulatedStart, clockSpeed: plan.timeScale, adminToken,
      dbFile: join(portalDir, 'portal.db'), core: 0,
    });
    target = portal.url;
  }

  const driver = o.scenario ? writeDriver(o.scenario, SCENARIOS_DIR) : undefined;
  const scraper = new ServerScraper({ target, adminToken: o.target && !process.env.PORTAL_ADMIN_TOKEN ? undefined : adminToken,
    metricsUrls: o.metricsUrls, series: o.metricsSeries });
  scraper.start();
  let scraperStopped = false;
  try {
    const { result } = await runScenarioToDir({
      scenarioFile: driver?.file ?? join(SCENARIOS_DIR, 'launch-day.ts'),
      env: {
        TARGET: target,
        ...(driver ? { THINK_SCALE: String(1 / plan.timeScale) } : {}),
        QUICK: o.quick ? '1' : '',
        SEED: String(o.seed),
        ...(o.profileFile ? { PROFILE_FILE: resolve(o.profileFile) } : {}),
        ...(o.scale !== undefined ? { SCALE: String(o.scale) } : {}),
        ...(o.timeScale !== undefined ? { TIME_SCALE: String(o.timeScale) } : {}),
      },
      workers: o.workers,
      reservedCores: portal ? 1 : 0,
      observers: o.observers,
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
        },
      },
    });
    const server = await scraper.stop(result.startedAtMs);
    scraperStopped = true;
    writeFileSync(join(runDir, RUN_FILES.serverMetrics), JSON.stringify(server));
    if (scraper.failures > 0) log(`note: ${scraper.failures} scrapes of ${target}/metrics failed (recorded as gaps)`);
    await portal?.stop();
    portal = undefined;

    const report = await buildReportFromRunDir(runDir, { lang: o.lang, screenshot: false });
    const thresholdsFailed = !result.thresholds.pass || !report.summary.thresholds.pass;
    let exitCode: number = result.aborted ? ExitCode.aborted : thresholdsFailed ? ExitCode.failed : ExitCode.ok;
    if (thresholdsFailed) log(`thresholds failed: ${result.thresholds.checks.filter((c) => !c.pass).map((c) => `${c.name} ${c.threshold} (got ${c.value === null ? 'no value' : Math.round(c.value * 1000) / 1000})`).join('; ')}`);
    if (o.baseline) {
      const gate = await runGate(o.baseline, join(runDir, RUN_FILES.summary), runDir);
      if (!gate.pass && exitCode === ExitCode.ok) exitCode = ExitCode.failed;
    }
    return { runDir, reportPath: report.reportPath, exitCode };
  } finally {
    // only when the run failed before the scrape was collected
    if (!scraperStopped) await scraper.stop(Date.now()).catch(() => undefined);
    driver?.cleanup();
    await portal?.stop();
    if (portalDir) rmSync(portalDir, { recursive: true, force: true });
  }
}

