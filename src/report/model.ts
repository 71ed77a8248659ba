import type { Summary } from '../contracts/summary.js';
import { chartBucketSeconds, DEFAULT_SLO, onMergedClock, secondSpans, summaryOf, type RunnerRecord, type Assessment, type CapacityPoint, type LevelRow, type LimitSweep } from '../assess/index.js';
import { buildCharts } from './charts.js';
import { profileRows, runRows } from './method-rows.js';
import type { FaultMark, ReportModel } from './model-types.js';
import type { FaultRecord } from '../rundir/index.js';
import { timeLabeller } from './time-labels.js';
import { runnerRows, runnerSentences } from './runner-rows.js';
import { firstBreak, whatIfDefaults, type SizingFigures } from './verdict.js';

/**
 * The report model: plain, language-neutral data (numbers, endpoint names, i18n keys) that the HTML and
 * PNG views render. Built once from a run's Assessment and its summary; views never touch metrics.
 */
export type { ChartModel, FirstBreak, Point, ReportModel, SeriesModel } from './model-types.js';
export { chartBucketSeconds, errorKind } from '../assess/index.js';
export { profileRows } from './method-rows.js';
export { timeLabeller } from './time-labels.js';

/** The sizing summary.json states, when it holds every figure the panel reads. */
function sizingOf(s: unknown): SizingFigures | null {
  if (!s || typeof s !== 'object') return null;
  const o = s as Record<string, unknown>;
  const keys = ['rate', 'perInstanceRps', 'headroom', 'maxWaitMs', 'quantile'] as const;
  return keys.every((k) => typeof o[k] === 'number') ? (o as unknown as SizingFigures) : null;
}

/** The table of load levels: summary.json's capacity.loadLevels as the report shows them. */
function levelRows(summary: Summary, label: (t: number) => string): ReportModel['levels'] {
  const rows = (summary.capacity as { loadLevels?: LevelRow[] }).loadLevels ?? [];
  return rows.map((r) => ({
    label: r.from === null ? null : label(r.from), seconds: r.from !== null && r.to !== null ? r.to - r.from : null,
    offeredRps: r.offeredRps, throughputRps: r.throughputRps, achievedShare: r.achievedShare, p95Ms: r.p95Ms, errorRate: r.errorRate,
    held: r.held, failedBy: r.failedBy,
  }));
}

/**
 * The level points the verdict speaks of, with the offered load and p95 of the analysis' table of
 * levels (summary.json capacity.loadLevels) where a row covers them: "highest load tested", "heaviest
 * load" and "first to break … at" then say what the table says (a sweep's step offered 60 rps is 60,
 * not the 57 its requests per iteration give). A level the table leaves out (no p95: the generator was
 * saturated through it) says nothing about the system and is not spoken of; without a table, a level
 * touching a saturated second.
 */
function levelsOfTable(points: readonly CapacityPoint[], table: readonly LevelRow[]): { all: CapacityPoint[]; analysed: CapacityPoint[] } {
  const rows = points.map((p) => table.find((x) => x.from !== null && x.to !== null && p.t >= x.from && p.t < x.to));
  const all = points.map((p, i) => { const r = rows[i]; return r ? { ...p, offeredRps: r.offeredRps, p95Ms: r.p95Ms ?? p.p95Ms } : p; });
  return { all, analysed: all.filter((p, i) => (rows[i] ? rows[i]!.p95Ms !== null : !p.saturated)) };
}

