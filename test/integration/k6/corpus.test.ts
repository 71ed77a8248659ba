/**
 * k6 scripts written from k6's public documentation (test/fixtures/k6), each run unchanged against
 * a counting server: request counts, check passes and failures, custom metric values and threshold
 * verdicts equal what k6's documented semantics give, worked out here from the script.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runEngine, TEST_ABORT_PREFIX, type EngineResult } from '../../../src/engine/index.js';
import { MetricsQuery } from '../../../src/metrics/index.js';
import { startK6Server, type K6Server } from './k6-server.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'k6');
let server: K6Server | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

async function run(script: string): Promise<{ r: EngineResult; q: MetricsQuery; s: K6Server }> {
  server = await startK6Server();
  const r = await runEngine({ scenarioFile: join(FIXTURES, script), env: { BASE: server.url }, workers: 1 });
  return { r, q: new MetricsQuery(r.windows), s: server };
}

const total = (q: MetricsQuery, metric: string, tags?: Record<string, string>) => q.windows(metric, { tags }).reduce((a, w) => a + w.sum, 0);
const count = (q: MetricsQuery, metric: string, tags?: Record<string, string>) => q.windows(metric, { tags }).reduce((a, w) => a + w.count, 0);
/** k6's checks metric: passes and failures of one check by name */
const checks = (q: MetricsQuery, name: string) => ({ pass: total(q, 'checks', { check: name }), fail: count(q, 'checks', { check: name }) - total(q, 'checks', { check: name }) });
const verdicts = (r: EngineResult) => Object.fromEntries(r.thresholds.checks.map((c) => [`${c.name}: ${c.threshold}`, c.pass]));

