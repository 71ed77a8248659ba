import { UsageError } from '../../src/contracts/errors.js';
import type { Options } from '../../src/scenario-api/types.js';

/**
 * Stepped constant arrival rates for the knee and the USL fit: one constant-arrival-rate scenario per
 * step, back to back, tagged `step` (the same shape as `capacity-test sweep`).
 */
export function sweepScenarios(o: { from: number; to: number; steps: number; stepSeconds: number; exec: string; maxVUs?: number }): NonNullable<Options['scenarios']> {
  if (!(o.from > 0) || !(o.to >= o.from)) throw new UsageError(`invalid sweep rates: expected 0 < FROM <= TO, got ${o.from}..${o.to}`);
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new UsageError(`invalid STEPS: expected a whole number >= 1, got ${o.steps}`);
  if (!Number.isInteger(o.stepSeconds) || o.stepSeconds < 1) throw new UsageError(`invalid STEP_DURATION: expected whole seconds >= 1, got ${o.stepSeconds}`);
  const out: NonNullable<Options['scenarios']> = {};
  for (let k = 0; k < o.steps; k++) {
    const rate = o.steps === 1 ? o.from : Math.round((o.from + ((o.to - o.from) * k) / (o.steps - 1)) * 1000) / 1000;
    const maxVUs = o.maxVUs ?? Math.max(10, Math.ceil(rate * 2));
    out[`step_${String(k + 1).padStart(2, '0')}`] = {
      executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: `${o.stepSeconds}s`, startTime: `${k * o.stepSeconds}s`,
      preAllocatedVUs: Math.min(maxVUs, Math.max(1, Math.ceil(rate / 10))), maxVUs, gracefulStop: '0s',
      exec: o.exec, tags: { step: String(k + 1), rate: String(rate) },
    };
  }
  return out;
}
