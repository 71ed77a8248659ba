/**
 * bench/live — what `--remote-write` and `--dashboard` cost the engine. One constant-arrival-rate
 * (one GET, default options) against a trivial node:http server, the same run with nothing, with
 * --remote-write (a real Prometheus when /usr/bin/prometheus exists), with --dashboard and one page
 * connected to its event stream, and with both; rounds interleaved so that a drift of this shared machine
 * hits every mode alike. Server, Prometheus and the page's reader on core 0, the generator on core 1
 * (taskset). Prints figures measured in the same run; asserts nothing. Build first, then:
 *
 *   node dist/bench/live.js [--rate=4000] [--seconds=10] [--rounds=2] [--only=observers|runs]
 *
 * Part 1 (observers) times the observers alone, in this process, on a busy second's windows (10
 * endpoints × 3 statuses, 1,000 requests each): CPU per closed second of the main thread, where the engine
 * merges windows (the workers' hot path never runs them). It holds even when the machine is shared;
 * part 2's end-to-end runs do not, and say so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWindows, MetricsQuery, statistic, WindowRecorder, type EncodedWindow } from '../src/metrics/index.js';
import { EngineEvents, type SecondEvent } from '../src/engine/index.js';
import { createRemoteWrite } from '../src/live/remote-write/index.js';
import { startDashboard } from '../src/live/dashboard/server.js';
import { freePort } from './free-port.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const cli = join(root, 'bin', 'capacity-test.js');
const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const rate = arg('rate', 4000), seconds = arg('seconds', 10), rounds = arg('rounds', 2);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? 'observers,runs';
const work = mkdtempSync(join(tmpdir(), 'ct-live-bench-'));
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const pinned = (core: string, cmd: string[]) => (hasTaskset ? ['taskset', '-c', core, ...cmd] : cmd);

const SERVER = `import { createServer } from 'node:http';
const s = createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); });
s.keepAliveTimeout = 60000; s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));`;
/** A page's share of the work: a reader of the dashboard's event stream (what a browser tab costs the engine). */
const READER = `const r = await fetch(process.argv[2] + 'events'); let n = 0; for await (const c of r.body) n += c.length; process.stdout.write(n + '\\n');`;
const SCENARIO = `export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE), timeUnit: '1s', duration: __ENV.DUR, preAllocatedVUs: 200, maxVUs: 5000 } } };
export default async function (vu) { await vu.http.get(vu.env.TARGET + '/', { tags: { name: 'GET /' }, responseType: 'none' }); }`;

function file(name: string, text: string): string { const p = join(work, name); writeFileSync(p, text); return p; }

