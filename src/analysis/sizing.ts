import { invalid } from '../contracts/errors.js';
import { erlangCFromB } from './erlang-c.js';
import { nonNegative, openUnit, positive } from './validate.js';

export interface SizingInput {
  /** Arrival rate, requests per second. */
  rate: number;
  /** Mean service time of one server (one instance) per request, ms. */
  serviceMs: number;
  /** The queueing wait that must not be exceeded… */
  maxWaitMs: number;
  /** …with at least this probability (0.95: 95% of requests wait ≤ maxWaitMs). */
  quantile: number;
  /** Extra capacity on top of the queueing answer, e.g. 0.33 = 33% more servers. Default 0. */
  headroom?: number;
}

export interface Sizing {
  servers: number;
  /** Erlang C: probability that a request waits at all. */
  pWait: number;
  /** Probability that the wait exceeds maxWaitMs (≤ 1 − quantile). */
  pExceed: number;
  /** ρ = a / servers. */
  utilization: number;
  offeredLoad: number;
  headroom: number;
  /** ceil(servers × (1 + headroom)): headroom is applied after the queueing answer, reported apart. */
  serversWithHeadroom: number;
  utilizationWithHeadroom: number;
}

const MAX_SERVERS = 10_000_000;

/** Smallest c of an M/M/c queue with P(wait > T) ≤ 1 − Q; then headroom on top. */
export function sizeServers(input: SizingInput): Sizing {
  const rate = positive('rate', input.rate);
  const serviceMs = positive('service time (ms)', input.serviceMs);
  const maxWaitMs = nonNegative('max wait (ms)', input.maxWaitMs);
  const quantile = openUnit('quantile', input.quantile);
  const headroom = input.headroom === undefined ? 0 : nonNegative('headroom', input.headroom);
  const mu = 1000 / serviceMs;
  const a = rate / mu;
  const t = maxWaitMs / 1000;
  const target = 1 - quantile;
  if (a >= MAX_SERVERS) throw invalid('rate × service time', `an offered load under ${MAX_SERVERS} Erlangs`, a);

  // Erlang B is carried up from 0 servers; stability needs c > a.
  let b = 1;
  let c = 0;
  for (;;) {
    c += 1;
    b = (a * b) / (c + a * b);
    if (c <= a) continue;
    const rho = a / c;
    const pWait = erlangCFromB(b, rho);
    const pExceed = pWait * Math.exp(-(c * mu - rate) * t);
    if (pExceed <= target || c >= MAX_SERVERS) {
      const serversWithHeadroom = Math.ceil(c * (1 + headroom) - 1e-9);
      return { servers: c, pWait, pExceed, utilization: rho, offeredLoad: a, headroom, serversWithHeadroom,
        utilizationWithHeadroom: a / serversWithHeadroom };
    }
  }
}
