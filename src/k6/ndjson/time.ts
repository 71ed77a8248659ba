/**
 * k6's timestamps in its JSON output: RFC 3339 with up to nanoseconds and a zone offset
 * (`2017-05-09T14:34:45.625742514+02:00`, or `…Z`). Read to epoch milliseconds (fractions kept to
 * the microsecond); written in UTC with microseconds, which every RFC 3339 reader takes.
 */

/** The last whole second read: consecutive points share it, so Date.parse runs about once a second. */
let lastKey = '';
let lastMs = NaN;

/** Epoch ms of a k6 time, or NaN when it is not RFC 3339. */
export function parseK6Time(s: string): number {
  // "YYYY-MM-DDTHH:MM:SS" is 19 characters; a fraction and the zone follow
  if (s.length < 20 || s.charCodeAt(10) !== 84 /* T */ && s.charCodeAt(10) !== 116 /* t */ && s.charCodeAt(10) !== 32) return NaN;
  let i = 19;
  let frac = 0, scale = 1;
  if (s.charCodeAt(i) === 46 /* . */) {
    i++;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (scale < 1e6) { frac = frac * 10 + c; scale *= 10; }
    }
    if (scale === 1) return NaN;
  }
  const zone = s.slice(i);
  const key = s.slice(0, 19) + zone;
  if (key !== lastKey) {
    lastMs = Date.parse(key);
    lastKey = key;
  }
  return lastMs + (frac / scale) * 1000;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The "YYYY-MM-DDTHH:MM:SS." of the last second written (samples of a second share it). */
let lastSecond = NaN;
let lastPrefix = '';

/** RFC 3339 in UTC with microseconds, as k6's own output carries sub-millisecond times. */
export function formatK6Time(ms: number): string {
  const micros = Math.round(ms * 1000);
  const second = Math.floor(micros / 1e6);
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${lastPrefix}${pad(micros - second * 1e6, 6)}Z`;
}