export function buildReportModel(a: Assessment, summary: Summary = summaryOf(a), faults: readonly FaultRecord[] = []): ReportModel {
  const { runInfo, server, digest: d } = a;
  const seconds = Math.max(summary.timeline.length, 1);
  const width = chartBucketSeconds(seconds);
  const q = d.totals;
  const nb = Math.ceil(seconds / width);
  const time = timeLabeller(runInfo, server);
  const labels = Array.from({ length: nb }, (_, b) => time.label(b * width));
  const satList = a.saturatedSeconds;
  const shade = Array.from({ length: nb }, (_, b) => satList.some((s) => Math.floor(s / width) === b));
  const cap = summary.capacity as Summary['capacity'] & { slo?: { p95Ms: number; errorRate: number }; sizing?: { headroom?: number } | null };
  const slo = cap.slo ?? DEFAULT_SLO;
  const names = Object.entries(summary.endpoints).sort((x, y) => y[1].requests - x[1].requests).map(([n]) => n);
  const { all: points, analysed } = levelsOfTable(a.levelPoints, (cap as { loadLevels?: LevelRow[] }).loadLevels ?? []);
  const charts = buildCharts({ d, server, names, points, cap, width, seconds, nb, labels, shade, time });
  const runners = summary.runners ?? [];
  const marks = [...faultMarks(faults, width, nb), ...runnerMarks(runners, width, nb)];
  if (marks.length) for (const c of charts) if (c.kind === 'time') c.faults = marks;

  const withinSlo = (e: { p95: number | null; errorRate: number | null }) => e.p95 === null ? null : e.p95 <= slo.p95Ms && (e.errorRate ?? 0) <= slo.errorRate;
  const endpoints = names.map((name) => {
    const e = summary.endpoints[name];
    const row = { name, requests: e.requests, rps: e.rps, errorRate: e.errorRate, p50: e.latencyMs.p50, p95: e.latencyMs.p95, p99: e.latencyMs.p99, max: e.latencyMs.max };
    return { ...row, withinSlo: withinSlo(row) };
  });

  const good = analysed.filter((p) => !p.saturated && p.p95Ms <= slo.p95Ms && p.errorRate <= slo.errorRate);
  const busiest = analysed.length ? analysed.reduce((a, b) => (b.offeredRps > a.offeredRps ? b : a)) : null;
  const b = summary.business as Summary['business'] & { heldPaise?: number | null; stuckPaise?: number | null; capturedPaise?: number | null; refundedPaise?: number | null };
  const th = summary.thresholds as Summary['thresholds'] & { evaluated?: boolean };
  const money = server?.reconcile ? {
    heldPaise: b.heldPaise ?? null, stuckDebits: b.stuckDebits, stuckPaise: b.stuckPaise ?? null, discrepancyPaise: b.walletDiscrepancyPaise,
    capturedPaise: b.capturedPaise ?? null, refundedPaise: b.refundedPaise ?? null, refundP95Seconds: b.refundLatencyP95Seconds,
  } : null;

  const bestWithinSloRps = good.length ? Math.max(...good.map((p) => p.throughputRps)) : null;
  const whatIf = whatIfDefaults(runInfo, summary, q, { maxSustainableRps: cap.maxSustainableRps, peakDemandRps: cap.peakDemandRps, sizing: sizingOf(cap.sizing) }, bestWithinSloRps, slo);

  return {
    summary, slo, seconds, bucketSeconds: width, simulatedTime: time.simulated, whatIf,
    targetClock: time.clock !== null && runInfo.portalMode === null && runInfo.target ? {
      source: time.clock,
      planStart: typeof runInfo.extra?.simulatedStart === 'string' ? runInfo.extra.simulatedStart : null,
      timeScale: typeof runInfo.extra?.timeScale === 'number' ? runInfo.extra.timeScale : null,
    } : null,
    verdict: {
      instancesForPeak: cap.instancesForPeak, peakDemandRps: cap.peakDemandRps,
      headroom: typeof cap.sizing?.headroom === 'number' ? cap.sizing.headroom : null,
      maxSustainableRps: cap.maxSustainableRps, kneeRps: cap.kneeRps,
      limitReached: (cap as { limitReached?: boolean | null }).limitReached !== false,
      perInstanceRps: sizingOf(cap.sizing)?.perInstanceRps ?? null,
      limitSweep: (cap as { limitSweep?: LimitSweep | null }).limitSweep ?? null,
      bestWithinSloRps,
      maxTestedRps: analysed.length ? Math.max(...analysed.map((p) => p.offeredRps)) : null,
      firstBreak: firstBreak(d, names, analysed, slo, time.label),
      wait: {
        p50Ms: summary.overall.latencyMs.p50, p95Ms: summary.overall.latencyMs.p95, p99Ms: summary.overall.latencyMs.p99,
        busiestP95Ms: busiest?.p95Ms ?? null, busiestLabel: busiest ? time.label(busiest.t) : null,
      },
      money,
      registrations: b.registrations, ordersPlaced: b.ordersPlaced, ordersAccepted: b.ordersAccepted,
      saturatedSeconds: satList.length, droppedIterations: summary.generator.droppedIterations,
      thresholds: { evaluated: th.evaluated !== false, pass: th.pass, failed: th.checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.threshold}`), total: th.checks.length },
      aborted: Boolean((summary.run as { aborted?: boolean }).aborted),
      // null is what a run writes at its start and replaces at its end; a run.json without the field says nothing
      unfinished: (summary.run as { endedAt?: string | null }).endedAt === null,
    },
    charts,
    levels: levelRows(summary, time.label),
    runners: runners.length ? { rows: runnerRows(runners), sentences: runnerSentences(runners, time.label) } : null,
    faultWindows: faults.map((f) => ({ fromSecond: f.fromSecond, toSecond: f.toSecond, label: f.label, applied: f.appliedAtSecond !== null })),
    endpoints,
    method: {
      profile: profileRows(runInfo.profile),
      run: runRows(runInfo, summary),
      compression: {
        timeScale: typeof runInfo.extra?.timeScale === 'number' ? runInfo.extra.timeScale : null,
        simulatedStart: typeof runInfo.extra?.simulatedStart === 'string' ? runInfo.extra.simulatedStart : null,
        plannedDurationSeconds: runInfo.plannedDurationSeconds,
      },
    },
  };
}

/** The chart buckets seconds `from` to `to` (exclusive) cover, as an inclusive bucket range. */
function bucketRange(from: number, to: number, width: number, nb: number): { from: number; to: number } {
  return { from: Math.min(nb - 1, Math.floor(from / width)), to: Math.min(nb - 1, Math.max(Math.floor(from / width), Math.ceil(to / width) - 1)) };
}

/** The buckets each fault covers (from its acknowledged start when the portal acknowledged it, else its plan). */
export function faultMarks(faults: readonly FaultRecord[], width: number, nb: number): FaultMark[] {
  return faults.map((f) => ({ ...bucketRange(f.appliedAtSecond ?? f.fromSecond, f.clearedAtSecond ?? f.toSecond, width, nb), label: f.label }))
    .filter((m) => m.from >= 0 && nb > 0);
}

/** The buckets where each runner's generator fell behind (its seconds on the merged clock), one band per stretch, labelled with its segment. */
export function runnerMarks(runners: readonly RunnerRecord[], width: number, nb: number): FaultMark[] {
  return runners.flatMap((r) => {
    const bands: FaultMark[] = [];
    for (const s of secondSpans(onMergedClock(r, r.saturatedSeconds))) {
      const b = bucketRange(s.from, s.to + 1, width, nb);
      const last = bands.at(-1);
      // stretches that fall in the same or touching buckets are one band
      if (last && b.from <= last.to + 1) last.to = Math.max(last.to, b.to);
      else bands.push({ ...b, label: r.segment, runner: r.segment });
    }
    return bands.filter((m) => m.from >= 0 && nb > 0);
  });
}
