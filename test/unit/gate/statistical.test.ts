import { describe, expect, it } from 'vitest';
import { judgeLatency, type Evidence } from '../../../src/gate/statistical.js';

const evidence = (o: Partial<Evidence> = {}): Evidence => ({
  ratio: 1.3, ratioLow: 1.2, ratioHigh: 1.4, pSlower: 1e-6, pFaster: 1, corrected: true,
  baselineWindows: 60, currentWindows: 60, commonShift: 1, ...o,
});

describe('the gate’s verdict rule for a latency check', () => {
  it('fails only what is above the fixed limit and supported by the seconds', () => {
    expect(judgeLatency(true, false, evidence(), 0.01).outcome).toBe('regression');
    expect(judgeLatency(true, false, evidence({ pSlower: 0.2 }), 0.01).outcome).toBe('inconclusive');
    expect(judgeLatency(false, false, evidence(), 0.01).outcome).toBe('pass'); // shifted, but too little to matter
  });

  it('compares the adjusted p-value with α, strictly', () => {
    expect(judgeLatency(true, false, evidence({ pSlower: 0.0099 }), 0.01).outcome).toBe('regression');
    expect(judgeLatency(true, false, evidence({ pSlower: 0.01 }), 0.01).outcome).toBe('inconclusive');
  });

  it('names the machine when every endpoint moved together and this one did not stand out', () => {
    const j = judgeLatency(true, false, evidence({ pSlower: 0.4, ratio: 1.02, commonShift: 2.4 }), 0.01);
    expect(j.outcome).toBe('inconclusive');
    expect(j.because).toContain('every endpoint moved ×2.40 together');
  });

  it('calls a faster run an improvement only when the seconds agree', () => {
    expect(judgeLatency(false, true, evidence({ ratio: 0.7, pSlower: 1, pFaster: 1e-5 }), 0.01).outcome).toBe('improvement');
    expect(judgeLatency(false, true, evidence({ ratio: 0.9, pSlower: 1, pFaster: 0.3 }), 0.01).outcome).toBe('pass');
  });

  it('keeps the fixed limit alone where there are no windows (summaries from before latencyWindows)', () => {
    const j = judgeLatency(true, false, 'no-windows', 0.01);
    expect(j.outcome).toBe('regression');
    expect(j.because).toContain('fixed limit alone');
    expect(judgeLatency(false, true, 'no-windows', 0.01).outcome).toBe('pass');
  });

  it('is inconclusive above the limit when one side has too few seconds to test', () => {
    expect(judgeLatency(true, false, 'too-few-windows', 0.01).outcome).toBe('inconclusive');
    expect(judgeLatency(false, false, 'too-few-windows', 0.01).outcome).toBe('pass');
  });

  it('does not fail the overall figures unless an endpoint of theirs stands out', () => {
    const j = judgeLatency(true, false, evidence({ corrected: false, commonShift: 3 }), 0.01, true);
    expect(j.outcome).toBe('inconclusive');
    expect(j.because).toContain('no endpoint stands out');
    expect(judgeLatency(true, false, evidence({ corrected: false }), 0.01, false).outcome).toBe('regression');
  });
});
