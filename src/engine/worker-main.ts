/**
 * The code that runs inside each worker thread (bundled together with the scenario, so the
 * scenario's `capacity-test` imports and the engine share one thread-local runtime), and the
 * setup/teardown lifecycle that the main thread runs with the same runtime.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WindowRecorder, type EncodedWindow } from '../metrics/index.js';
import { createRunner, type IterationFn, type Runner } from './executors.js';
import { HttpTransport } from './http.js';
import { GentleRecorder } from './recorder.js';
import { SamplePart, THREAD_GAUGES } from './sample-part.js';
import type { ArrivalScenario, ResolvedOptions } from './options.js';
import { epochNow, Runtime, VuImpl, type IterationError } from './runtime.js';
import type { Hosts } from './hosts.js';

export interface ScenarioModule { [name: string]: unknown; options?: unknown; default?: unknown }

export interface WorkerInit {
  scenarioDir: string;
  env: Record<string, string>;
  worker: number;
  workers: number;
  /** 0-based segment and the segment count */
  segment: number;
  segments: number;
  options: ResolvedOptions;
  setupData: unknown;
  /** warm-up arrivals per ms (plan.ts warmUpPlan) */
  warmUpPerMs: number;
  /** k6 run --out json: this thread's samples go to this part file (sample-part.ts) */
  samplesPath?: string;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'windows'; upTo: number; windows: EncodedWindow[] }
  | { type: 'done'; windows: EncodedWindow[]; errors: IterationError[] }
  | { type: 'fatal'; message: string }
  /** k6 test.abort() in VU code */
  | { type: 'abort'; reason: string };

/** `start` comes once every worker is ready (the common start, epoch ms); `stop` ends the run early. */
export type MainMessage = { type: 'start'; startAt: number } | { type: 'stop'; graceMs: number };

/**
 * Warm the JIT up before the start: a synthetic arrival-rate scenario (the real executor, VU,
 * HTTP and recording code) against an in-process sink, so the first real second does not run
 * interpreted code while V8 compiles on the same core. The target sees nothing.
 *
 * Two phases, because ending connections is itself code to warm up: tearing the warm-up's pool
 * down just before the start (as this once did) deoptimised ~50 functions of the socket and undici
 * paths at once (--trace-deopt: "code dependencies", maps changed by the first destroy) and made
 * Node parse the bundle's whole source map for the destroy error's stack (~30 ms) 50 ms before the
 * start, so second 0 ran recompiling. Now phase one ends by destroying its pool (and its server
 * closes a connection now and then), phase two re-warms on a fresh pool that stays open, idle,
 * until the run is over: the function returned releases it.
 */
