import { invalid } from '../contracts/errors.js';
import { levenbergMarquardt } from './levenberg-marquardt.js';
import { tQuantile975 } from './student-t.js';
import { finite } from './validate.js';

/**
 * Universal Scalability Law (Gunther): X(N) = λN / (1 + σ(N−1) + κN(N−1)).
 * σ is contention (serialisation), κ coherency (crosstalk), λ the throughput of one unit of concurrency.
 * Fitted by nonlinear least squares (Levenberg–Marquardt) with σ, κ ≥ 0, λ > 0.
 */
export interface UslCoefficients { sigma: number; kappa: number; lambda: number }
export interface UslPoint { n: number; x: number }
export interface UslBandPoint { n: number; x: number; lower: number; upper: number }
export interface UslFit extends UslCoefficients {
  /** Concurrency of peak throughput sqrt((1−σ)/κ); null when κ = 0 (no retrograde region). */
  nMax: number | null;
  /** X(nMax); when κ = 0, the asymptote λ/σ; null when both are 0 (linear scaling, no limit seen). */
  xMax: number | null;
  r2: number;
  /** Standard errors from s²(JᵀJ)⁻¹; null when the normal matrix is singular. */
  stdErrors: UslCoefficients | null;
  /** 95% confidence band of the fitted curve (delta method, Student t with n − 3 dof). */
  band: { level: 0.95; points: UslBandPoint[] } | null;
  points: number;
}

export const USL_MIN_POINTS = 6;

export function uslThroughput(n: number, c: UslCoefficients): number {
  return (c.lambda * n) / (1 + c.sigma * (n - 1) + c.kappa * n * (n - 1));
}

function uslGradient(n: number, [lambda, sigma, kappa]: number[]): number[] {
  const d = 1 + sigma * (n - 1) + kappa * n * (n - 1);
  return [n / d, (-lambda * n * (n - 1)) / (d * d), (-lambda * n * n * (n - 1)) / (d * d)];
}

export function peakConcurrency(c: UslCoefficients): number | null {
  if (c.kappa <= 0 || c.sigma >= 1) return null;
  return Math.sqrt((1 - c.sigma) / c.kappa);
}

export function validateUslPoints(points: UslPoint[]): void {
  if (!Array.isArray(points)) throw invalid('USL data', 'an array of {n, x} points', points);
  points.forEach((p, i) => {
    if (finite(`concurrency of point ${i + 1}`, p.n) <= 0) throw invalid(`concurrency of point ${i + 1}`, 'a number > 0', p.n);
    if (finite(`throughput of point ${i + 1}`, p.x) < 0) throw invalid(`throughput of point ${i + 1}`, 'a number >= 0', p.x);
  });
  const distinct = new Set(points.map((p) => p.n)).size;
  if (distinct < USL_MIN_POINTS) {
    throw invalid('USL data', `at least ${USL_MIN_POINTS} points with distinct concurrency`, `${distinct}`);
  }
  if (!points.some((p) => p.x > 0)) throw invalid('USL data', 'some throughput > 0', 'all zero');
}

export function fitUsl(points: UslPoint[]): UslFit {
  validateUslPoints(points);
  const xs = points.map((p) => p.n);
  const ys = points.map((p) => p.x);
  const f = (n: number, [lambda, sigma, kappa]: number[]) => uslThroughput(n, { lambda, sigma, kappa });

  // Several starts, best SSE wins: the linearised fit is usually right; the others guard against it
  // landing in a poor basin when the data are noisy.
  const best = startingPoints(points)
    .map((initial) => levenbergMarquardt({ f, grad: uslGradient, xs, ys, initial, lower: [1e-12, 0, 0] }))
    .reduce((a, b) => (b.sse < a.sse ? b : a));
  const [lambda, sigma, kappa] = best.params;
  const coef = { sigma, kappa, lambda };

  const mean = ys.reduce((s, y) => s + y, 0) / ys.length;
  const sst = ys.reduce((s, y) => s + (y - mean) ** 2, 0);
  const r2 = sst === 0 ? (best.sse === 0 ? 1 : 0) : 1 - best.sse / sst;

  const nMax = peakConcurrency(coef);
  const xMax = nMax !== null ? uslThroughput(nMax, coef) : sigma > 0 ? lambda / sigma : null;

  const cov = best.covariance;
  const se = (i: number) => (cov && cov[i][i] >= 0 ? Math.sqrt(cov[i][i]) : Number.NaN);
  const stdErrors = cov ? { lambda: se(0), sigma: se(1), kappa: se(2) } : null;

  let band: UslFit['band'] = null;
  if (cov) {
    const t = tQuantile975(xs.length - 3);
    const maxN = Math.max(...xs);
    const hi = Math.max(maxN, nMax !== null ? Math.min(nMax * 1.25, maxN * 4) : maxN) * 1.1;
    const lo = Math.min(1, Math.min(...xs));
    const grid = Array.from({ length: 50 }, (_, i) => lo + ((hi - lo) * i) / 49);
    band = {
      level: 0.95,
      points: grid.map((n) => {
        const g = uslGradient(n, best.params);
        const variance = g.reduce((s, gi, i) => s + gi * g.reduce((s2, gj, j) => s2 + cov[i][j] * gj, 0), 0);
        const x = uslThroughput(n, coef);
        const half = t * Math.sqrt(Math.max(variance, 0));
        return { n, x, lower: Math.max(0, x - half), upper: x + half };
      }),
    };
  }
  return { sigma, kappa, lambda, nMax, xMax, r2, stdErrors, band, points: points.length };
}

/** Linearised start: with λ ≈ X(N₀)/N₀, N·λ/X − 1 = σ(N−1) + κN(N−1) is linear in σ and κ. */
function startingPoints(points: UslPoint[]): number[][] {
  const sorted = [...points].filter((p) => p.x > 0).sort((a, b) => a.n - b.n);
  const lambda0 = Math.max(...sorted.slice(0, 2).map((p) => p.x / p.n));
  let s11 = 0, s12 = 0, s22 = 0, b1 = 0, b2 = 0;
  for (const p of sorted) {
    const y = (p.n * lambda0) / p.x - 1;
    const a1 = p.n - 1;
    const a2 = p.n * (p.n - 1);
    s11 += a1 * a1; s12 += a1 * a2; s22 += a2 * a2; b1 += a1 * y; b2 += a2 * y;
  }
  const det = s11 * s22 - s12 * s12;
  const sigma0 = det !== 0 ? Math.max(0, (b1 * s22 - b2 * s12) / det) : 0;
  const kappa0 = det !== 0 ? Math.max(0, (s11 * b2 - s12 * b1) / det) : 0;
  return [
    [lambda0, sigma0, kappa0],
    [lambda0, 0.01, 1e-4],
    [lambda0 * 1.5, 0.1, 1e-3],
    [lambda0 * 0.8, 0, 0],
  ];
}
