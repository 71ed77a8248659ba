import { afterEach, describe, expect, it } from 'vitest';
import { runEngine } from '../../../src/engine/index.js';
import { MetricsQuery } from '../../../src/metrics/index.js';
import { startCountingServer, writeScenario, type CountingServer } from './helpers.js';

let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const sum = (q: MetricsQuery, metric: string, tags?: Record<string, string>) => q.windows(metric, { tags }).reduce((a, w) => a + w.sum, 0);

describe('redirects, as k6 follows them', () => {
  it('follows up to maxRedirects, records every hop, turns a POST into a GET on 303 and keeps the method on 307', async () => {
    const seen: string[] = [];
    server = await startCountingServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      seen.push(`${req.method} ${path}`);
      const hop = (status: number, to: string) => { res.statusCode = status; res.setHeader('location', to); res.end(); };
      if (path === '/login') return hop(303, '/home');           // relative location
      if (path === '/keep') return hop(307, `${server!.url}/kept`); // absolute location, method kept
      if (path === '/kept') { let n = 0; req.on('data', (c: Buffer) => { n += c.length; }); req.on('end', () => res.end(`${req.method} ${n}`)); return; }
      if (path.startsWith('/loop')) return hop(302, `/loop${Number(path.slice(5) || 0) + 1}`);
      res.end(`${req.method} ${path}`);
    });
    const file = writeScenario(`
      import { check } from 'capacity-test';
      export const options = { maxRedirects: 3, scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } } };
      export default async function (vu) {
        const t = vu.env.TARGET;
        const a = await vu.http.post(t + '/login', { json: { user: 'asha' } });
        check(a, { '303 ends in a GET of the new location': (r) => r.status === 200 && r.body === 'GET /home' && r.url === t + '/home' });
        const b = await vu.http.post(t + '/keep', { json: { x: 1 } });
        check(b, { '307 keeps method and body': (r) => r.body === 'POST 7' });
        const c = await vu.http.get(t + '/loop');
        check(c, { 'stops after maxRedirects with the 3xx': (r) => r.status === 302 && r.url === t + '/loop3' });
        const d = await vu.http.get(t + '/loop', { redirects: 0, tags: { name: 'no-follow' } });
        check(d, { 'redirects: 0 returns the first answer': (r) => r.status === 302 && r.url === t + '/loop' });
      }`, 'redirects.js');
    const result = await runEngine({ scenarioFile: file, env: { TARGET: server.url }, workers: 1 });
    const q = new MetricsQuery(result.windows);
    expect(result.iterationErrors).toEqual([]);
    for (const w of q.windows('checks')) expect(w.sum, w.tags.check).toBe(w.count);
    expect(q.windows('checks').length).toBe(4);
    expect(seen).toEqual([
      'POST /login', 'GET /home',
      'POST /keep', 'POST /kept',
      'GET /loop', 'GET /loop1', 'GET /loop2', 'GET /loop3',
      'GET /loop',
    ]);
    // every hop is a request of its own, as the server counted them
    expect(sum(q, 'http_reqs')).toBe(server.count());
    expect(sum(q, 'http_reqs', { status: '302' })).toBe(5); // /loop … /loop3, and the one not followed
    expect(sum(q, 'http_reqs', { name: 'no-follow' })).toBe(1);
  });

  it('rejects a negative maxRedirects, naming it', async () => {
    const file = writeScenario(`export const options = { maxRedirects: -1, vus: 1, iterations: 1 };
      export default async function () {}`, 'bad-redirects.js');
    await expect(runEngine({ scenarioFile: file, env: {}, workers: 1 })).rejects.toThrow(/maxRedirects/);
  });
});
