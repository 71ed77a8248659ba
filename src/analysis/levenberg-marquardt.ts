import { invert, solve, type Matrix } from './linear-algebra.js';

/**
 * Levenberg–Marquardt for small nonlinear least-squares problems with lower bounds.
 *
 * Written by hand: no maintained npm package for it is installed here (ml-levenberg-marquardt is not a
 * dependency, and it offers neither bounds nor the covariance we need for standard errors), and the
 * whole method fits in this file. Marquardt's scaling (damping μ·diag(JᵀJ)) makes it invariant to the
 * very different magnitudes of USL parameters (λ ~ 10³, κ ~ 10⁻⁴). Bounds are kept by projection.
 */
export interface LmProblem {
  /** Model value at x for parameters p. */
  f: (x: number, p: number[]) => number;
  /** Gradient of f with respect to p at x. */
  grad: (x: number, p: number[]) => number[];
  xs: number[];
  ys: number[];
  initial: number[];
  lower?: number[];
  maxIterations?: number;
}

export interface LmResult {
  params: number[];
  sse: number;
  iterations: number;
  converged: boolean;
  /** s²·(JᵀJ)⁻¹ at the solution, s² = SSE / (n − p); null when singular or n ≤ p. */
  covariance: Matrix | null;
}

export function levenbergMarquardt(problem: LmProblem): LmResult {
  const { f, grad, xs, ys } = problem;
  const k = problem.initial.length;
  const lower = problem.lower ?? Array(k).fill(-Infinity);
  const project = (p: number[]) => p.map((v, i) => Math.max(v, lower[i]));
  const sseOf = (p: number[]) => xs.reduce((s, x, i) => s + (ys[i] - f(x, p)) ** 2, 0);

  let p = project(problem.initial);
  let sse = sseOf(p);
  let mu = 1e-3;
  let converged = false;
  let it = 0;
  const maxIt = problem.maxIterations ?? 500;
  for (; it < maxIt; it++) {
    const { jtj, jtr } = normalEquations(f, grad, xs, ys, p);
    let improved = false;
    // Raise the damping until a step lowers the SSE (or the damping says there is nowhere to go).
    while (mu < 1e16) {
      const a = jtj.map((row, i) => row.map((v, j) => (i === j ? v + mu * Math.max(v, 1e-300) : v)));
      const step = solve(a, jtr);
      if (!step) { mu *= 10; continue; }
      const next = project(p.map((v, i) => v + step[i]));
      const nextSse = sseOf(next);
      if (Number.isFinite(nextSse) && nextSse <= sse) {
        const rel = sse === 0 ? 0 : (sse - nextSse) / sse;
        const moved = next.reduce((m, v, i) => Math.max(m, Math.abs(v - p[i]) / (Math.abs(p[i]) + 1e-12)), 0);
        p = next;
        sse = nextSse;
        mu = Math.max(mu / 10, 1e-12);
        improved = true;
        if (rel < 1e-15 || moved < 1e-12) converged = true;
        break;
      }
      mu *= 10;
    }
    if (!improved) { converged = true; break; }
    if (converged) break;
  }
  return { params: p, sse, iterations: it, converged, covariance: covarianceOf(f, grad, xs, ys, p, sse) };
}

function normalEquations(f: LmProblem['f'], grad: LmProblem['grad'], xs: number[], ys: number[], p: number[]) {
  const k = p.length;
  const jtj: Matrix = Array.from({ length: k }, () => Array(k).fill(0));
  const jtr = Array(k).fill(0);
  xs.forEach((x, i) => {
    const g = grad(x, p);
    const r = ys[i] - f(x, p);
    for (let a = 0; a < k; a++) {
      jtr[a] += g[a] * r;
      for (let b = 0; b < k; b++) jtj[a][b] += g[a] * g[b];
    }
  });
  return { jtj, jtr };
}

function covarianceOf(f: LmProblem['f'], grad: LmProblem['grad'], xs: number[], ys: number[], p: number[], sse: number): Matrix | null {
  const dof = xs.length - p.length;
  if (dof <= 0) return null;
  const inv = invert(normalEquations(f, grad, xs, ys, p).jtj);
  if (!inv) return null;
  const s2 = sse / dof;
  return inv.map((row) => row.map((v) => v * s2));
}
