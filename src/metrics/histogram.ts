import * as hdr from 'hdr-histogram-js';
import { TREND_SCALE } from './types.js';

export type Histogram = hdr.Histogram;

export const SIGNIFICANT_DIGITS = 3;

export function newHistogram(): Histogram {
  // Auto-resizing so a 2-hour stall still records; 3 significant digits bound the error to 0.1%.
  // 32-bit buckets: 'packed' ones cost ~12 ms per encode/decode, which stalled the generator's
  // event loop every second (measured by the engine); the encoded form is the same.
  return hdr.build({ bitBucketSize: 32, autoResize: true, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS });
}

/** Trend values are scaled to integers; negatives are clamped to 0 (HDR records non-negative values). */
export function toRecorded(value: number): number {
  return value <= 0 ? 0 : Math.round(value * TREND_SCALE);
}

export function fromRecorded(recorded: number): number {
  return recorded / TREND_SCALE;
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32);
}

/** Add an encoded histogram into `into` (which must be auto-resizing: see newHistogram). */
export function addEncoded(into: Histogram, encoded: string): void {
  into.add(decodeHistogram(encoded));
}

/** Value at percentile p (0–100) in the trend's own unit, or null for an empty histogram. */
export function percentile(h: Histogram, p: number): number | null {
  if (h.totalCount === 0) return null;
  return fromRecorded(h.getValueAtPercentile(p));
}
