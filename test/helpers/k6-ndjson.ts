/**
 * k6 `--out json` lines written from a list of samples set down here, in k6's documented format (a
 * Metric line before a metric's first point; local time with nanoseconds and a zone offset), for the
 * tests of our reader. Written independently of src/k6/ndjson.
 */
export const START = Date.parse('2026-12-03T08:00:00.000Z');

/** A sample as set down for the fixture: seconds after START, metric, value, tags. */
export type Sample = [number, string, number, Record<string, string>?];

const KINDS: Record<string, { type: string; contains: string }> = {
  http_reqs: { type: 'counter', contains: 'default' },
  http_req_duration: { type: 'trend', contains: 'time' },
  http_req_failed: { type: 'rate', contains: 'default' },
  checks: { type: 'rate', contains: 'default' },
  dropped_iterations: { type: 'counter', contains: 'default' },
  vus: { type: 'gauge', contains: 'default' },
};

/** Durations of GET /a and POST /b, second by second: the written-down list the fixture is made of. */
export const A_MS = [12.5, 14.1, 13.3, 250.8, 11.9, 15.2, 17.7, 12.2, 13.9, 99.4, 12.0, 14.4, 16.6, 18.1, 13.3, 12.7, 1203.5, 14.9, 13.0, 12.1];
export const B_MS = [45.2, 51.8, 48.3, 60.1, 47.7, 49.9, 300.2, 52.4, 46.1, 50.0];

export function samples(aMs: readonly number[], bMs: readonly number[], offsetMs = 0): Sample[] {
  const out: Sample[] = [];
  aMs.forEach((v, i) => {
    const s = i * 0.25 + offsetMs / 1000; // four requests a second
    const tags = { name: 'GET /a', method: 'GET', status: i === 3 ? '500' : '200', url: `http://t/a?i=${i}`, proto: 'HTTP/1.1', scenario: 'default', expected_response: String(i !== 3) };
    out.push([s, 'http_reqs', 1, tags], [s, 'http_req_duration', v, tags], [s, 'http_req_failed', i === 3 ? 1 : 0, tags]);
    out.push([s, 'checks', i === 3 ? 0 : 1, { check: 'status is 200', group: '', scenario: 'default' }]);
  });
  bMs.forEach((v, i) => {
    const s = i * 0.5 + 0.1 + offsetMs / 1000;
    const tags = { name: 'POST /b', method: 'POST', status: '201', url: 'http://t/b', scenario: 'default', expected_response: 'true' };
    out.push([s, 'http_reqs', 1, tags], [s, 'http_req_duration', v, tags], [s, 'http_req_failed', 0, tags]);
  });
  out.push([1.5, 'dropped_iterations', 3, { scenario: 'default' }], [0, 'vus', 4, {}]);
  return out;
}

/** k6's JSON lines for the samples: a Metric line before each metric's first point, points in time order (k6's time format, with an offset). */
export function k6Lines(list: readonly Sample[], thresholds: Record<string, string[]> = {}, submetrics: Record<string, Array<{ name: string; thresholds: string[] }>> = {}): string {
  const declared = new Set<string>();
  const lines: string[] = [];
  for (const [s, metric, value, tags] of [...list].sort((x, y) => x[0] - y[0])) {
    if (!declared.has(metric)) {
      declared.add(metric);
      lines.push(JSON.stringify({ type: 'Metric', data: { name: metric, ...KINDS[metric], tainted: null, thresholds: thresholds[metric] ?? [], submetrics: submetrics[metric] ?? null }, metric }));
    }
    // k6 writes local time with nanoseconds and the zone offset: +05:30 here
    const local = new Date(START + s * 1000 + 5.5 * 3600_000).toISOString().replace('Z', '');
    lines.push(JSON.stringify({ type: 'Point', data: { time: `${local}123456+05:30`, value, tags: tags ?? null }, metric }));
  }
  return lines.join('\n') + '\n';
}