async function warmUp(until: number, connections: number, perMs: number): Promise<() => Promise<void>> {
  const now = epochNow();
  const durationMs = until - now - 150;
  if (durationMs < 100) return async () => undefined;
  // Any later stack (a socket destroyed with an error, an iteration error) maps frames through the
  // bundle's source map; parse it now, not on the generator's time.
  void new Error('warm-up').stack;
  let served = 0;
  let closeSome = true;
  const server = createServer((_req, res) => {
    // now and then a connection closed by the server, as keep-alive timeouts do in real runs
    if (closeSome && ++served % 50 === 0) res.setHeader('connection', 'close');
    // the headers of a typical JSON API (a Keep-Alive hint included): header parsing warms up too
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end('{"ok":true}');
  });
  // a long idle timeout (sent as the Keep-Alive hint): phase two's connections must not close on
  // their own during the run
  server.keepAliveTimeout = 24 * 3600_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/warm-up`;
  // Requests of the shapes scenarios use (params or none, body read or discarded, tags): code compiled
  // for one shape only was deoptimised by the first real requests (--trace-deopt: request(), undici's
  // resume and Client), and ran interpreted again in the first second of the run.
  let n = 0;
  const fn = async (vu: VuImpl) => {
    const i = n++ % 4;
    const res = await (i === 0 ? vu.http.get(url)
      : i === 1 ? vu.http.get(url, { responseType: 'none' })
        : i === 2 ? vu.http.get(url, { tags: { name: 'warm-up' }, headers: { accept: 'application/json' } })
          : vu.http.post(url, { json: { warm: true } }, { responseType: 'text' }));
    if (i !== 1) res.body;
  };
  let id = 0;
  const phase = async (ms: number): Promise<HttpTransport> => {
    const transport = new HttpTransport({ connectionsPerOrigin: Math.min(connections, 8), idleTimeoutMs: 24 * 3600_000 });
    const recorder = new GentleRecorder(epochNow());
    const rt = new Runtime(recorder, transport, -1);
    const scenario: ArrivalScenario = {
      kind: 'arrival', name: 'warm-up', executor: 'constant-arrival-rate', exec: 'default', startTimeMs: 0,
      gracefulStopMs: 50, env: {}, tags: {}, durationMs: ms, preAllocatedVUs: 20, maxVUs: 200,
      segments: [{ startMs: 0, durationMs: ms, from: perMs, to: perMs }],
    };
    const runner = createRunner(rt, scenario, fn as IterationFn, null, { s: 0, n: 1, nextVuId: () => ++id }, epochNow(), {});
    runner.arm();
    // Encoding histograms is the per-second work of a run: compile it too, or the first drains of the
    // run (interpreted, 10–15 ms each, measured) show up as schedule lag in seconds 1 and 2.
    const drains = setInterval(() => { void recorder.drainGently(Infinity); }, 100);
    await runner.finished;
    clearInterval(drains);
    return transport;
  };
  const first = await phase(durationMs * 0.6);
  await first.close();
  closeSome = false;
  const second = await phase(Math.max(50, until - epochNow() - 100));
  return async () => {
    await second.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
}

function exportedFunction(mod: ScenarioModule, name: string): IterationFn {
  const fn = mod[name];
  if (typeof fn !== 'function') throw new Error(`the scenario exports no function "${name}"`);
  return fn as IterationFn;
}

/** Entry point of a worker thread. */
export async function workerMain(mod: ScenarioModule): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  try { process.setSourceMapsEnabled(true); } catch { /* older node */ }
  const post = (m: WorkerMessage) => port.postMessage(m);
  try {
    const stripes = init.segments * init.workers;
    const s = init.segment * init.workers + init.worker;
    let vuCounter = 0;
    const stripe = { s, n: stripes, nextVuId: () => vuCounter++ * stripes + s + 1 };
    // Booted and the scenario's init code has run: wait for the common start.
    post({ type: 'ready' });
    const startAt = await new Promise<number>((resolveStart) => {
      const onStart = (m: MainMessage) => { if (m.type === 'start') { port.off('message', onStart); resolveStart(m.startAt); } };
      port.on('message', onStart);
    });
    // the VU gauges go into k6's file as the main thread's merged sum, not a thread's share
    const part = init.samplesPath ? new SamplePart(init.samplesPath, THREAD_GAUGES) : null;
    const recorder = new GentleRecorder(startAt, part?.tap ?? null);
    const transport = new HttpTransport({ connectionsPerOrigin: init.options.connectionsPerOrigin, insecureSkipTLSVerify: init.options.insecureSkipTLSVerify, hosts: init.options.hosts });
    const rt = new Runtime(recorder, transport, init.worker);
    rt.discardBodies = init.options.discardResponseBodies;
    rt.maxRedirects = init.options.maxRedirects;
    rt.onAbort = (reason) => post({ type: 'abort', reason });
    rt.install();
    // Scenario code that throws outside an awaited path must not kill the worker: count it.
    process.on('unhandledRejection', (reason) => rt.recordError(reason));
    process.on('uncaughtException', (err) => rt.recordError(err));
    const runners: Runner[] = init.options.scenarios.map((sc) =>
      createRunner(rt, sc, exportedFunction(mod, sc.exec), init.setupData, stripe, startAt, init.env));
    const releaseWarmUp = await warmUp(startAt - 50, init.options.connectionsPerOrigin, init.warmUpPerMs);

    port.on('message', (m: MainMessage) => {
      if (m.type === 'stop') for (const r of runners) r.stop(m.graceMs);
    });

    // Generator health: event-loop lag probe every 50 ms, VU gauges and drains every second.
    const loopLag = recorder.get('generator_event_loop_lag', 'trend', {});
    const vusGauge = recorder.get('vus', 'gauge', {});
    const vusMax = recorder.get('vus_max', 'gauge', {});
    let probeDue = epochNow() + 50;
    const probe = setInterval(() => {
      const now = epochNow();
      if (now >= startAt) loopLag.add(Math.max(0, now - probeDue), now);
      probeDue = now + 50;
    }, 50);
    let secondTimer: NodeJS.Timeout | undefined;
    // The drain of the last finished second, if still under way: the final drain waits for it,
    // so no window is posted after `done`.
    let draining: Promise<void> = Promise.resolve();
    const onSecond = () => {
      const now = epochNow();
      const t = Math.floor((now - startAt) / 1000);
      if (t >= 0) {
        for (const r of runners) r.catchUp();
        vusGauge.add(runners.reduce((a, r) => a + r.activeVus(), 0), now);
        vusMax.add(runners.reduce((a, r) => a + r.vus.length, 0), now);
        part?.flush();
        draining = draining.then(async () => post({ type: 'windows', upTo: t, windows: await recorder.drainGently(t) }));
      }
      secondTimer = setTimeout(onSecond, Math.max(1, startAt + (t + 1) * 1000 + 20 - epochNow()));
    };
    secondTimer = setTimeout(onSecond, Math.max(0, startAt + 20 - epochNow()));

    for (const r of runners) r.arm();
    await Promise.all(runners.map((r) => r.finished));

    clearInterval(probe);
    clearTimeout(secondTimer);
    rt.stopped = true;
    // Connections are closed before `done`: the main thread terminates the worker on `done`, and a
    // worker terminated while its HTTP parser still runs (a socket closing) aborts the whole process
    // (node: "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal"), now and then, on the idle worker of a 1-VU run.
    // Closing starts now: a request of an interrupted iteration still waiting for a connection is
    // never sent (the target would count what the run does not record).
    const closing = transport.close();
    await draining;
    const windows = recorder.drain();
    await closing;
    await part?.close();
    await releaseWarmUp();
    post({ type: 'done', windows, errors: [...rt.errors.values()] });
  } catch (err) {
    post({ type: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

export interface LifecycleResult {
  value: unknown;
  windows: EncodedWindow[];
  networkErrors: number;
  firstNetworkError: string | null;
  error: { message: string; location: string | null } | null;
  /** the reason given to k6's test.abort() in setup or teardown */
  aborted?: string | null;
}

/**
 * Run setup() or teardown() in this thread with the same runtime as VU code: `setup(vu)` and
 * `teardown(data, vu)`, requests tagged group "::setup" / "::teardown".
 */
export async function runLifecycle(mod: ScenarioModule, which: 'setup' | 'teardown',
  o: { env: Record<string, string>; startAt: number; data: unknown; connectionsPerOrigin: number; insecureSkipTLSVerify: boolean; hosts?: Hosts; maxRedirects: number; timeoutMs: number; samplesPath?: string }): Promise<LifecycleResult> {
  try { process.setSourceMapsEnabled(true); } catch { /* older node */ }
  const fn = mod[which];
  if (typeof fn !== 'function') return { value: o.data, windows: [], networkErrors: 0, firstNetworkError: null, error: null };
  const part = o.samplesPath ? new SamplePart(o.samplesPath) : null;
  const recorder = new WindowRecorder(o.startAt, part?.tap ?? null);
  const transport = new HttpTransport({ connectionsPerOrigin: o.connectionsPerOrigin, insecureSkipTLSVerify: o.insecureSkipTLSVerify, hosts: o.hosts });
  const rt = new Runtime(recorder, transport, 0);
  rt.maxRedirects = o.maxRedirects;
  let abortReason: string | null = null;
  rt.onAbort = (reason) => { abortReason = reason; };
  rt.install();
  const vu = new VuImpl(rt, { name: which, baseTags: {}, env: o.env }, 0, 0);
  let timer: NodeJS.Timeout | undefined;
  try {
    const call = which === 'setup' ? () => (fn as (vu: VuImpl) => unknown)(vu) : () => (fn as (d: unknown, vu: VuImpl) => unknown)(o.data, vu);
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${which}() did not finish within ${o.timeoutMs} ms`)), o.timeoutMs); });
    const value = await Promise.race([rt.runAs(vu, `::${which}`, call), timeout]);
    return { value, windows: recorder.drain(), networkErrors: rt.networkErrors, firstNetworkError: rt.firstNetworkError, error: null };
  } catch (err) {
    rt.recordError(err);
    const e = [...rt.errors.values()][0];
    return { value: undefined, windows: recorder.drain(), networkErrors: rt.networkErrors, firstNetworkError: rt.firstNetworkError, error: { message: e.message, location: e.location }, aborted: abortReason };
  } finally {
    clearTimeout(timer);
    rt.uninstall();
    await transport.close();
    await part?.close();
  }
}