describe('k6 scripts run unchanged (test/fixtures/k6)', () => {
  it('01 GET and checks with json(selector): 6 shared iterations, every check passes', async () => {
    const { r, q, s } = await run('01-get-check.js');
    expect(s.count('/json')).toBe(6);
    for (const c of ['status is 200', 'two items', 'first id is 7']) expect(checks(q, c)).toEqual({ pass: 6, fail: 0 });
    expect(r.iterationErrors).toEqual([]);
  });

  it('02 an object body goes as a form; a check that is never true fails every time', async () => {
    const { q, s } = await run('02-post-form.js');
    expect(s.count('/echo')).toBe(4);
    expect(checks(q, 'sent as a form')).toEqual({ pass: 4, fail: 0 });
    expect(checks(q, 'body encoded')).toEqual({ pass: 4, fail: 0 });
    expect(checks(q, 'never true')).toEqual({ pass: 0, fail: 4 });
  });

  it('03 JSON body, headers read in any case, status_text, the name tag', async () => {
    const { q } = await run('03-json-body.js');
    expect(count(q, 'http_reqs', { name: 'PostOrder' }) && total(q, 'http_reqs', { name: 'PostOrder' })).toBe(3);
    for (const c of ['json sent', 'content type header readable in any case', 'status text']) expect(checks(q, c)).toEqual({ pass: 3, fail: 0 });
  });

  it('04 helpers two calls deep in another file are awaited', async () => {
    const { q, s } = await run('04-helpers-two-deep.js');
    expect(s.paths('/json').map((x) => x.query.get('user'))).toEqual(['u1', 'u1']);
    expect(checks(q, 'token passed on')).toEqual({ pass: 2, fail: 0 });
  });

  it('05 loops: 3 + 2 + 4 requests per iteration, in order', async () => {
    const { s } = await run('05-loops.js');
    expect(s.count('/loop/for')).toBe(6);
    expect(s.count('/loop/while')).toBe(4);
    expect(s.paths('/loop/of-').map((x) => x.path)).toEqual(['/loop/of-a', '/loop/of-b', '/loop/of-c', '/loop/of-d', '/loop/of-a', '/loop/of-b', '/loop/of-c', '/loop/of-d']);
  });

  it('06 forEach/map/filter callbacks run in turn with their results', async () => {
    const { q, s } = await run('06-callbacks.js');
    expect(s.seen.map((x) => x.path)).toEqual(['/cb/each-x', '/cb/each-y', '/status/200', '/status/404', '/status/200', '/status/200', '/status/500']);
    expect(checks(q, 'map kept order')).toEqual({ pass: 1, fail: 0 });
    expect(checks(q, 'filter kept the 200')).toEqual({ pass: 1, fail: 0 });
  });

  it('07 closures handed to a retry helper: 3 tries of the 503, one of the json, per iteration', async () => {
    const { q, s } = await run('07-closures.js');
    expect(s.count('/status/503')).toBe(6);
    expect(s.count('/json')).toBe(2);
    expect(checks(q, 'gave up on 503')).toEqual({ pass: 2, fail: 0 });
    expect(checks(q, 'closure from a factory')).toEqual({ pass: 2, fail: 0 });
    // k6: http_req_failed is the share of 5xx (and errors): 6 of 8
    expect(total(q, 'http_req_failed') / count(q, 'http_req_failed')).toBe(6 / 8);
  });

  it('08 a client class: methods calling methods', async () => {
    const { q, s } = await run('08-class.js');
    expect(s.count('/json')).toBe(4);
    expect(s.count('/echo')).toBe(4);
    expect(checks(q, 'two calls through the class')).toEqual({ pass: 4, fail: 0 });
  });

  it('09 TypeScript with types, an interface and a generic helper', async () => {
    const { q, s } = await run('09-typescript.ts');
    expect(s.count('/json')).toBe(3);
    expect(checks(q, 'typed items')).toEqual({ pass: 3, fail: 0 });
  });

  it('10 nested groups tag requests and checks; group_duration per group; thresholds on group tags pass', async () => {
    const { r, q } = await run('10-groups.js');
    expect(total(q, 'http_reqs', { group: '::shop' })).toBe(3);
    expect(total(q, 'http_reqs', { group: '::shop::cart' })).toBe(3);
    expect(count(q, 'group_duration', { group: '::shop' })).toBe(3);
    expect(count(q, 'group_duration', { group: '::shop::cart' })).toBe(3);
    expect(count(q, 'group_duration', { group: '::nothing async' })).toBe(3);
    expect(verdicts(r)).toEqual({ 'http_reqs{group:::shop::cart}: count==3': true, 'checks{group:::shop}: rate==1': true });
  });

  it('11 http.batch as URLs, arrays and a named object: 6 requests per iteration', async () => {
    const { q, s } = await run('11-batch.js');
    expect(s.count()).toBe(12);
    expect(total(q, 'http_reqs', { name: 'batch-post' })).toBe(2);
    for (const c of ['array answers an array', 'post body sent', 'object answers by name']) expect(checks(q, c)).toEqual({ pass: 2, fail: 0 });
  });

  it('12 custom metrics hold the values added; thresholds judged on them', async () => {
    const { r, q } = await run('12-custom-metrics.js');
    // 4 iterations × (2 + 0.5)
    expect(total(q, 'orders_placed')).toBe(10);
    expect(total(q, 'orders_placed', { kind: 'half' })).toBe(2);
    // a gauge's last value: the 4th iteration set 4
    expect(Math.max(...q.windows('basket_size').map((w) => w.max))).toBe(4);
    expect(total(q, 'orders_accepted') / count(q, 'orders_accepted')).toBe(0.75);
    expect(q.windows('order_wait').reduce((a, w) => Math.max(a, w.max), 0)).toBe(40);
    // p(50) of 10, 20, 30, 40 is 25 (k6 interpolates): not < 10
    expect(verdicts(r)).toEqual({ 'orders_placed: count==10': true, 'orders_accepted: rate>0.7': true, 'order_wait: max<=40': true, 'order_wait: p(50)<10': false });
    expect(r.thresholds.pass).toBe(false);
  });

  it('13 setup once, then default(data) four times, then teardown(data) once', async () => {
    const { q, s } = await run('13-setup-teardown.js');
    expect(s.seen.map((x) => x.path)).toEqual(['/lifecycle/setup', ...Array(4).fill('/lifecycle/iteration'), '/lifecycle/teardown']);
    expect(s.paths('/lifecycle/iteration').every((x) => x.query.get('run') === 'r-42')).toBe(true);
    expect(s.paths('/lifecycle/teardown')[0].query.get('run')).toBe('r-42');
    expect(checks(q, 'setup data arrives')).toEqual({ pass: 4, fail: 0 });
  });

  it('14 SharedArray read by __VU, __ITER per VU, a module-level counter per VU as in k6', async () => {
    const { s } = await run('14-shared-array-per-vu.js');
    const users = (JSON.parse(readFileSync(join(FIXTURES, 'users.json'), 'utf8')) as Array<{ name: string }>).map((u) => u.name);
    const got = s.paths('/who').map((x) => `${x.query.get('vu')}/${x.query.get('iter')}/${x.query.get('user')}/${x.query.get('count')}/${x.query.get('len')}`).sort();
    const want: string[] = [];
    for (let vu = 1; vu <= 3; vu++) for (let it = 0; it < 2; it++) want.push(`${vu}/${it}/${users[(vu - 1) % users.length]}/${it + 1}/${users.length}`);
    expect(got).toEqual(want.sort());
  });

  it('15 k6/execution: VU ids, the scenario name and executor, iterationInTest 0…4, scenario tags', async () => {
    const { s } = await run('15-execution.js');
    const seen = s.paths('/exec');
    expect(seen.map((x) => Number(x.query.get('it'))).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(seen.map((x) => x.query.get('vu')))).toEqual(new Set(['1', '2']));
    expect(seen.every((x) => x.query.get('scn') === 'buyers' && x.query.get('ex') === 'shared-iterations' && x.query.get('team') === 'retail')).toBe(true);
  });

  it('16 k6/encoding and k6/crypto give what Node computes', async () => {
    const { s } = await run('16-encoding-crypto.js');
    const h = s.paths('/crypto')[0].headers;
    expect(h['x-b64']).toBe(Buffer.from('user:pass').toString('base64'));
    expect(h['x-raw']).toBe(Buffer.from('k6?').toString('base64url'));
    expect(h['x-back']).toBe('user:pass');
    expect(h['x-sha']).toBe(createHash('sha256').update('hello').digest('hex'));
    expect(h['x-mac']).toBe(createHmac('sha256', 'secret').update('payload').digest('base64'));
    expect(h['x-md5']).toBe(createHash('md5').update('ab').digest('hex'));
    expect(h['x-rand']).toBe('8');
  });

  it('17 cookies: the session comes back, cookies set with the jar and with params are sent', async () => {
    const { q } = await run('17-cookies.js');
    for (const c of ['session sent back', 'jar cookie sent', 'jar lists it', 'params cookie sent']) expect(checks(q, c)).toEqual({ pass: 2, fail: 0 });
  });

  it('18 thresholds on built-in metrics: rate<0.1 fails at 50% 5xx, count>=8 passes', async () => {
    const { r } = await run('18-thresholds.js');
    expect(verdicts(r)).toEqual({ 'http_req_failed: rate<0.1': false, 'http_reqs: count>=8': true, 'http_req_duration{expected_response:true}: max<60000': true });
  });

  it('19 http.file: a multipart body with the file and a field', async () => {
    const { q, s } = await run('19-file-upload.js');
    expect(s.count('/upload')).toBe(2);
    expect(String(s.paths('/upload')[0].headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(checks(q, 'two parts received')).toEqual({ pass: 2, fail: 0 });
  });

  it('20 async/await with asyncRequest and k6/timers runs as written', async () => {
    const { q, s } = await run('20-async-await.js');
    expect(s.count('/async/a') + s.count('/async/b') + s.count('/async/c')).toBe(6);
    expect(checks(q, 'all three answered')).toEqual({ pass: 2, fail: 0 });
  });

  it('21 two scenarios with exec, env and tags', async () => {
    const { r, s } = await run('21-scenarios-exec.js');
    expect(s.count('/page/shops')).toBe(6);
    expect(s.count('/page/order')).toBe(2);
    expect(r.thresholds.pass).toBe(true);
  });

  it('22 http.url names a URL family; redirects followed (2 requests) or not (redirects: 0)', async () => {
    const { q, s } = await run('22-url-redirects.js');
    expect(total(q, 'http_reqs', { name: '${}/item/${}' })).toBe(3);
    expect(s.count('/redirect')).toBe(6);
    expect(s.count('/json')).toBe(3);
    expect(checks(q, 'followed to the json')).toEqual({ pass: 3, fail: 0 });
    expect(checks(q, 'not followed')).toEqual({ pass: 3, fail: 0 });
  });

  it('23 exec.test.abort() stops the test at once, saying why', async () => {
    const { r, s } = await run('23-abort.js');
    expect(r.aborted).toBe(true);
    expect(r.abortReason).toBe(`${TEST_ABORT_PREFIX}the portal answered 500`);
    expect(s.count('/status/500')).toBeLessThan(5);
  });

  it('24 basic auth from the URL, k6 Response fields, fail() ends the iteration with an error', async () => {
    const { r, q, s } = await run('24-basic-auth-and-headers.js');
    expect(checks(q, 'basic auth header sent')).toEqual({ pass: 2, fail: 0 });
    expect(checks(q, 'k6 response fields')).toEqual({ pass: 2, fail: 0 });
    expect(s.count('/after-fail')).toBe(1);
    expect(r.iterationErrors.map((e) => e.message)).toEqual(['second iteration fails on purpose']);
  });

  it('26 new http.CookieJar() with domain and path rules; the VU jar keeps what the server sets by the same rules', async () => {
    const { q, r } = await run('26-cookie-jar.js');
    for (const c of ['root gets the site cookie only', 'app path adds its cookie', 'longest path first', 'path match is by segment',
      'own jar stays apart from the VU jar', 'cookiesForURL by path', 'delete removes one', 'clear removes what the URL gets',
      'server Path kept', 'foreign Domain refused', 'Max-Age 0 not kept', 'VU jar sends by path',
      'params cookie beside the jar one', 'params cookie replaces with replace: true', 'params cookies not stored']) expect(checks(q, c), c).toEqual({ pass: 1, fail: 0 });
    expect(r.iterationErrors).toEqual([]);
  });

  it('27 expectedStatuses and setResponseCallback decide http_req_failed and expected_response; null records neither', async () => {
    const { r, q, s } = await run('27-expected-statuses.js');
    expect(s.paths('/status/').length).toBe(10);
    // k6: per iteration 4 requests judged (200 and 404 and 500 expected, 302 not), the 503 not at all
    expect(count(q, 'http_req_failed')).toBe(8);
    expect(total(q, 'http_req_failed')).toBe(2);
    expect(total(q, 'http_req_failed', { status: '302' })).toBe(2);
    expect(count(q, 'http_req_failed', { status: '503' })).toBe(0);
    expect(q.windows('http_reqs', { tags: { status: '503' } }).every((w) => w.tags.expected_response === undefined)).toBe(true);
    expect(q.windows('http_reqs', { tags: { status: '404' } }).every((w) => w.tags.expected_response === 'true')).toBe(true);
    expect(q.windows('http_reqs', { tags: { status: '500' } }).every((w) => w.tags.expected_response === 'true')).toBe(true);
    expect(verdicts(r)).toEqual({ 'http_req_failed: rate<0.3': true });
  });

  it("28 auth: 'digest' answers the server's challenge: two requests an iteration, the second accepted", async () => {
    const { q, s } = await run('28-digest-auth.js');
    expect(s.paths('/digest/').length).toBe(4);
    expect(s.paths('/digest/').map((x) => (x.headers.authorization ? 'digest' : 'none'))).toEqual(['none', 'digest', 'none', 'digest']);
    expect(checks(q, 'digest accepted')).toEqual({ pass: 2, fail: 0 });
    expect(total(q, 'http_reqs', { status: '401' })).toBe(2);
  });
});
