import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarySchema } from '../../src/contracts/summary.js';
import { decodeWindows, MetricsQuery, statistic, type Tags } from '../../src/metrics/index.js';

const BIN = join(__dirname, '../../bin/capacity-test.js');

/** The CLI as a child process, awaited (so that a hook's timeout can end the wait). */
function cli(args: string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * The contract figures of summary.json computed a second, independent way from the run directory's
 * saved files: every window decoded into memory and queried with MetricsQuery (the report streams the
 * file through its digest instead), money from the portal's reconcile in server-metrics.json.
 */
function figuresFromSavedFiles(runDir: string) {
  const q = new MetricsQuery(decodeWindows(readFileSync(join(runDir, 'metrics/windows.jsonl.gz'))));
  const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  const server = JSON.parse(readFileSync(join(runDir, 'server-metrics.json'), 'utf8'));
  // A run covers its declared length, or up to its last window if that came later (a partial second counts).
  const seconds = Math.max(q.lastSecond + 1, Math.ceil(run.durationSeconds ?? 0));
  const stat = (metric: string, s: string, tags?: Tags, range: { from?: number; to?: number } = {}) => statistic(q.aggregate(metric, { tags, ...range }), s);
  const figures = (tags?: Tags) => {
    const requests = stat('http_reqs', 'count', tags) ?? 0;
    return {
      requests,
      rps: requests / seconds,
      errorRate: stat('http_req_failed', 'rate', tags),
      // of responses with an expected status (summary.json overall.latencyOf)
      latencyMs: Object.fromEntries((['p50', 'p90', 'p95', 'p99', 'max'] as const)
        .map((k) => [k, stat('http_req_duration', k === 'max' ? 'max' : `p(${k.slice(1)})`, { ...tags, expected_response: 'true' })])),
    };
  };
  const timeline = Array.from({ length: seconds }, (_, t) => {
    const r = { from: t, to: t + 1 };
    const planned = stat('planned_iterations', 'count', undefined, r) ?? 0;
    const dropped = stat('dropped_iterations', 'count', undefined, r) ?? 0;
    return {
      t,
      rps: stat('http_reqs', 'count', undefined, r) ?? 0,
      errorRate: stat('http_req_failed', 'rate', undefined, r),
      p95Ms: stat('http_req_duration', 'p(95)', undefined, r),
      plannedArrivals: planned,
      arrivals: Math.max(0, planned - dropped),
    };
  });
  const register = q.tagValues('http_reqs', 'status').filter((s) => /^2\d\d$/.test(s))
    .reduce((n, status) => n + (stat('http_reqs', 'count', { name: 'POST /api/v1/register', status }) ?? 0), 0);
  return {
    overall: figures(),
    endpoints: Object.fromEntries(q.tagValues('http_reqs', 'name').map((name) => [name, figures({ name })])),
    timeline,
    generator: {
      droppedIterations: stat('dropped_iterations', 'count') ?? 0,
      scheduleLagP99Ms: stat('schedule_lag', 'p(99)'),
      eventLoopLagP99Ms: stat('generator_event_loop_lag', 'p(99)'),
    },
    business: {
      registrations: register,
      walletDiscrepancyPaise: server.reconcile.walletDiscrepancyPaise,
      stuckDebits: server.reconcile.stuckDebits,
    },
  };
}

/** The same fields of a summary.json. */
function contractFigures(summary: any) {
  const endpoint = (e: any) => ({ requests: e.requests, rps: e.rps, errorRate: e.errorRate, latencyMs: e.latencyMs });
  return {
    overall: endpoint(summary.overall),
    endpoints: Object.fromEntries(Object.entries(summary.endpoints).map(([k, e]) => [k, endpoint(e)])),
    timeline: summary.timeline.map(({ t, rps, errorRate, p95Ms, plannedArrivals, arrivals }: any) => ({ t, rps, errorRate, p95Ms, plannedArrivals, arrivals })),
    generator: {
      droppedIterations: summary.generator.droppedIterations,
      scheduleLagP99Ms: summary.generator.scheduleLagP99Ms,
      eventLoopLagP99Ms: summary.generator.eventLoopLagP99Ms,
    },
    business: {
      registrations: summary.business.registrations,
      walletDiscrepancyPaise: summary.business.walletDiscrepancyPaise,
      stuckDebits: summary.business.stuckDebits,
    },
  };
}

describe('launch-day end to end (embedded portal, compressed to 20 s)', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'ct-launch-day-')), 'run');
  let r: { status: number | null; stdout: string; stderr: string };
  // The run itself, inside a hook with its own timeout (not while vitest collects the tests).
  beforeAll(async () => {
    r = await cli(['launch-day', '--quick', '--time-scale', '60', '--quiet', '--out', out], 280_000);
  }, 300_000);

  it('ends with exit 0 and prints the report path on stdout', () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(join(out, 'report.html'));
  });

  it('writes the run directory of docs/contracts.md', () => {
    for (const f of ['report.html', 'summary.json', 'run.json', 'server-metrics.json', 'metrics/windows.jsonl.gz', 'metrics/meta.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.png')).length).toBeGreaterThan(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    for (const k of ['command', 'scenario', 'profile', 'engine', 'workers', 'segment', 'gitCommit', 'portalMode', 'seed', 'startedAt', 'endedAt']) {
      expect(run, k).toHaveProperty(k);
    }
    expect(run.portalMode).toBe('resilient');
    expect(run.engine.name).toBe('capacity-test');
  });

  it('writes a schema-v1 summary whose figures come from the saved metrics', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summarySchema.safeParse(summary).success).toBe(true);
    const q = new MetricsQuery(decodeWindows(readFileSync(join(out, 'metrics/windows.jsonl.gz'))));
    expect(summary.overall.requests).toBe(statistic(q.aggregate('http_reqs'), 'count'));
    expect(summary.overall.latencyOf).toBe('expected_response:true');
    expect(summary.overall.latencyMs.p95).toBe(statistic(q.aggregate('http_req_duration', { tags: { expected_response: 'true' } }), 'p(95)'));
    expect(summary.endpoints['POST /api/v1/register'].requests).toBeGreaterThan(0);
    // planned vs achieved arrivals are recorded for every second of the plan
    const planned = summary.timeline.filter((p: { plannedArrivals: number | null }) => p.plannedArrivals !== null);
    expect(planned.length).toBeGreaterThanOrEqual(19);
  });

  it('reports money from the reference portal\'s ledger: registered, ordered, no paisa lost', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.business.registrations).toBeGreaterThan(0);
    expect(summary.business.ordersPlaced).toBeGreaterThan(0);
    expect(summary.business.walletDiscrepancyPaise).toBe(0);
    expect(Number.isInteger(summary.business.walletDiscrepancyPaise)).toBe(true);
    const server = JSON.parse(readFileSync(join(out, 'server-metrics.json'), 'utf8'));
    expect(server.scrapes.length).toBeGreaterThan(10);
    expect(server.reconcile).not.toBeNull();
  });

  it('follows a replay that held every level with a short stepped sweep of the day\'s own journeys on the same portal, and sizes the fleet on the limit it measured (or says it found none)', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // a level of the replay failed (no sweep needed), or none held clear of generator saturation (nothing to start from)
    if (summary.capacity.limitReached !== false || summary.capacity.maxSustainableRps === null) return;
    const sweep = summary.capacity.limitSweep;
    // what it swept: the replay's journeys in their shares at the day's peak, not one path
    expect(sweep).toMatchObject({ runDir: 'limit-sweep', path: null });
    expect(sweep.journeys.map((j: { journey: string }) => j.journey).sort()).toEqual(['browser', 'newUser', 'returningUser', 'statusChecker']);
    expect(sweep.journeys.reduce((a: number, j: { share: number }) => a + j.share, 0)).toBeCloseTo(1, 2);
    expect(sweep.seconds).toBeLessThanOrEqual(30);
    // the sweep's own run directory, with its report and sweep.json
    for (const f of ['summary.json', 'report.html', 'sweep.json']) expect(existsSync(join(out, 'limit-sweep', f)), f).toBe(true);
    // its requests are the day's: registration, login, shops and more, not only GET /api/v1/shops
    const swept = Object.keys(JSON.parse(readFileSync(join(out, 'limit-sweep', 'summary.json'), 'utf8')).endpoints);
    expect(swept).toEqual(expect.arrayContaining(['POST /api/v1/register', 'POST /api/v1/otp/verify', 'GET /api/v1/shops']));
    expect(html).toContain('stepped sweep of the day’s own journeys in their peak proportions');
    if (sweep.limitReached) {
      expect(summary.capacity.sizing.perInstanceRps).toBe(sweep.maxSustainableRps);
      expect(summary.capacity.perInstance).toMatchObject({ source: 'limit sweep', measuredLimit: true });
      expect(html).toContain('sized on this measured limit');
      expect(html).not.toContain('upper bound');
    } else expect(html).toContain('upper bound');
  });

  it('`report <run-dir>` rebuilds, from the saved files alone, the figures an independent reading of those files gives; the gate passes it against the run', async () => {
    const expected = figuresFromSavedFiles(out);
    // the run did something worth comparing: several endpoints, seconds with load and with latencies
    expect(Object.keys(expected.endpoints).length).toBeGreaterThan(3);
    expect(expected.timeline.filter((p) => p.rps > 0 && p.p95Ms !== null).length).toBeGreaterThan(10);
    expect(contractFigures(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')))).toEqual(expected);

    const rebuilt = join(mkdtempSync(join(tmpdir(), 'ct-rebuilt-')), 'r');
    const rep = await cli(['report', out, '--out', rebuilt, '--lang', 'hi'], 110_000);
    expect(rep.status, rep.stderr).toBe(0);
    expect(contractFigures(JSON.parse(readFileSync(join(rebuilt, 'summary.json'), 'utf8')))).toEqual(expected);
    expect(statSync(join(rebuilt, 'report.html')).size).toBeGreaterThan(10_000);
    expect(readFileSync(join(rebuilt, 'report.html'), 'utf8')).toContain('lang="hi"');
    const gate = await cli(['gate', '--baseline', out, '--current', rebuilt], 60_000);
    expect(gate.status, gate.stdout + gate.stderr).toBe(0);
  }, 180_000);
});
