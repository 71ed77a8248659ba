import { describe, expect, it } from 'vitest';
import { WindowRecorder } from '../../../src/metrics/index.js';
import { ProgressTracker } from '../../../src/engine/progress.js';
import { formatProgress } from '../../../src/cli/progress-printer.js';

const start = 1_700_000_000_000;

function second(planned: number, dropped: number, lags: number[]) {
  const r = new WindowRecorder(start);
  const tags = { scenario: 's' };
  for (let i = 0; i < planned; i++) r.add('planned_iterations', 'counter', tags, 1, start + 10);
  for (let i = 0; i < dropped; i++) r.add('dropped_iterations', 'counter', tags, 1, start + 10);
  for (const l of lags) r.add('schedule_lag', 'trend', tags, l, start + 20);
  return r.drain();
}

describe('generator honesty, second by second', () => {
  it('marks a second saturated when the schedule lag p99 exceeds 50 ms', () => {
    const p = new ProgressTracker(10).second(0, second(100, 0, [...Array(95).fill(2), ...Array(5).fill(80)]));
    expect(p.saturated).toBe(true);
    expect(p.saturationReason).toMatch(/schedule lag p99 80/);
    expect(p.saturationCause).toBe('lag');
  });

  it('tells a VU pool exhausted by a slow target (drops, no lag) from a saturated generator', () => {
    const p = new ProgressTracker(10).second(0, second(100, 6, Array(94).fill(1)));
    expect(p).toMatchObject({ saturated: false, vuPoolExhausted: true, saturationCause: 'dropped', plannedArrivals: 100, startedArrivals: 94, droppedIterations: 6 });
    expect(p.saturationReason).toMatch(/6 of 100 planned iterations dropped/);
  });

  it('keeps a second with a small lag and nothing dropped, whatever its size', () => {
    const p = new ProgressTracker(10).second(3, second(16, 0, Array(15).fill(3)));
    expect(p.saturated).toBe(false);
    expect(p.scheduleLagP99Ms).toBeCloseTo(3, 2);
    expect(formatProgress(p)).toContain('arrivals 16/16');
  });

  it('reports the p95 of the last 10 seconds only, as a histogram of those seconds would', () => {
    const tracker = new ProgressTracker(20);
    const durations = (t: number) => Array.from({ length: 50 }, (_, i) => (t < 5 ? 1000 : 1) + i * (t + 1) * 0.37);
    let last = null as ReturnType<ProgressTracker['second']> | null;
    for (let t = 0; t < 16; t++) {
      const r = new WindowRecorder(start);
      for (const d of durations(t)) r.add('http_req_duration', 'trend', { scenario: 's' }, d, start + t * 1000 + 5);
      last = tracker.second(t, r.drain());
      const whole = new WindowRecorder(start);
      for (let u = Math.max(0, t - 9); u <= t; u++) for (const d of durations(u)) whole.add('http_req_duration', 'trend', {}, d, start + 5);
      const expected = new ProgressTracker(20).second(0, whole.drain()).p95Ms;
      expect(last.p95Ms).toBe(expected);
    }
    // seconds 0–4 (around 1 s each) have left the window by second 15
    expect(last!.p95Ms).toBeLessThan(1000);
  });
});
