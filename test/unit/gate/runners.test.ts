import { describe, expect, it } from 'vitest';
import { runnerVerdicts, type RunnerRecord } from '../../../src/gate/runners.js';

const base: RunnerRecord = {
  segment: '2/2', index: 1, dir: '/r/b', host: { pod: 'ct-x-runners-1', ip: '10.0.0.3', node: null }, status: 'complete', reason: null,
  plannedSeconds: 10, secondsWritten: 10, missingSeconds: [], saturatedSeconds: [], requests: 10, droppedIterations: 0,
  scheduleLagP99Ms: 1, eventLoopLagP99Ms: 1,
};

describe('the gate on the runners of a merged run', () => {
  it('gives a runner\'s missing and saturated seconds on the merged clock (its own seconds plus the merge\'s shift), as the report does', () => {
    const v = runnerVerdicts([{ ...base, status: 'killed', reason: 'killed', secondsWritten: 4, missingSeconds: [4, 5, 6], saturatedSeconds: [1, 2], shiftSeconds: 2 }]);
    expect(v.map((d) => [d.scope, d.status, d.message])).toEqual([
      ['runner 2/2 (ct-x-runners-1, 10.0.0.3)', 'fail', 'missing seconds 6–8: killed; the merged figures do not cover the whole test'],
      ['runner 2/2 (ct-x-runners-1, 10.0.0.3)', 'info', 'its generator was saturated for 2 s (3–4): those seconds are the generator\'s, not the system\'s'],
    ]);
  });

  it('passes a runner that finished without falling behind, and says nothing without runners', () => {
    expect(runnerVerdicts([base])).toEqual([]);
    expect(runnerVerdicts(undefined)).toEqual([]);
  });
});
