import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteWriteSender } from '../../../src/live/remote-write/sender.js';
import { decodeWriteRequest, type TimeSeries } from '../../../src/live/remote-write/wire.js';
import { labelsOf } from '../../../src/live/remote-write/samples.js';

interface Received { headers: IncomingMessage['headers']; series: TimeSeries[] }

let server: Server | undefined;
afterEach(async () => { server?.closeAllConnections(); await new Promise((r) => server ? server.close(r) : r(null)); server = undefined; });

/** A receiver on port 0; `answer` decides each response (or never answers). */
async function receiver(answer: (n: number, res: ServerResponse) => void): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { got.push({ headers: req.headers, series: decodeWriteRequest(Buffer.concat(chunks)) }); answer(got.length, res); });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`, got };
}

const batch = (t: number): TimeSeries[] => [{ labels: labelsOf('k6_http_reqs_total', { name: 'x' }), samples: [{ value: t + 1, timestamp: 1000 * (t + 1) }] }];

describe('RemoteWriteSender', () => {
  it("sends with the spec's headers and each series' samples in time order", async () => {
    const rx = await receiver((_n, res) => { res.statusCode = 204; res.end(); });
    const s = new RemoteWriteSender({ url: rx.url });
    s.push(batch(0));
    const stats = await s.close();
    expect(stats).toMatchObject({ requests: 1, sentSamples: 1, droppedSamples: 0, failedSamples: 0 });
    expect(rx.got[0].headers).toMatchObject({ 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf', 'x-prometheus-remote-write-version': '0.1.0' });
    expect(rx.got[0].headers['user-agent']).toMatch(/^capacity-test\//);
  });

  it('push never waits: a receiver that never answers fills the bounded queue, whose oldest seconds are dropped and counted', async () => {
    const rx = await receiver(() => { /* never answers */ });
    const s = new RemoteWriteSender({ url: rx.url, maxQueuedBatches: 5, timeoutMs: 60_000 });
    for (let t = 0; t < 50; t++) s.push(batch(t));
    // the first batch is in flight; 5 of the other 49 wait; 44 were dropped, synchronously
    expect(s.queued).toBe(5);
    expect(s.stats.droppedBatches).toBe(44);
    const stats = await s.close(200);
    expect(stats.droppedBatches).toBe(49);
    expect(stats.droppedSamples).toBe(49);
    expect(stats.requests).toBe(0);
  });

  it('a slow receiver gets the waiting seconds merged into one request, samples in time order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const rx = await receiver((n, res) => { void (n === 1 ? gate : Promise.resolve()).then(() => { res.statusCode = 200; res.end(); }); });
    const s = new RemoteWriteSender({ url: rx.url });
    s.push(batch(0));
    await new Promise((r) => setTimeout(r, 50));
    for (let t = 1; t < 4; t++) s.push(batch(t));
    release();
    const stats = await s.close();
    expect(stats).toMatchObject({ requests: 2, sentSamples: 4 });
    expect(rx.got[1].series).toHaveLength(1);
    expect(rx.got[1].series[0].samples.map((x) => x.timestamp)).toEqual([2000, 3000, 4000]);
  });

  it('a 4xx is not retried (counted as failed, its message kept); a 5xx is retried', async () => {
    const rx = await receiver((n, res) => { res.statusCode = n === 1 ? 503 : n === 2 ? 200 : 400; res.end(n === 3 ? 'out of order sample' : ''); });
    const s = new RemoteWriteSender({ url: rx.url });
    s.push(batch(0));
    await new Promise((r) => setTimeout(r, 600));
    s.push(batch(1));
    const stats = await s.close();
    expect(rx.got).toHaveLength(3);
    expect(stats).toMatchObject({ requests: 1, sentSamples: 1, failedSamples: 1 });
    expect(stats.lastError).toMatch(/400: out of order sample/);
  });
});
