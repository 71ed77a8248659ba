/**
 * Whether one second of a run measures the target. Two different things can keep the plan from
 * being delivered, and they must never be confused:
 * - the generator is saturated: it starts iterations late (schedule lag p99 above 50 ms), so what
 *   the target saw that second is not what was planned, and the second says nothing about capacity;
 * - the VU pool is exhausted: iterations were dropped because every VU up to maxVUs was busy waiting
 *   for the target. The generator kept time; the target was too slow for the demand. Those seconds
 *   are measurements of the target (demand not served), reported apart, never shaded away.
 */
export const GENERATOR_LIMITS = { lagP99Ms: 50, startedShare: 0.95 } as const;

export interface SecondHealth {
  saturated: boolean;
  vuPoolExhausted: boolean;
  reason: string | null;
}

export function secondHealth(lagP99Ms: number | null, planned: number, dropped: number): SecondHealth {
  const started = planned - dropped;
  if (lagP99Ms !== null && lagP99Ms > GENERATOR_LIMITS.lagP99Ms) {
    return { saturated: true, vuPoolExhausted: false, reason: `schedule lag p99 ${lagP99Ms.toFixed(1)} ms > ${GENERATOR_LIMITS.lagP99Ms} ms` };
  }
  if (planned > 0 && started < GENERATOR_LIMITS.startedShare * planned) {
    return { saturated: false, vuPoolExhausted: true, reason: `${dropped} of ${planned} planned iterations dropped with every VU up to maxVUs busy waiting for the target` };
  }
  return { saturated: false, vuPoolExhausted: false, reason: null };
}
