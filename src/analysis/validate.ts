import { invalid } from '../contracts/errors.js';

/** Input guards shared by the analysis modules: each throws UsageError "invalid X: expected Y, got Z". */
export function finite(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(what, 'a finite number', v);
  return v;
}

export function positive(what: string, v: unknown): number {
  const n = finite(what, v);
  if (n <= 0) throw invalid(what, 'a number > 0', n);
  return n;
}

export function nonNegative(what: string, v: unknown): number {
  const n = finite(what, v);
  if (n < 0) throw invalid(what, 'a number >= 0', n);
  return n;
}

/** A fraction strictly between 0 and 1 (a quantile, a share). */
export function openUnit(what: string, v: unknown): number {
  const n = finite(what, v);
  if (n <= 0 || n >= 1) throw invalid(what, 'a number between 0 and 1 (exclusive)', n);
  return n;
}

/** A fraction in [0, 1] (an error rate, a headroom of 0). */
export function unit(what: string, v: unknown): number {
  const n = finite(what, v);
  if (n < 0 || n > 1) throw invalid(what, 'a number between 0 and 1', n);
  return n;
}