async function startPrometheus(): Promise<{ writeUrl: string; proc: ChildProcess } | null> {
  if (!existsSync('/usr/bin/prometheus')) return null;
  const port = await freePort();
  const config = file('prometheus.yml', 'global:\n  scrape_interval: 1h\n');
  const cmd = pinned('0', ['/usr/bin/prometheus', `--config.file=${config}`, `--storage.tsdb.path=${join(work, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', '--log.level=error']);
  const proc = spawn(cmd[0], cmd.slice(1), { stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) return { writeUrl: `http://127.0.0.1:${port}/api/v1/write`, proc }; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  return null;
}

/** A stand-in receiver when Prometheus is absent: answers 204 to every write. */
const SINK = `import { createServer } from 'node:http';
const s = createServer((req, res) => { req.resume(); req.on('end', () => { res.statusCode = 204; res.end(); }); });
s.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + s.address().port + '/api/v1/write\\n'));`;

async function startChild(core: string, script: string, args: string[] = []): Promise<{ line: string; proc: ChildProcess }> {
  const cmd = pinned(core, [process.execPath, script, ...args]);
  const proc = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((r) => proc.stdout!.once('data', (d: Buffer) => r(d.toString().trim())));
  return { line, proc };
}

type Mode = 'off' | 'remote-write' | 'dashboard' | 'both';

async function runOnce(mode: Mode, target: string, writeUrl: string): Promise<string> {
  const out = join(work, `run-${mode}-${Date.now()}`);
  const flags = [...(mode === 'remote-write' || mode === 'both' ? ['--remote-write', writeUrl] : []), ...(mode === 'dashboard' || mode === 'both' ? ['--dashboard'] : [])];
  const cmd = pinned('1', [process.execPath, cli, 'run', file('scenario.js', SCENARIO), '--quiet', '--workers', '1', '--out', out,
    '--env', `TARGET=${target}`, '--env', `RATE=${rate}`, '--env', `DUR=${seconds}s`, ...flags]);
  const proc = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  let reader: ChildProcess | undefined;
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => {
    if (!stdout && flags.includes('--dashboard')) {
      const url = s.split('\n')[0];
      reader = spawn(...((c) => [c[0], c.slice(1)] as const)(pinned('0', [process.execPath, file('reader.mjs', READER), url])), { stdio: 'ignore' });
    }
    stdout += s;
  });
  await new Promise((r) => proc.on('exit', r));
  reader?.kill();
  const q = new MetricsQuery(decodeWindows(readFileSync(join(out, 'metrics/windows.jsonl.gz'))));
  const cpu = q.windows('generator_cpu').filter((w) => w.t >= 2).map((w) => w.sum);
  const lag = statistic(q.aggregate('schedule_lag'), 'p(99)');
  const dropped = q.windows('dropped_iterations').reduce((a, w) => a + w.sum, 0);
  const reqs = q.windows('http_reqs').reduce((a, w) => a + w.sum, 0);
  const rw = /remote write: .*/.exec(stdout)?.[0] ?? '';
  rmSync(out, { recursive: true, force: true });
  return `${mode.padEnd(12)} schedule_lag p99 ${lag?.toFixed(1)} ms, dropped ${dropped}, http_reqs ${reqs}, generator CPU ${(cpu.reduce((a, b) => a + b, 0) / Math.max(1, cpu.length)).toFixed(1)}% of a core (seconds 2 on)${rw ? ` · ${rw}` : ''}`;
}

/** A busy second's merged windows: 10 endpoints × 3 statuses, 1,000 requests each, plus the run's own series. */
function busySecond(startMs: number, t: number): EncodedWindow[] {
  const r = new WindowRecorder(startMs);
  const at = startMs + t * 1000 + 500;
  for (let e = 0; e < 10; e++) {
    for (const status of ['200', '429', '503']) {
      const tags = { scenario: 'citizens', name: `GET /api/v1/endpoint${e}`, method: 'GET', status, expected_response: String(status === '200') };
      for (let i = 0; i < 1000; i++) {
        const ms = 2 + ((i * 7919) % 1000) / 10;
        r.add('http_reqs', 'counter', tags, 1, at); r.add('http_req_duration', 'trend', tags, ms, at);
        r.add('http_req_waiting', 'trend', tags, ms * 0.9, at); r.add('http_req_blocked', 'trend', tags, 0.01, at);
        r.add('http_req_failed', 'rate', tags, status === '200' ? 0 : 1, at);
      }
    }
  }
  for (let i = 0; i < 1000; i++) { r.add('schedule_lag', 'trend', {}, (i % 50) / 10, at); r.add('iterations', 'counter', { scenario: 'citizens' }, 1, at); }
  r.add('planned_iterations', 'counter', { scenario: 'citizens' }, 1000, at); r.add('vus', 'gauge', {}, 120, at); r.add('generator_cpu', 'gauge', {}, 60, at);
  return r.drain();
}

/** CPU (user + system, ms) this process spends per closed second in the live observers, receivers elsewhere. */
async function observerCost(writeUrl: string): Promise<void> {
  const start = Date.now();
  const windows = Array.from({ length: 60 }, (_, t) => busySecond(start, t));
  const perSecond: Record<string, string> = {};
  let offsetMs = 0;
  for (const mode of ['off', 'remote-write', 'dashboard', 'both'] as const) {
    // each mode's samples later than the one before's: Prometheus refuses samples older than a series' last
    offsetMs += 120_000;
    const events = new EngineEvents();
    const rw = mode === 'remote-write' || mode === 'both' ? createRemoteWrite({ url: writeUrl }) : null;
    const dash = mode === 'dashboard' || mode === 'both' ? await startDashboard({ port: 0 }) : null;
    rw?.observe(events); dash?.observe(events);
    const reader = dash ? spawn(...((c) => [c[0], c.slice(1)] as const)(pinned('0', [process.execPath, file('reader.mjs', READER), dash.url])), { stdio: 'ignore' }) : null;
    if (dash) await new Promise((r) => setTimeout(r, 500));
    events.emit('start', { startedAtMs: start + offsetMs, plannedDurationSeconds: 60, workers: 1, options: { thresholds: { http_req_failed: ['rate<0.01'], 'http_req_duration{name:GET /api/v1/endpoint3}': ['p(95)<800'] } }, connectionsPerOrigin: 1024 });
    const c0 = process.cpuUsage();
    for (const ws of windows) {
      events.emit('windows', ws);
      events.emit('second', { second: ws[0].t, saturated: false, windows: ws } as unknown as SecondEvent);
      await new Promise((r) => setImmediate(r));
    }
    const stats = await rw?.close();
    const c = process.cpuUsage(c0);
    await dash?.close();
    reader?.kill();
    perSecond[mode] = `${((c.user + c.system) / 1000 / windows.length).toFixed(2)} ms${stats ? ` (${stats.sentSamples} samples in ${stats.requests} requests, ${stats.droppedSamples + stats.failedSamples} lost)` : ''}`;
  }
  console.log(`1. observers alone, CPU of the main thread per closed second of ${windows[0].length} windows (${windows.length} seconds): ` +
    Object.entries(perSecond).map(([k, v]) => `${k} ${v}`).join('; '));
}

const server = await startChild('0', file('server.mjs', SERVER));
const prom = await startPrometheus();
const sink = prom ? null : await startChild('0', file('sink.mjs', SINK));
const writeUrl = prom?.writeUrl ?? sink!.line;
try {
  if (only.includes('observers')) await observerCost(writeUrl);
  if (only.includes('runs')) console.log(`2. end to end: ${rate} arrivals/s for ${seconds} s, ${rounds} rounds (${hasTaskset ? 'server, receiver and page reader on core 0, generator on core 1' : 'taskset unavailable: unpinned'}; receiver: ${prom ? 'Prometheus' : 'a 204 sink'})`);
  for (let round = 1; round <= (only.includes('runs') ? rounds : 0); round++) {
    for (const mode of ['off', 'remote-write', 'dashboard', 'both'] as const) console.log(`round ${round} ${await runOnce(mode, `http://127.0.0.1:${server.line}`, writeUrl)}`);
  }
} finally {
  server.proc.kill();
  prom?.proc.kill();
  sink?.proc.kill();
}
