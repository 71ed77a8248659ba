/**
 * Two-sided 95% quantile of Student's t distribution, for confidence bands of small fits (a USL fit
 * has n − 3 degrees of freedom, often 3 to 10, where 1.96 would be far too narrow).
 * Exact table values for ν ≤ 30; beyond that the Cornish–Fisher expansion around z is within 1e-4.
 */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tQuantile975(dof: number): number {
  if (!Number.isFinite(dof) || dof < 1) return Number.NaN;
  const v = Math.floor(dof);
  if (v <= T975.length) return T975[v - 1];
  const z = 1.959963984540054;
  return z + (z ** 3 + z) / (4 * v) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * v ** 2)
    + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * v ** 3);
}
