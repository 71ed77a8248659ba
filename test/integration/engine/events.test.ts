import { afterEach, describe, expect, it } from 'vitest';
import { runEngine, type EngineEvents, type EngineEventMap } from '../../../src/engine/index.js';
import { startCountingServer, writeScenario, type CountingServer } from './helpers.js';

let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

type Seen = { [K in keyof EngineEventMap]: { name: K; args: EngineEventMap[K] } }[keyof EngineEventMap];

/** Every event of a run, in the order it was emitted. */
function recordAll(seen: Seen[]) {
  return (events: EngineEvents) => {
    for (const name of ['start', 'windows', 'second', 'saturation', 'threshold', 'blocked', 'stopping', 'warning', 'done'] as const) {
      (events.on as (n: string, l: (...args: unknown[]) => void) => EngineEvents)(name, (...args) => { seen.push({ name, args } as unknown as Seen); });
    }
  };
}

describe('engine events', () => {
  it('emits start, one closed second at a time in order with its merged windows, then done; the windows events hold every window of the result', async () => {
    server = await startCountingServer();
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '3s', preAllocatedVUs: 5, maxVUs: 10 } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/e'); }`, 'events.js');
    const seen: Seen[] = [];
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, observers: [recordAll(seen)] });
    expect(seen[0].name).toBe('start');
    expect(seen.at(-1)!.name).toBe('done');
    const seconds = seen.flatMap((e) => (e.name === 'second' ? [e.args[0]] : []));
    expect(seconds.map((s) => s.second)).toEqual([...seconds.keys()]);
    expect(seconds.length).toBeGreaterThanOrEqual(3);
    // planned and started arrivals of each second, from that second's own windows
    expect(seconds.slice(0, 3).map((s) => s.plannedArrivals)).toEqual([20, 20, 20]);
    for (const s of seconds) {
      expect(s.windows.every((w) => w.t === s.second)).toBe(true);
      const planned = s.windows.filter((w) => w.metric === 'planned_iterations').reduce((a, w) => a + w.sum, 0);
      expect(s.plannedArrivals).toBe(planned);
      expect(s.startedArrivals).toBe(planned - s.droppedIterations);
    }
    const streamed = seen.flatMap((e) => (e.name === 'windows' ? [...e.args[0]] : []));
    expect(streamed).toEqual(result.windows);
    const requests = streamed.filter((w) => w.metric === 'http_reqs').reduce((a, w) => a + w.sum, 0);
    expect(requests).toBe(server.count());
  });

  it('emits threshold (abortOnFail) and stopping before done, and the run says why it stopped', async () => {
    server = await startCountingServer((_req, res) => { res.statusCode = 500; res.end('no'); });
    const file = writeScenario(`
      import { sleep } from 'capacity-test';
      export const options = { thresholds: { http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true }] },
        scenarios: { a: { executor: 'constant-vus', vus: 1, duration: '20s' } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/fail'); await sleep(0.1); }`, 'events-abort.js');
    const seen: Seen[] = [];
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, observers: [recordAll(seen)] });
    const names = seen.map((e) => e.name);
    const t = names.indexOf('threshold');
    expect(t).toBeGreaterThan(0);
    expect(names[t + 1]).toBe('stopping');
    expect(names.at(-1)).toBe('done');
    const threshold = seen[t] as Extract<Seen, { name: 'threshold' }>;
    expect(threshold.args[0]).toMatchObject({ name: 'http_req_failed', threshold: 'rate<0.5', abortOnFail: true, abort: true, value: 1 });
    const stopping = seen[t + 1] as Extract<Seen, { name: 'stopping' }>;
    expect(stopping.args[0]).toMatchObject({ cause: 'threshold', graceMs: 0 });
    expect(result.aborted).toBe(true);
    expect(result.abortReason).toBe(stopping.args[0].reason);
  });

  it('keeps running when a listener throws, and hands its error to the caller at the end', async () => {
    server = await startCountingServer();
    const file = writeScenario(`
      export const options = { scenarios: { a: { executor: 'shared-iterations', vus: 1, iterations: 3 } } };
      export default async function (vu) { await vu.http.get(vu.env.TARGET + '/x'); }`, 'events-throw.js');
    const broken = (events: EngineEvents) => { events.on('second', () => { throw new Error('dashboard broke'); }); };
    await expect(runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1, observers: [broken] })).rejects.toThrow('dashboard broke');
    expect(server.count()).toBe(3);
  });
});
