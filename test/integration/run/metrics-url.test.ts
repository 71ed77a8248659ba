import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import { ServerScraper } from '../../../src/run/scraper.js';
import { namedSeries, parseSeriesList, p95Between } from '../../../src/report/metric-series.js';

describe('--metrics-url: any Prometheus endpoint scraped beside the target, its named series charted', () => {
  const registry = new Registry();
  const jobs = new Counter({ name: 'jobs_done_total', help: 'jobs', labelNames: ['queue'], registers: [registry] });
  const latency = new Histogram({ name: 'http_server_requests_seconds', help: 'latency', buckets: [0.05, 0.1, 0.25, 0.5, 1], registers: [registry] });
  let server: Server;
  let url = '';
  beforeAll(async () => {
    // a plain prom-client exporter, nothing of the reference portal
    server = createServer(async (_req, res) => { res.setHeader('content-type', registry.contentType); res.end(await registry.metrics()); });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('scrapes every tick and gives counters as rates per second and a histogram as its p95 per interval', async () => {
    let now = 1_000_000;
    // the target has no /metrics of its own here: its scrapes fail, the named endpoint's do not
    const scraper = new ServerScraper({ target: 'http://127.0.0.1:9', metricsUrls: [url], series: ['jobs_done_total', 'http_server_requests_seconds_bucket'], now: () => now });
    for (let tick = 0; tick < 4; tick++) {
      await scraper.tick();
      jobs.inc({ queue: 'a' }, 30); jobs.inc({ queue: 'b' }, 20);
      for (let i = 0; i < 100; i++) latency.observe(i < 90 ? 0.07 : 0.4);
      now += 1000;
    }
    const file = await scraper.stop(1_000_000);
    // failed scrapes (the four ticks and the last at stop) are counted under the URL that failed, never the other's
    expect([...scraper.failuresByUrl]).toEqual([['http://127.0.0.1:9/metrics', 5]]);
    expect(file.sources).toHaveLength(1);
    expect(file.sources![0].url).toBe(url);
    expect(file.series).toEqual(['jobs_done_total', 'http_server_requests_seconds_bucket']);
    const scrapes = file.sources![0].scrapes;
    expect(scrapes.map((s) => s.t)).toEqual([0, 1, 2, 3, 4]);
    expect(namedSeries(scrapes, 'jobs_done_total', 1, 5)).toEqual([null, 50, 50, 50, 50]);
    // 90 of 100 observations at 70 ms, 10 at 400 ms: the 95th falls in the le=0.5 bucket
    expect(namedSeries(scrapes, 'http_server_requests_seconds_bucket', 1, 5)).toEqual([null, 0.5, 0.5, 0.5, 0.5]);
    expect(namedSeries(scrapes, 'http_server_requests_seconds_count', 1, 5)).toEqual([null, 100, 100, 100, 100]);
  });

  it('reads a series list from flags or a file, and no observations give no p95', () => {
    expect(parseSeriesList('process_cpu_seconds_total,http_server_requests_seconds_bucket\n# a note\nprocess_cpu_seconds_total')).toEqual(['process_cpu_seconds_total', 'http_server_requests_seconds_bucket']);
    expect(p95Between(new Map([[1, 5], [Infinity, 5]]), new Map([[1, 5], [Infinity, 5]]))).toBeNull();
  });
});
