/**
 * The run directory (docs/contracts.md#run-directory): the plain data passed between stages. Every stage after the
 * engine re-runs from these files alone (`capacity-test report <run-dir>`).
 *
 *   run.json                 RunInfo
 *   metrics/meta.json        MetricsMeta (src/metrics/types.ts)
 *   metrics/windows.jsonl.gz gzip JSON lines, format v2: series defined once, one row of windows a
 *                            second, trend histograms as HDR bucket lists (src/metrics/codec.ts);
 *                            format v1 (one EncodedWindow object a line, HDR base64) still reads
 *   metrics/windows.partial.jsonl  the same lines uncompressed, appended each second during the run;
 *                            replaced by windows.jsonl.gz at the end (left only by a killed process,
 *                            and then read in its place)
 *   server-metrics.json      ServerMetricsFile (absent when no portal was scraped)
 *   faults.json              FaultsFile: the faults injected on the day's timeline (absent when none)
 *   summary.json             Summary schema v1 (src/report)
 *   report.html, charts/*.png, screenshot.png
 */
import { SIGNIFICANT_DIGITS, TREND_SCALE, WINDOWS_FORMAT, type MetricsMeta } from '../metrics/index.js';
import type { Options } from '../scenario-api/types.js';

export const RUN_FILES = {
  run: 'run.json',
  metricsDir: 'metrics',
  metricsMeta: 'metrics/meta.json',
  windows: 'metrics/windows.jsonl.gz',
  windowsLog: 'metrics/windows.partial.jsonl',
  serverMetrics: 'server-metrics.json',
  /** the faults the run injected into the portal, when its profile scheduled any (src/rundir/faults-file.ts) */
  faults: 'faults.json',
  summary: 'summary.json',
  report: 'report.html',
  chartsDir: 'charts',
} as const;

/** metrics/meta.json of a run that started at `startedAtMs` (what the engine writes, and a merge). */
export function metricsMeta(startedAtMs: number): MetricsMeta {
  return { schemaVersion: 1, startedAt: startedAtMs, windowSeconds: 1, trendScale: TREND_SCALE, significantDigits: SIGNIFICANT_DIGITS, windowsFormat: WINDOWS_FORMAT };
}

export interface RunInfo {
  id: string;
  command: string;                 // the argv that produced the run, e.g. "launch-day --quick"
  scenario: string;                // scenario file path or name
  target: string | null;
  startedAt: string;               // ISO
  startedAtMs: number;             // epoch ms of metric second 0
  endedAt: string | null;
  durationSeconds: number | null;
  plannedDurationSeconds: number | null;
  engine: { name: 'capacity-test'; version: string };
  workers: number;
  segment: string | null;          // "i/n"
  gitCommit: string | null;
  portalMode: string | null;       // 'as-built' | 'resilient' | null when external target
  seed: number | null;
  aborted: boolean;
  abortReason: string | null;
  options: Options | null;         // the scenario's resolved options (thresholds, scenarios)
  profile: unknown | null;         // the traffic model used (src/profile), with its sources
  /** anything a stage wants to keep for the report, e.g. { timeScale, simulatedStart } */
  extra: Record<string, unknown>;
}

/** One scrape of the portal's /metrics, parsed. `t` is the metric second it belongs to. */
export interface ServerScrape {
  t: number;
  at: number;                      // epoch ms
  /** Prometheus samples: name → [{ labels, value }] */
  samples: Record<string, Array<{ labels: Record<string, string>; value: number }>>;
}

export interface ReconcileResult {
  walletDiscrepancyPaise: number;
  stuckDebits: number;
  totals: { topupsPaise: number; capturedPaise: number; refundedPaise: number; heldPaise: number; balancesPaise: number };
  [more: string]: unknown;
}

export interface ServerMetricsFile {
  target: string;
  scrapes: ServerScrape[];
  /** /admin/reconcile at the end of the run (null when not reachable or no admin token) */
  reconcile: ReconcileResult | null;
  /** reconcile samples taken during the run, for money-over-time charts */
  reconcileTimeline: Array<{ t: number; at?: number; result: ReconcileResult }>;
  /** GET /api/v1/clock samples if the portal has a simulated clock: { t, simulated: "HH:MM:SS" } */
  clock: Array<{ t: number; at?: number; simulated: string }>;
  /** --metrics-url: every Prometheus endpoint scraped each second, and the series (--metrics-series) to chart */
  sources?: Array<{ url: string; scrapes: ServerScrape[] }>;
  series?: string[];
}
