import { invalid } from '../contracts/errors.js';
import { finite } from './validate.js';

/**
 * Kneedle (Satopää, Albrecht, Irwin, Raghavan, "Finding a 'Kneedle' in a Haystack", ICDCS-W 2011).
 * Normalise both axes to [0, 1]; the knee is the point farthest from the chord between the ends:
 * - 'concave' (throughput vs load: rises, then flattens): maximise yₙ − xₙ;
 * - 'convex'  (latency vs load: flat, then shoots up):      maximise xₙ − yₙ.
 * A knee is declared only when that difference exceeds sensitivity × the mean normalised x step
 * (Kneedle's threshold: the difference curve must fall by that much after its maximum, and it always
 * falls to 0 at the last point). A straight line has no knee: null; nor is an end point ever a knee.
 */
export type KneeShape = 'concave' | 'convex';
export interface Knee { x: number; y: number; index: number; score: number }

export function findKnee(xs: number[], ys: number[], shape: KneeShape, sensitivity = 1): Knee | null {
  if (xs.length !== ys.length) throw invalid('knee curve', 'as many y values as x values', `${ys.length} y for ${xs.length} x`);
  if (shape !== 'concave' && shape !== 'convex') throw invalid('knee shape', '"concave" or "convex"', shape);
  const pts = xs.map((x, i) => ({ x: finite(`knee x[${i}]`, x), y: finite(`knee y[${i}]`, ys[i]), i }))
    .sort((a, b) => a.x - b.x);
  for (let i = 1; i < pts.length; i++) {
    if (pts[i].x === pts[i - 1].x) throw invalid('knee curve', 'distinct x values', `x = ${pts[i].x} twice`);
  }
  if (pts.length < 3) return null;
  const x0 = pts[0].x, x1 = pts[pts.length - 1].x;
  const ymin = Math.min(...pts.map((p) => p.y)), ymax = Math.max(...pts.map((p) => p.y));
  if (ymax === ymin) return null;
  // A decreasing curve is mirrored so that the same two shapes cover it.
  const increasing = pts[pts.length - 1].y >= pts[0].y;
  const diff = pts.map((p) => {
    const xn = (p.x - x0) / (x1 - x0);
    let yn = (p.y - ymin) / (ymax - ymin);
    if (!increasing) yn = 1 - yn;
    return shape === 'concave' ? yn - xn : xn - yn;
  });
  // Only interior points: on a monotone curve the difference is 0 at both ends by construction, so an
  // end point "winning" means noise, not a knee.
  let best = 1;
  for (let i = 2; i < diff.length - 1; i++) if (diff[i] > diff[best]) best = i;
  const meanStep = 1 / (pts.length - 1);
  if (diff[best] <= sensitivity * meanStep) return null;
  const p = pts[best];
  return { x: p.x, y: p.y, index: p.i, score: diff[best] };
}
