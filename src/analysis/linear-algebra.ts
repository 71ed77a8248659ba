/**
 * The two dense operations the least-squares fit needs on tiny (3×3) matrices: solve and invert, by
 * Gauss–Jordan elimination with partial pivoting. Returns null for a singular matrix instead of
 * throwing, because a singular normal matrix is an expected outcome of a degenerate fit.
 */
export type Matrix = number[][];

export function solve(a: Matrix, b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  if (!eliminate(m, n)) return null;
  return m.map((row) => row[n]);
}

export function invert(a: Matrix): Matrix | null {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  if (!eliminate(m, n)) return null;
  return m.map((row) => row.slice(n));
}

/** Reduces the left n×n block of the augmented matrix m to the identity, in place. */
function eliminate(m: Matrix, n: number): boolean {
  const scale = Math.max(...m.flatMap((row) => row.slice(0, n).map(Math.abs)), 0);
  if (scale === 0) return false;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) <= scale * 1e-14) return false;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const p = m[col][col];
    for (let j = 0; j < m[col].length; j++) m[col][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col];
      if (f === 0) continue;
      for (let j = 0; j < m[r].length; j++) m[r][j] -= f * m[col][j];
    }
  }
  return true;
}
