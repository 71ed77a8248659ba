/**
 * bench/k6-ndjson: reading k6's `--out json` results into a run directory (importK6Results, what
 * `report FILE` runs before the report) — rate and peak RSS on generated files of growing size, so
 * that memory is seen not to grow with the file. Baseline in the same run: reading the same file and
 * JSON.parse of every line, nothing more. Prints figures, asserts nothing.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/k6-ndjson.js [--mb 200] [--rate 2000] [--gz] [--keep DIR]
 *
 * The file is generated first (not timed) as k6 writes it: for each request of 10 endpoints the 11
 * points of k6's HTTP metrics with k6's tags (url and proto included), a check, iteration metrics and
 * a vus gauge each second; points of a second written in a shuffled order and ~1% of them up to 2 s
 * late, as k6's per-VU buffers flush. Sizes: --mb / 4 and --mb. Each read runs in a child process so
 * its peak RSS is its own.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import { lineBatches } from '../src/metrics/index.js';
import { importK6Results } from '../src/run/k6-results.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ENDPOINTS = Array.from({ length: 10 }, (_, k) => ({ name: `GET /api/v1/thing-${k}`, method: k % 3 === 0 ? 'POST' : 'GET' }));
const HTTP = ['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'http_req_duration'];

/** A deterministic generator (no Math.random: the same file every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const isoLocal = (ms: number) => new Date(ms + 5.5 * 3600_000).toISOString().slice(0, 23) + '417302+05:30';

async function generate(path: string, bytes: number, rate: number, gz: boolean): Promise<{ lines: number }> {
  const file = createWriteStream(path);
  const out = gz ? createGzip() : null;
  if (out) out.pipe(file);
  const sink = out ?? file;
  const write = (s: string) => (sink.write(s) ? Promise.resolve() : new Promise<void>((r) => sink.once('drain', () => r())));
  const r = rng(42);
  const metricLine = (metric: string, type: string, contains: string, thresholds: string[] = []) =>
    JSON.stringify({ type: 'Metric', data: { name: metric, type, contains, tainted: null, thresholds, submetrics: null }, metric }) + '\n';
  let header = metricLine('vus', 'gauge', 'default') + metricLine('http_reqs', 'counter', 'default', ['count>10']) + metricLine('http_req_failed', 'rate', 'default', ['rate<0.05'])
    + metricLine('data_sent', 'counter', 'data') + metricLine('data_received', 'counter', 'data') + metricLine('checks', 'rate', 'default')
    + metricLine('iterations', 'counter', 'default') + metricLine('iteration_duration', 'trend', 'time');
  for (const m of HTTP) header += metricLine(m, 'trend', 'time', m === 'http_req_duration' ? ['p(95)<500'] : []);
  await write(header);
  let written = header.length, lines = header.split('\n').length - 1;
  const start = Date.parse('2026-12-03T02:30:00Z');
  let late: string[] = [];
  for (let sec = 0; written < bytes; sec++) {
    const points: string[] = [];
    const p = (ms: number, metric: string, value: number, tags: string) =>
      points.push(`{"type":"Point","data":{"time":"${isoLocal(ms)}","value":${value},"tags":${tags}},"metric":"${metric}"}\n`);
    p(start + sec * 1000, 'vus', 50, '{}');
    for (let i = 0; i < rate; i++) {
      const at = start + sec * 1000 + r() * 1000;
      const e = ENDPOINTS[Math.floor(r() * ENDPOINTS.length)];
      const status = r() < 0.02 ? '503' : '200';
      const tags = `{"expected_response":"${status === '200'}","group":"","method":"${e.method}","name":"${e.name}","proto":"HTTP/1.1","scenario":"default","status":"${status}","tls_version":"","url":"http://127.0.0.1:8080${e.name.slice(e.method.length + 1)}?id=${Math.floor(r() * 1e6)}"}`;
      const duration = 5 + r() * r() * 400;
      p(at, 'http_reqs', 1, tags);
      for (const m of HTTP) p(at, m, m === 'http_req_duration' ? duration : m === 'http_req_waiting' ? duration * 0.9 : r() * 0.2, tags);
      p(at, 'http_req_failed', status === '200' ? 0 : 1, tags);
      p(at, 'data_sent', 180, '{"group":"","scenario":"default"}');
      p(at, 'data_received', 900, '{"group":"","scenario":"default"}');
      p(at, 'checks', status === '200' ? 1 : 0, '{"check":"status is 200","group":"","scenario":"default"}');
      p(at, 'iterations', 1, '{"group":"","scenario":"default"}');
      p(at, 'iteration_duration', duration + 1, '{"group":"","scenario":"default"}');
    }
    // shuffled within the second, ~1% held back up to two seconds
    for (let i = points.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [points[i], points[j]] = [points[j], points[i]]; }
    const now: string[] = [], held: string[] = [];
    for (const x of points) (r() < 0.01 ? held : now).push(x);
    const text = late.join('') + now.join('');
    late = held;
    await write(text);
    written += text.length;
    lines += now.length;
  }
  await write(late.join(''));
  lines += late.length;
  await new Promise<void>((res) => { sink.end(); file.once('close', () => res()); });
  return { lines };
}

async function child(what: string, file: string, out: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  let points = 0;
  if (what === 'parse') {
    const bytes = createReadStream(file, { highWaterMark: 256 * 1024 });
    const text = file.endsWith('.gz') ? bytes.pipe(createGunzip({ chunkSize: 256 * 1024 })) : bytes;
    text.setEncoding('utf8');
    for await (const lines of lineBatches(text as AsyncIterable<string>)) for (const l of lines) { JSON.parse(l); points++; }
  } else {
    points = (await importK6Results([file], out, { command: 'bench/k6-ndjson' })).points;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ ms, points, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else {
  const mb = arg('mb', 200), rate = arg('rate', 2000);
  const gz = process.argv.includes('--gz');
  const keep = process.argv.indexOf('--keep');
  const dir = keep >= 0 ? process.argv[keep + 1] : mkdtempSync(join(tmpdir(), 'bench-k6-ndjson-'));
  const self = fileURLToPath(import.meta.url);
  try {
    for (const size of [mb / 4, mb]) {
      const file = join(dir, `k6-${size}MB.json${gz ? '.gz' : ''}`);
      const { lines } = await generate(file, size * 1e6, rate, gz);
      const onDisk = statSync(file).size;
      const run = (what: string, out: string) => JSON.parse(execFileSync(process.execPath, [self, '--child', what, file, out], { encoding: 'utf8', maxBuffer: 1 << 20 })) as { ms: number; points: number; maxRssMB: number };
      const base = run('parse', '');
      const imp = run('import', join(dir, `run-${size}`));
      const textMB = size;
      process.stdout.write(`${textMB} MB of k6 JSON (${(onDisk / 1e6).toFixed(0)} MB on disk${gz ? ', gzip' : ''}, ${lines.toLocaleString('en')} lines, ${rate}/s requests ≈ ${Math.round(lines / (rate * 14))} s of test):\n`
        + `  read + JSON.parse only : ${(base.ms / 1000).toFixed(1)} s  ${(textMB / (base.ms / 1000)).toFixed(1)} MB/s  ${Math.round(lines / (base.ms / 1000)).toLocaleString('en')} lines/s  peak RSS ${base.maxRssMB.toFixed(0)} MB\n`
        + `  importK6Results       : ${(imp.ms / 1000).toFixed(1)} s  ${(textMB / (imp.ms / 1000)).toFixed(1)} MB/s  ${Math.round(imp.points / (imp.ms / 1000)).toLocaleString('en')} points/s  peak RSS ${imp.maxRssMB.toFixed(0)} MB  (${(imp.ms / base.ms).toFixed(2)}× the parse-only time)\n`);
      if (keep < 0) rmSync(file, { force: true });
    }
  } finally {
    if (keep < 0) rmSync(dir, { recursive: true, force: true });
  }
}
