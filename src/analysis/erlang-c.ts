import { invalid } from '../contracts/errors.js';

/**
 * M/M/c queue (Erlang C). Offered load a = λ/μ in Erlangs. Stable for large c: the Erlang B
 * recursion B(k) = a·B(k−1) / (k + a·B(k−1)) never forms aᶜ or c!, and C = B / (1 − ρ(1 − B)).
 */
export function erlangB(servers: number, offeredLoad: number): number {
  if (!Number.isInteger(servers) || servers < 0) throw invalid('servers', 'an integer >= 0', servers);
  if (!Number.isFinite(offeredLoad) || offeredLoad < 0) throw invalid('offered load', 'a number >= 0 (Erlangs)', offeredLoad);
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/** Probability that an arrival waits at all; 1 when the queue is unstable (a ≥ c). */
export function erlangC(servers: number, offeredLoad: number): number {
  const b = erlangB(servers, offeredLoad);
  if (offeredLoad >= servers) return 1;
  return erlangCFromB(b, offeredLoad / servers);
}

export function erlangCFromB(b: number, rho: number): number {
  return b / (1 - rho * (1 - b));
}

/** P(wait > t) = C·e^{−(cμ − λ)t}, with rates per second and t in seconds. */
export function probWaitExceeds(servers: number, arrivalRate: number, serviceRate: number, tSeconds: number): number {
  const a = arrivalRate / serviceRate;
  if (a >= servers) return 1;
  return erlangC(servers, a) * Math.exp(-(servers * serviceRate - arrivalRate) * tSeconds);
}
