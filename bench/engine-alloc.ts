/**
 * bench/engine-alloc: bytes the engine's request path allocates per request (its own and undici's),
 * the top allocating functions, and the same for a bare undici loop measured in the same run.
 * Sampled with the inspector's heap profiler, objects already collected included. Asserts nothing.
 *
 *   npm run build && node dist/bench/engine-alloc.js [--requests 20000]
 *
 * The server runs in a child process so that its allocations are not counted.
 */
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { Pool } from 'undici';
import { HttpTransport } from '../src/engine/http.js';
import { Runtime, VuImpl } from '../src/engine/runtime.js';
import { WindowRecorder } from '../src/metrics/index.js';

const i = process.argv.indexOf('--requests');
const N = i >= 0 ? Number(process.argv[i + 1]) : 20_000;
const CONCURRENCY = 20;

const SERVER = `const s = require('node:http').createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('{"ok":true}'); });
s.keepAliveTimeout = 60000; s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));`;
const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<string>((r) => server.stdout!.once('data', (d: Buffer) => r(d.toString().trim())));
const url = `http://127.0.0.1:${port}`;

interface Node { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] }

/** Run `batch(N)` once to warm up, then again under the sampling heap profiler. */
async function profile(batch: (n: number) => Promise<void>): Promise<{ perRequest: number; top: Array<[string, number]> }> {
  await batch(N);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await batch(N);
  const { profile: p } = await session.post('HeapProfiler.stopSampling') as { profile: { head: Node } };
  session.disconnect();
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: Node) => {
    const site = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
    total += n.selfSize;
    n.children.forEach(walk);
  };
  walk(p.head);
  return { perRequest: total / N, top: [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 12) };
}

async function concurrently(n: number, one: (k: number) => Promise<void>): Promise<void> {
  let left = n;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, k) => { while (left-- > 0) await one(k); }));
}

// The engine's path: a VU's http.get inside runAs (as an iteration runs it), recorded into windows.
const transport = new HttpTransport({ connectionsPerOrigin: 64 });
const rt = new Runtime(new WindowRecorder(Date.now()), transport, 0);
rt.install();
const ctx = { name: 'bench', baseTags: { scenario: 'bench' }, env: {} };
const vus = Array.from({ length: CONCURRENCY }, (_, k) => new VuImpl(rt, ctx, k + 1, 0));
const engine = await profile((n) => concurrently(n, (k) => rt.runAs(vus[k], '', async () => { await vus[k].http.get(`${url}/`, { responseType: 'none' }); })));

// A bare undici loop: the floor for any engine on undici.
const pool = new Pool(url, { connections: 64 });
const bare = await profile((n) => concurrently(n, async () => { const r = await pool.request({ path: '/', method: 'GET' }); await r.body.dump(); }));

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
console.log(`bench/engine-alloc: ${N.toLocaleString('en-IN')} GETs, ${CONCURRENCY} at a time`);
console.log(`engine request path: ${kb(engine.perRequest)} allocated per request; bare undici loop: ${kb(bare.perRequest)} (engine ÷ undici ${(engine.perRequest / bare.perRequest).toFixed(2)})`);
console.log('top allocating functions on the engine path (bytes per request):');
for (const [site, bytes] of engine.top) console.log(`  ${String(Math.round(bytes / N)).padStart(6)}  ${site}`);
await transport.close();
await pool.close();
server.kill();
