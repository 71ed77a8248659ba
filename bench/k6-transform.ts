/**
 * bench/k6-transform: the arrival rate a k6 script holds on our engine (transformed: per-VU init,
 * k6/http wrappers, awaited calls) against the same flow written natively for 'capacity-test'.
 * Both run the same open-model plan (constant-arrival-rate) against one loopback server; prints
 * the achieved iterations per second, dropped iterations and schedule lag p99 of each, and the ratio.
 * A third run is the k6 script with `--out json` (every sample into per-thread part files, put into
 * k6's file after the run): what writing k6's JSON lines costs the generator, and how long the file
 * takes to put together. Asserts nothing.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/k6-transform.js [--rate 3000] [--duration 10s] [--workers 1]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { runEngine } from '../src/engine/index.js';
import { statistic } from '../src/metrics/index.js';
import { writeK6Json } from '../src/run/k6-json-out.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const OPTIONS = `export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE), timeUnit: '1s',
  duration: __ENV.DURATION, preAllocatedVUs: 200, maxVUs: 2000 } } };`;

const NATIVE = `import { check } from 'capacity-test';
${OPTIONS}
export default async function (vu) {
  const res = await vu.http.get(vu.env.BASE + '/json');
  check(res, { ok: (r) => r.status === 200 && r.json().ok === true });
}
`;

const K6 = `import http from 'k6/http';
import { check } from 'k6';
${OPTIONS}
export default function () {
  const res = http.get(__ENV.BASE + '/json');
  check(res, { ok: (r) => r.status === 200 && r.json('ok') === true });
}
`;

const rate = arg('rate', '3000');
const duration = arg('duration', '10s');
const workers = Number(arg('workers', '1'));
const dir = mkdtempSync(join(tmpdir(), 'bench-k6-transform-'));
const server = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); });
server.keepAliveTimeout = 60_000;
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
try {
  const rows: Record<string, { perSecond: number; dropped: number; lagP99: number | null; checksPassed: number }> = {};
  for (const [name, source] of [['native', NATIVE], ['k6', K6], ['k6+json', K6]] as const) {
    const file = join(dir, `${name}.js`);
    writeFileSync(file, source);
    const samplesDir = name === 'k6+json' ? join(dir, 'parts') : undefined;
    const r = await runEngine({ scenarioFile: file, env: { BASE: base, RATE: rate, DURATION: duration }, workers, ...(samplesDir ? { samplesDir } : {}) });
    if (samplesDir) {
      const t0 = Date.now();
      await writeK6Json(samplesDir, join(dir, 'out.json'));
      process.stdout.write(`        k6's JSON file put together in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${(statSync(join(dir, 'out.json')).size / 1e6).toFixed(0)} MB\n`);
    }
    const q = r.totals;
    const iterations = statistic(q.aggregate('iterations'), 'count') ?? 0;
    rows[name] = {
      perSecond: iterations / r.plannedDurationSeconds,
      dropped: statistic(q.aggregate('dropped_iterations'), 'count') ?? 0,
      lagP99: statistic(q.aggregate('schedule_lag'), 'p(99)'),
      checksPassed: statistic(q.aggregate('checks'), 'rate') ?? 0,
    };
    process.stdout.write(`${name.padEnd(7)} planned ${rate}/s for ${duration}: held ${rows[name].perSecond.toFixed(0)}/s, dropped ${rows[name].dropped}, schedule lag p99 ${rows[name].lagP99?.toFixed(1) ?? '–'} ms, checks passed ${(rows[name].checksPassed * 100).toFixed(2)}%\n`);
  }
  process.stdout.write(`k6 script / native: ${(rows.k6.perSecond / rows.native.perSecond).toFixed(3)} of the native arrival rate held\n`);
  process.stdout.write(`k6 script with --out json / without: ${(rows['k6+json'].perSecond / rows.k6.perSecond).toFixed(3)}\n`);
} finally {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
