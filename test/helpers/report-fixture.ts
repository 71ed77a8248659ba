import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WindowRecorder, encodeWindows, encodeWindowsV1, TREND_SCALE, SIGNIFICANT_DIGITS, type EncodedWindow } from '../../src/metrics/index.js';
import { DEFAULTS } from '../../src/profile/index.js';
import { RUN_FILES, type RunInfo, type ServerMetricsFile, type ReconcileResult } from '../../src/rundir/run-dir.js';

/** A small seeded generator of run directories, so report tests never wait for the engine. */
export interface FixtureOptions {
  seconds?: number;
  seed?: number;
  /** planned iterations per second at the end of a linear ramp */
  peakRate?: number;
  /** the server's capacity in iterations/s: beyond it latency climbs and errors start */
  capacity?: number;
  withServer?: boolean;
  thresholds?: Record<string, string[]>;
  extra?: Record<string, unknown>;
  scenarioName?: string;
}

export interface Fixture { runInfo: RunInfo; windows: EncodedWindow[]; server: ServerMetricsFile | null }

const START = 1_767_000_000_000;

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export function makeRun(o: FixtureOptions = {}): Fixture {
  const seconds = o.seconds ?? 60, peak = o.peakRate ?? 40, capacity = o.capacity ?? 25;
  const rnd = lcg(o.seed ?? 7);
  const r = new WindowRecorder(START);
  const endpoints = ['POST /api/v1/register', 'POST /api/v1/otp/verify', 'GET /api/v1/shops', 'POST /api/v1/orders'];
  for (let t = 0; t < seconds; t++) {
    const at = START + t * 1000;
    const planned = Math.round((peak * (t + 1)) / seconds);
    const overload = Math.max(0, planned - capacity) / capacity;
    const dropped = overload > 0.4 ? Math.round(planned * 0.1) : 0;
    const started = planned - dropped;
    r.add('planned_iterations', 'counter', { scenario: 'citizens' }, planned, at);
    if (dropped) r.add('dropped_iterations', 'counter', { scenario: 'citizens' }, dropped, at);
    r.add('vus', 'gauge', {}, Math.round(started * (1 + overload * 4)), at + 500);
    r.add('schedule_lag', 'trend', {}, overload > 0.4 ? 80 + rnd() * 40 : 1 + rnd() * 3, at + 10);
    r.add('generator_event_loop_lag', 'trend', {}, 2 + rnd() * 5, at + 20);
    r.add('generator_cpu', 'gauge', {}, 20 + 60 * (planned / peak), at + 900);
    for (let i = 0; i < started; i++) {
      r.add('iterations', 'counter', { scenario: 'citizens' }, 1, at + 990);
      for (const name of endpoints) {
        const base = name.startsWith('GET') ? 15 : 40;
        const ms = base * (1 + overload * 20) * (0.5 + rnd());
        const fail = overload > 0.2 && rnd() < overload * 0.3;
        const status = fail ? (rnd() < 0.5 ? '503' : '0') : name === 'POST /api/v1/register' ? '201' : name === 'POST /api/v1/orders' ? '202' : '200';
        const tags = { name, method: name.split(' ')[0], status, scenario: 'citizens' };
        const when = at + Math.floor(rnd() * 999);
        r.add('http_reqs', 'counter', tags, 1, when);
        r.add('http_req_duration', 'trend', tags, ms, when);
        r.add('http_req_waiting', 'trend', tags, ms * 0.9, when);
        r.add('http_req_failed', 'rate', tags, fail ? 1 : 0, when);
      }
    }
  }
  const windows = r.drain();
  const runInfo: RunInfo = {
    id: 'fixture-run', command: 'launch-day --quick', scenario: o.scenarioName ?? 'scenarios/launch-day.ts',
    target: 'http://127.0.0.1:1234', startedAt: new Date(START).toISOString(), startedAtMs: START,
    endedAt: new Date(START + seconds * 1000).toISOString(), durationSeconds: seconds, plannedDurationSeconds: seconds,
    engine: { name: 'capacity-test', version: '0.1.0' }, workers: 2, segment: null, gitCommit: 'abc1234',
    portalMode: 'as-built', seed: o.seed ?? 7, aborted: false, abortReason: null,
    options: o.thresholds ? { thresholds: o.thresholds } : null,
    // as launch-day records it: the resolved traffic model, each value with its source
    profile: { registrations: DEFAULTS.registrations, firstHourShare: DEFAULTS.firstHourShare, orderValuePaise: DEFAULTS.orderValuePaise },
    extra: { peakDemandRps: 120, simulatedStart: '09:00:00', timeScale: 60, ...(o.extra ?? {}) },
  };
  let server: ServerMetricsFile | null = null;
  if (o.withServer !== false) {
    const rec = (t: number): ReconcileResult => ({
      walletDiscrepancyPaise: 0, stuckDebits: t > seconds / 2 ? Math.round(t / 4) : 0,
      totals: { topupsPaise: 4_32_00_000_00 * (t / seconds), capturedPaise: 3_000_000_00 * (t / seconds), refundedPaise: 50_000_00 * (t / seconds), heldPaise: 2_000_00 * t, balancesPaise: 1_000_00 },
      orders: { placed: 29_000 * (t / seconds), accepted: 28_000 * (t / seconds) },
    });
    server = {
      target: 'http://127.0.0.1:1234',
      scrapes: Array.from({ length: seconds }, (_, t) => ({
        t, at: START + t * 1000,
        samples: {
          portal_queue_depth: [{ labels: {}, value: Math.max(0, (t - seconds / 2) * 7) }],
          nodejs_eventloop_lag_seconds: [{ labels: {}, value: 0.002 + Math.max(0, t - seconds / 2) * 0.004 }],
          process_cpu_seconds_total: [{ labels: {}, value: t * Math.min(1, 0.3 + t / seconds) }],
        },
      })),
      reconcile: rec(seconds),
      reconcileTimeline: Array.from({ length: Math.floor(seconds / 5) }, (_, i) => ({ t: i * 5, at: START + i * 5000, result: rec(i * 5) })),
      clock: Array.from({ length: seconds }, (_, t) => {
        const s = 9 * 3600 + t * 60;
        const hh = String(Math.floor(s / 3600)).padStart(2, '0'), mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
        return { t, at: START + t * 1000, simulated: `${hh}:${mm}:00` };
      }),
    };
  }
  return { runInfo, windows, server };
}

/**
 * Write a fixture as a run directory (docs/contracts.md#run-directory) and return its path. `format: 1` writes the
 * metrics as the code before metrics format v2 did (one window object a line, HDR compressed base64).
 */
export function writeRunDir(dir: string, f: Fixture, o: { format?: 1 | 2 } = {}): string {
  mkdirSync(join(dir, RUN_FILES.metricsDir), { recursive: true });
  writeFileSync(join(dir, RUN_FILES.run), JSON.stringify(f.runInfo, null, 2));
  writeFileSync(join(dir, RUN_FILES.metricsMeta), JSON.stringify({ schemaVersion: 1, startedAt: f.runInfo.startedAtMs, windowSeconds: 1, trendScale: TREND_SCALE, significantDigits: SIGNIFICANT_DIGITS, ...(o.format === 1 ? {} : { windowsFormat: 2 }) }));
  writeFileSync(join(dir, RUN_FILES.windows), o.format === 1 ? encodeWindowsV1(f.windows) : encodeWindows(f.windows));
  if (f.server) writeFileSync(join(dir, RUN_FILES.serverMetrics), JSON.stringify(f.server));
  return dir;
}
