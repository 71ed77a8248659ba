import { describe, expect, it } from 'vitest';
import { WindowRecorder } from '../../../src/metrics/index.js';
import { formatProgress, ProgressTracker } from '../../../src/engine/progress.js';

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
    expect(formatProgress(p)).toContain('arrivals 16/16');
  });
});
