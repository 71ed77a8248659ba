import { formatClock } from './figures.js';

/**
 * The shape of a spike in arrivals per minute: where it peaked, the level it rose from, how fast it rose
 * and how long it held. Pure.
 *   baseline  the median minute before the peak (0 when the peak is the first minute);
 *   rise      from the last minute before the peak at or below baseline + 10% of the height (peak −
 *             baseline) to the peak;
 *   hold      the unbroken run of minutes around the peak at or above baseline + half the height
 *             (the spike's full width at half height).
 */
export interface SpikeShape {
  peak: string;
  peakPerMinute: number;
  baselinePerMinute: number;
  riseFrom: string;
  riseMinutes: number;
  holdFrom: string;
  /** the end of the hold's last minute (holdFrom–holdTo spans holdMinutes) */
  holdTo: string;
  holdMinutes: number;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const k = Math.floor(s.length / 2);
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}

/** `counts[i]` arrivals in minute `startMinute + i`; null when there are none at all. */
export function spikeShape(counts: readonly number[], startMinute: number): SpikeShape | null {
  let p = 0;
  counts.forEach((c, i) => { if (c > counts[p]) p = i; });
  if (!(counts[p] > 0)) return null;
  const peak = counts[p];
  const baseline = median(counts.slice(0, p));
  const height = peak - baseline;
  let riseFrom = p;
  while (riseFrom > 0 && counts[riseFrom] > baseline + 0.1 * height) riseFrom--;
  const half = baseline + 0.5 * height;
  let a = p;
  let b = p;
  while (a > 0 && counts[a - 1] >= half) a--;
  while (b < counts.length - 1 && counts[b + 1] >= half) b++;
  return {
    peak: formatClock(startMinute + p), peakPerMinute: peak, baselinePerMinute: baseline,
    riseFrom: formatClock(startMinute + riseFrom), riseMinutes: p - riseFrom,
    holdFrom: formatClock(startMinute + a), holdTo: formatClock(startMinute + b + 1), holdMinutes: b - a + 1,
  };
}

/** The shape in one sentence (the command's output and the profile's notes). */
export function spikeSentence(what: string, s: SpikeShape): string {
  const n = (x: number) => (Number.isInteger(x) ? x : Math.round(x * 10) / 10).toLocaleString('en-IN');
  const rise = s.riseMinutes === 0 ? 'no rise in the log before it' : `rose from ${n(s.baselinePerMinute)}/min in ${s.riseMinutes} min (from ${s.riseFrom})`;
  return `${what}: peak ${n(s.peakPerMinute)}/min at ${s.peak}; ${rise}; held at least half its height for ${s.holdMinutes} min (${s.holdFrom}–${s.holdTo})`;
}
