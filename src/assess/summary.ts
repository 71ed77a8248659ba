import { statistic, type MetricsSource, type Tags } from '../metrics/index.js';
import { summarySchema, type EndpointSummary, type Summary, type TimelinePoint } from '../contracts/summary.js';
import { assess, type AssessInput, type Assessment } from './assessment.js';
import type { RunDigest } from './digest.js';
import { runnersOfRunInfo } from './runners.js';

/**
 * summary.json (docs/contracts.md#summaryjson): the Assessment of a run as the contract writes it, pure. The same
 * Assessment gives the same summary apart from generatedAt.
 */
export function summaryOf(a: Assessment, generatedAt?: string): Summary & { generatedAt: string } {
  const { runInfo, digest: d } = a;
  const q = d.totals;
  const seconds = d.seconds;
  const latencyOf = latencyOfRun(q);
  const runners = runnersOfRunInfo(runInfo);
  const summary = {
    schemaVersion: 1 as const,
    run: {
      id: runInfo.id, scenario: runInfo.scenario, target: runInfo.target, startedAt: runInfo.startedAt,
      durationSeconds: runInfo.durationSeconds ?? (q.lastSecond >= 0 ? seconds : null),
      engine: runInfo.engine, workers: runInfo.workers, portalMode: runInfo.portalMode,
      endedAt: runInfo.endedAt, segment: runInfo.segment, aborted: runInfo.aborted,
    },
    // latencyOf says of which requests every latencyMs of the summary is
    overall: { ...endpointSummary(q, {}, seconds, latencyOf), latencyOf },
    endpoints: Object.fromEntries(q.tagValues('http_reqs', 'name').map((name) => [name, endpointSummary(q, { name }, seconds, latencyOf)])),
    timeline: buildTimeline(d),
    // One timeline point per second whatever the run's length (a 24-hour run: 86,400 points).
    timelineResolutionSeconds: 1,
    generator: a.generator,
    capacity: a.capacity,
    business: a.business,
    thresholds: a.thresholds,
    latencyWindows: {
      seconds: d.chart.windows.seconds,
      overall: d.chart.windows.overall,
      endpoints: Object.fromEntries([...d.chart.windows.endpoints].sort(([a], [b]) => a.localeCompare(b))),
    },
    // a merge of distributed runners (capacity-test k8s): each runner, its seconds and its generator's health
    ...(runners ? { runners } : {}),
  };
  const parsed = summarySchema.parse(summary);
  // generatedAt lives outside the contract fields so that a rebuild differs from the original only there.
  return { ...parsed, generatedAt: generatedAt ?? new Date().toISOString() };
}

/** The summary of a run's data: its Assessment, written as summary.json. */
export function buildSummary(input: AssessInput & { generatedAt?: string }): Summary & { generatedAt: string } {
  return summaryOf(assess(input), input.generatedAt);
}

/**
 * Which requests `latencyMs` describes: k6's `http_req_duration{expected_response:true}` (answered
 * with a status the run expected: 200–399 or k6's expectedStatuses), the latency of the service the target gave. A refused
 * connection (status 0 after ~0 ms), a timeout (60 s) or a 503 shed in 1 ms says nothing of how fast
 * the target serves: those are counted in `errorRate`, and their latency is kept apart in
 * `unexpectedLatencyMs` (docs/measurements.md#which-latency-the-summary-shows). Data without the tag
 * (recorded by hand, say) has only one set: `latencyOf` "all".
 */
export type LatencyOf = 'expected_response:true' | 'all';

export function latencyOfRun(q: MetricsSource): LatencyOf {
  return q.tagValues('http_req_duration', 'expected_response').length > 0 ? 'expected_response:true' : 'all';
}

function latency(q: MetricsSource, tags: Tags) {
  const agg = q.aggregate('http_req_duration', { tags });
  return {
    p50: statistic(agg, 'p(50)'), p90: statistic(agg, 'p(90)'), p95: statistic(agg, 'p(95)'),
    p99: statistic(agg, 'p(99)'), max: statistic(agg, 'max'),
  };
}

export function endpointSummary(q: MetricsSource, tags: Tags, seconds: number, of: LatencyOf = latencyOfRun(q)): EndpointSummary {
  const requests = statistic(q.aggregate('http_reqs', { tags }), 'count') ?? 0;
  return {
    requests,
    rps: seconds > 0 && q.lastSecond >= 0 ? requests / seconds : null,
    errorRate: statistic(q.aggregate('http_req_failed', { tags }), 'rate'),
    latencyMs: latency(q, of === 'all' ? tags : { ...tags, expected_response: 'true' }),
    ...(of === 'all' ? {} : { unexpectedLatencyMs: latency(q, { ...tags, expected_response: 'false' }) }),
  };
}

const orNull = (v: number): number | null => (v === v ? v : null);

/** Started iterations: planned minus dropped when the run planned arrivals (open model). */
function buildTimeline(d: RunDigest): TimelinePoint[] {
  const s = d.perSecond;
  const out: TimelinePoint[] = new Array(d.seconds);
  for (let t = 0; t < d.seconds; t++) {
    const outcomes = s.outcomes.get(t);
    const plannedArrivals = d.has.planned ? s.planned.get(t) : null;
    out[t] = {
      t,
      rps: s.requests.get(t),
      errorRate: outcomes > 0 ? s.failed.get(t) / outcomes : null,
      p95Ms: orNull(s.p95Ms.get(t)),
      activeVUs: orNull(s.vus.get(t)),
      plannedArrivals,
      arrivals: plannedArrivals !== null ? Math.max(0, plannedArrivals - s.dropped.get(t)) : d.has.iterations ? s.iterations.get(t) : null,
    };
  }
  return out;
}
