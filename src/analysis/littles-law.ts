import { nonNegative } from './validate.js';

/** Little's law N = X·R: mean concurrency from throughput (per second) and mean response time (ms). */
export function concurrencyFromLittle(throughputRps: number, meanResponseMs: number): number {
  return nonNegative('throughput', throughputRps) * (nonNegative('response time (ms)', meanResponseMs) / 1000);
}

/** R = N / X, ms. */
export function responseTimeFromLittle(concurrency: number, throughputRps: number): number {
  const x = nonNegative('throughput', throughputRps);
  if (x === 0) return Number.NaN;
  return (nonNegative('concurrency', concurrency) / x) * 1000;
}
