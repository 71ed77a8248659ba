import { describe, expect, it } from 'vitest';
import { WindowRecorder } from '../../../src/metrics/index.js';
import { assess } from '../../../src/assess/index.js';
import { findLevels, levelVerdict, LEVEL_RULE } from '../../../src/analysis/levels.js';
import { buildReportModel } from '../../../src/report/model.js';
import type { RunInfo } from '../../../src/rundir/run-dir.js';

const START = 1_767_000_000_000;
const slo = { p95Ms: 800, errorRate: 0.01 };

/**
 * A launch-day-like run on the ×20 clock from 08:55: before 09:00 mostly status checks (one request per
 * arrival), then the 09:00 spike of new users (five requests each, over the arrival second and the two
 * after it, as a journey with think time makes them), then a lower plateau. `slowInSpike`: every answer
 * given during the spike takes 2 s. No request fails.
 */
function spikeRun(slowInSpike: boolean): { runInfo: RunInfo; windows: ReturnType<WindowRecorder['drain']> } {
  const r = new WindowRecorder(START);
  const seconds = 60;
  const spike = (t: number) => t >= 15 && t < 27;
  const plan = (t: number) => (t < 15 ? { checkers: 10 + (t % 2), newUsers: 2 } : spike(t) ? { checkers: 20, newUsers: 30 + (t % 2) } : { checkers: 15, newUsers: 8 });
  const request = (t: number, scenario: string, name: string, i: number) => {
    const tags = { name, method: name.split(' ')[0], status: '200', scenario };
    const at = START + t * 1000 + (i % 900);
    r.add('http_reqs', 'counter', tags, 1, at);
    r.add('http_req_failed', 'rate', tags, 0, at);
    r.add('http_req_duration', 'trend', tags, slowInSpike && spike(t) ? 2000 + (i % 50) : 8 + (i % 5), at);
  };
  for (let t = 0; t < seconds; t++) {
    const p = plan(t);
    r.add('planned_iterations', 'counter', { scenario: 'statusCheckers' }, p.checkers, START + t * 1000);
    r.add('planned_iterations', 'counter', { scenario: 'newUsers' }, p.newUsers, START + t * 1000);
    r.add('schedule_lag', 'trend', { scenario: 'newUsers' }, 1, START + t * 1000);
    for (let i = 0; i < p.checkers; i++) request(t, 'statusCheckers', 'GET /api/v1/orders/{id}', i);
    // each new user's five requests: two in its arrival second, two in the next, one in the one after
    for (let i = 0; i < p.newUsers; i++) {
      const steps = ['POST /api/v1/register', 'POST /api/v1/otp/verify', 'GET /api/v1/shops', 'POST /api/v1/wallet/topup', 'POST /api/v1/orders'];
      steps.forEach((name, k) => { if (t + Math.floor(k / 2) < seconds) request(t + Math.floor(k / 2), 'newUsers', name, i * 5 + k); });
    }
  }
  const runInfo: RunInfo = {
    id: 'spike-run', command: 'launch-day --quick', scenario: 'scenarios/launch-day.ts', target: 'http://127.0.0.1:1',
    startedAt: new Date(START).toISOString(), startedAtMs: START, endedAt: new Date(START + seconds * 1000).toISOString(),
    durationSeconds: seconds, plannedDurationSeconds: seconds, engine: { name: 'capacity-test', version: '0.1.0' }, workers: 1,
    segment: null, gitCommit: null, portalMode: 'resilient', seed: 1, aborted: false, abortReason: null, options: null, profile: null,
    extra: { peakDemandRps: 500, simulatedStart: '08:55', timeScale: 20, slo },
  };
  return { runInfo, windows: r.drain() };
}

describe('the level rule', () => {
  it('finds a level wherever the offered load holds still for 3 s, a partial first second of a step included', () => {
    // 112: the second the 09:00 ramp happened in; 95, 93, 95: whole-second counts of one rate
    const offered = [16, 14, 14, 15, 112, 120, 120, 95, 93, 95, 76, 77, 76, 5, 60];
    expect(findLevels(offered, 5)).toEqual([[0, 4], [4, 7], [7, 10], [10, 13]]);
    expect(findLevels(Array<number>(12).fill(50), 5)).toEqual([[0, 5], [5, 10]]);
    expect(LEVEL_RULE.minSeconds).toBe(3);
  });

  it('names every criterion that failed a level', () => {
    const ok = { offeredRps: 100, throughputRps: 100, p95Ms: 20, errorRate: 0, saturated: false };
    expect(levelVerdict(ok, slo)).toEqual({ held: true, failedBy: [], reasons: [] });
    expect(levelVerdict({ ...ok, p95Ms: 977 }, slo).failedBy).toEqual(['p95']);
    expect(levelVerdict({ ...ok, errorRate: 0.2 }, slo).failedBy).toEqual(['errors']);
    expect(levelVerdict({ ...ok, throughputRps: 60 }, slo).failedBy).toEqual(['achieved']);
    // arrivals started ÷ planned, when given, is what "achieved" reads (requests lag a journey's arrival)
    expect(levelVerdict({ ...ok, throughputRps: 60, achievedShare: 1 }, slo).held).toBe(true);
    expect(levelVerdict({ ...ok, achievedShare: 0.5 }, slo).failedBy).toEqual(['achieved']);
    expect(levelVerdict({ ...ok, saturated: true }, slo).failedBy).toEqual(['saturated']);
    expect(levelVerdict({ ...ok, p95Ms: 2000, errorRate: 0.5 }, slo).failedBy).toEqual(['errors', 'p95']);
  });
});

describe('load levels over the whole day', () => {
  it('holds every level of a run with no error and p95 under 30 ms, whatever its journey mix: no "lower step failed" note', () => {
    const a = assess(spikeRun(false));
    const rows = a.capacity.loadLevels as Array<{ from: number; held: boolean; failedBy: string[] }>;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => !r.held)).toEqual([]);
    expect(a.capacity.notes.join(' ')).not.toMatch(/failed although/);
    // the spike is analysed: a level starts in it
    expect(rows.some((r) => r.from >= 15 && r.from < 27)).toBe(true);
  });

  it('names the spike\'s time when the system breaks in the spike: first to break, the heaviest load and the failed level', () => {
    const a = assess(spikeRun(true));
    const rows = a.capacity.loadLevels as Array<{ from: number; held: boolean; failedBy: string[] }>;
    const failed = rows.filter((r) => !r.held);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatchObject({ from: 15, failedBy: ['p95'] });
    expect(rows.filter((r) => r.from < 15).every((r) => r.held)).toBe(true);
    const m = buildReportModel(a);
    // 08:55 + 15 s × 20 = 09:00:00 on the simulated clock
    expect(m.verdict.firstBreak).toMatchObject({ reason: 'latency', atLabel: '09:00:00' });
    expect(m.verdict.wait.busiestLabel).toBe('09:00:00');
    expect(m.verdict.limitReached).toBe(true);
  });
});
