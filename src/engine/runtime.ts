/**
 * The per-thread runtime behind a scenario: metrics sink, VUs with their HTTP client and cookie
 * jar, the hooks that `check`, `group` and custom metrics call, and iteration error accounting.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { seriesKey, type Series, type WindowRecorder, type MetricKind } from '../metrics/index.js';
import { RUNTIME_KEY, type RuntimeHooks } from '../scenario-api/index.js';
import type { BatchRequest, ExpectedStatuses, Http, RequestBody, RequestJar, RequestParams, Response, VU } from '../scenario-api/types.js';
import { CookieJar } from '../scenario-api/cookie-jar.js';
import { parseDuration } from './duration.js';
import { HttpResponse, splitUrl, type HttpTransport } from './http.js';

export const USER_AGENT = 'capacity-test/0.1 (+k6-compatible)';

/** Epoch ms with sub-ms precision, consistent across threads. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export interface IterationError { message: string; location: string | null; count: number }

/** What every series of one scenario shares. */
export interface ScenarioContext {
  name: string;
  /** `scenario` plus the scenario's own tags (empty for setup/teardown) */
  baseTags: Record<string, string>;
  env: Record<string, string>;
  /** the scenario's executor (k6/execution scenario.executor); absent for setup/teardown */
  executor?: string;
}

interface IterCtx { vu: VuImpl; group: string }

interface HttpSeries {
  ctx: ScenarioContext; group: string; method: string; status: number; errorCode: number; extra: string;
  /** the expected-statuses set's key ('' k6's default 200–399, '-' none: null) */
  expectKey: string;
  expected: boolean;
  reqs: Series; dur: Series; wait: Series; blocked: Series; connecting: Series; tls: Series; sending: Series; receiving: Series;
  /** null when the request expects nothing (responseCallback null): k6 then records no http_req_failed */
  failed: Series | null;
}

/** The jar's Cookie header with a request's own cookies (k6: beside the jar's; `replace` drops the jar's of that name). */
function withRequestCookies(jar: string | undefined, own: NonNullable<RequestParams['cookies']>): string | undefined {
  const replaced = new Set(own.filter((c) => c.replace).map((c) => c.name));
  const parts = jar ? jar.split('; ').filter((p) => !replaced.has(p.slice(0, p.indexOf('=')))) : [];
  for (const c of own) parts.push(`${c.name}=${c.value}`);
  return parts.length ? parts.join('; ') : undefined;
}

/** Whether `status` is expected: k6's default (200–399), a given set, or none (null: nothing is). */
function isExpected(status: number, expect: ExpectedStatuses | null | undefined): boolean {
  if (expect === undefined) return status >= 200 && status < 400;
  if (expect === null) return false;
  if (expect.statuses.includes(status)) return true;
  for (const r of expect.ranges) if (status >= r.min && status <= r.max) return true;
  return false;
}

/** Where an error was thrown in the scenario's own code (source-mapped), engine frames skipped. */
export function locateError(stack: string | undefined, cwd = process.cwd()): string | null {
  if (!stack) return null;
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    let file = m[1].replace(/^file:\/\//, '');
    if (/^node:|node_modules|\/src\/engine\/|\/src\/scenario-api\/|\/src\/metrics\/|\/src\/k6\/modules\/|capacity-test-bundle/.test(file)) continue;
    if (file.startsWith(cwd + '/')) file = file.slice(cwd.length + 1);
    return `${file}:${m[2]}`;
  }
  return null;
}

/**
 * One store per thread, shared by every Runtime of the thread (the warm-up's and the run's): each
 * AsyncLocalStorage instance adds its own symbol to every async resource, so a second instance
 * changed the hidden class of timers, promises and sockets at the start of the run and deoptimised
 * the code the warm-up had just compiled (--trace-deopt: "wrong map" across node:timers, undici,
 * the executor), which showed as schedule lag in the first second.
 */
const als = new AsyncLocalStorage<IterCtx>();

export class Runtime {
  readonly errors = new Map<string, IterationError>();
  private readonly httpSeries = new Map<string, HttpSeries[]>();
  private readonly otherSeries = new Map<string, Series>();
  private readonly dataSeries = new Map<ScenarioContext, { sent: Series; received: Series }>();
  /** after the end: late responses of interrupted iterations are not recorded */
  stopped = false;
  /** k6 discardResponseBodies */
  discardBodies = false;
  /** k6 maxRedirects: redirects a request follows unless its params say otherwise */
  maxRedirects = 10;
  networkErrors = 0;
  firstNetworkError: string | null = null;
  /** k6 test.abort(): the worker tells the main thread, which stops every worker */
  onAbort: (reason: string) => void = () => undefined;

  constructor(readonly recorder: WindowRecorder, readonly transport: HttpTransport, readonly worker: number) {}

  install(): void {
    const hooks: RuntimeHooks = {
      check: (value, checkers, tags) => this.check(value, checkers, tags),
      group: (name, fn) => this.group(name, fn),
      metric: (name, kind, value, tags) => this.metric(name, kind, value, tags),
      vu: () => als.getStore()?.vu,
      abort: (reason) => this.onAbort(reason),
    };
    (globalThis as Record<symbol, unknown>)[RUNTIME_KEY] = hooks;
  }

  uninstall(): void {
    delete (globalThis as Record<symbol, unknown>)[RUNTIME_KEY];
  }

  /** Run `fn` as VU code: check/group/http inside it know their VU and group. */
  runAs<T>(vu: VuImpl, group: string, fn: () => T): T {
    return als.run({ vu, group }, fn);
  }

  private tagsHere(extra?: Record<string, string>): Record<string, string> {
    const st = als.getStore();
    const tags: Record<string, string> = st ? { ...st.vu.ctx.baseTags } : {};
    if (st?.group) tags.group = st.group;
    if (extra) Object.assign(tags, extra);
    return tags;
  }

  series(metric: string, kind: MetricKind, tags: Record<string, string>): Series {
    const key = seriesKey(metric, tags);
    let s = this.otherSeries.get(key);
    if (!s) this.otherSeries.set(key, (s = this.recorder.get(metric, kind, tags)));
    return s;
  }

  check(value: unknown, checkers: Record<string, (v: any) => boolean>, tags?: Record<string, string>): boolean {
    if (this.stopped) return true;
    const now = epochNow();
    let all = true;
    for (const name of Object.keys(checkers)) {
      let ok: boolean;
      try { ok = Boolean(checkers[name](value)); } catch { ok = false; }
      if (!ok) all = false;
      this.series('checks', 'rate', this.tagsHere({ check: name, ...tags })).add(ok ? 1 : 0, now);
    }
    return all;
  }

  group<T>(name: string, fn: () => T): T {
    const st = als.getStore();
    if (!st) return fn();
    return als.run({ vu: st.vu, group: `${st.group}::${name}` }, fn);
  }

  metric(name: string, kind: MetricKind, value: number, tags?: Record<string, string>): void {
    if (this.stopped) return;
    this.series(name, kind, this.tagsHere(tags)).add(value, epochNow());
  }

  /** The current VU's group ('' outside any), read while VU code runs. */
  currentGroup(): string {
    return als.getStore()?.group ?? '';
  }

  recordHttp(vu: VuImpl, group: string, method: string, name: string, reqTags: Record<string, string> | undefined, res: HttpResponse, sentBytes: number, expect?: ExpectedStatuses | null): void {
    if (res.status === 0) {
      this.networkErrors += 1;
      this.firstNetworkError ??= `${method} ${res.url}: ${res.error}`;
    }
    if (this.stopped) return;
    const now = epochNow();
    const s = this.httpSeriesOf(vu.ctx, group, method, res.status, res.error_code ?? 0, name, reqTags, expect);
    s.reqs.add(1, now);
    s.dur.add(res.timings.duration, now);
    s.wait.add(res.timings.waiting, now);
    s.blocked.add(res.timings.blocked, now);
    s.connecting.add(res.timings.connecting, now);
    s.tls.add(res.timings.tls_handshaking, now);
    s.sending.add(res.timings.sending, now);
    s.receiving.add(res.timings.receiving, now);
    if (s.failed !== null) s.failed.add(s.expected ? 0 : 1, now);
    let d = this.dataSeries.get(vu.ctx);
    if (!d) {
      d = { sent: this.recorder.get('data_sent', 'counter', vu.ctx.baseTags), received: this.recorder.get('data_received', 'counter', vu.ctx.baseTags) };
      this.dataSeries.set(vu.ctx, d);
    }
    d.sent.add(sentBytes, now);
    d.received.add(res.receivedBytes, now);
  }

  /**
   * The series of one request's tag set. Found by name, then by comparing the few other parts, so the
   * hot path builds no key string (a key joined from the URL and tags cost an allocation per request).
   */
  private httpSeriesOf(ctx: ScenarioContext, group: string, method: string, status: number, errorCode: number, name: string, reqTags: Record<string, string> | undefined, expect: ExpectedStatuses | null | undefined): HttpSeries {
    const extra = reqTags ? JSON.stringify(reqTags) : '';
    const expectKey = expect === undefined ? '' : expect === null ? '-' : expect.key;
    let list = this.httpSeries.get(name);
    if (!list) this.httpSeries.set(name, (list = []));
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (e.status === status && e.errorCode === errorCode && e.ctx === ctx && e.method === method && e.group === group && e.extra === extra && e.expectKey === expectKey) return e;
    }
    const expected = isExpected(status, expect);
    const tags: Record<string, string> = { ...ctx.baseTags };
    if (group) tags.group = group;
    // k6: with no response callback (null) neither the expected_response tag nor http_req_failed
    Object.assign(tags, expect === null ? { name, method, status: String(status) } : { name, method, status: String(status), expected_response: String(expected) }, reqTags);
    // k6 tags a failed request with its error_code (1212 connection refused, 1050 timeout…)
    if (errorCode !== 0) tags.error_code = String(errorCode);
    const e: HttpSeries = {
      ctx, group, method, status, errorCode, extra, expectKey, expected,
      reqs: this.recorder.get('http_reqs', 'counter', tags),
      dur: this.recorder.get('http_req_duration', 'trend', tags),
      wait: this.recorder.get('http_req_waiting', 'trend', tags),
      // k6's http_req_blocked: time queued for a free connection inside the generator, which
      // http_req_duration leaves out; a growing value means the connection cap, not the target.
      blocked: this.recorder.get('http_req_blocked', 'trend', tags),
      // k6's other request timings (Go's httptrace points; http.ts Exchange)
      connecting: this.recorder.get('http_req_connecting', 'trend', tags),
      tls: this.recorder.get('http_req_tls_handshaking', 'trend', tags),
      sending: this.recorder.get('http_req_sending', 'trend', tags),
      receiving: this.recorder.get('http_req_receiving', 'trend', tags),
      failed: expect === null ? null : this.recorder.get('http_req_failed', 'rate', tags),
    };
    list.push(e);
    return e;
  }

  recordError(err: unknown): void {
    const e = err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err));
    const location = locateError(e.stack);
    const key = `${e.message}\u0000${location}`;
    const known = this.errors.get(key);
    if (known) known.count += 1;
    else this.errors.set(key, { message: e.message, location, count: 1 });
  }
}

function isBodyObject(b: object): b is RequestBody {
  return 'json' in b || 'body' in b;
}

/** The HTTP client of one VU: k6's http.* with the VU's cookie jar, metrics recorded with its tags. */
class VuHttp implements Http {
  constructor(private readonly vu: VuImpl) {}

  get(url: string, params?: RequestParams): Promise<Response> { return this.call('GET', url, null, params); }
  del(url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response> { return this.call('DELETE', url, body, params); }
  post(url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response> { return this.call('POST', url, body, params); }
  put(url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response> { return this.call('PUT', url, body, params); }
  patch(url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response> { return this.call('PATCH', url, body, params); }

  batch(requests: BatchRequest[]): Promise<Response[]> {
    return Promise.all(requests.map((r) => (typeof r === 'string' ? this.get(r) : this.request(r.method, r.url, r.body ?? null, r.params))));
  }

  request(method: string, url: string, body?: RequestBody | string | Uint8Array | Record<string, unknown> | null, params?: RequestParams): Promise<Response> {
    return this.call(method.toUpperCase(), url, body, params);
  }

  private call(method: string, url: string, body: RequestBody | string | Uint8Array | Record<string, unknown> | null | undefined, params: RequestParams | undefined): Promise<Response> {
    const vu = this.vu;
    const rt = vu.rt;
    try {
      const headers: Record<string, string> = { 'user-agent': USER_AGENT };
      let payload: string | Uint8Array | null = null;
      if (body !== null && body !== undefined) {
        if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
        else if (isBodyObject(body)) {
          if (body.json !== undefined) { payload = JSON.stringify(body.json); headers['content-type'] = 'application/json'; }
          else payload = body.body ?? null;
        } else {
          payload = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
          headers['content-type'] = 'application/x-www-form-urlencoded';
        }
      }
      if (params === undefined) {
        return new HttpCall(vu, rt.currentGroup(), method, headers, payload, 60_000, !rt.discardBodies, null, undefined, rt.maxRedirects).start(url);
      }
      if (params.headers) for (const [k, v] of Object.entries(params.headers)) headers[k.toLowerCase()] = String(v);
      const timeoutMs = params.timeout === undefined ? 60_000 : parseDuration(params.timeout, 'timeout');
      const keepBody = params.responseType ? params.responseType !== 'none' : !rt.discardBodies;
      let name: string | null = null;
      let reqTags: Record<string, string> | undefined;
      if (params.tags) {
        for (const k in params.tags) {
          if (k === 'name') name = params.tags.name;
          else (reqTags ??= {})[k] = String(params.tags[k]);
        }
      }
      const call = new HttpCall(vu, rt.currentGroup(), method, headers, payload, timeoutMs, keepBody, name, reqTags, params.redirects ?? rt.maxRedirects);
      if (params.jar) call.jar = params.jar;
      if (params.expectedStatuses !== undefined) call.expect = params.expectedStatuses;
      if (params.cookies && params.cookies.length) call.cookies = params.cookies;
      return call.start(url);
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

/**
 * One request of a VU, its redirects included, behind a single promise: the transport calls `done`
 * with each hop's response, which is recorded there (with the group read when the VU made the call)
 * and either followed or handed to the VU. No async function and no per-hop promise on the hot path.
 */
class HttpCall {
  private resolve!: (r: Response) => void;
  private url = '';
  private sentBytes = 0;
  /** the VU's jar, or the request's own (k6's `jar` param) */
  jar: RequestJar;
  /** k6's responseCallback: undefined for the default (200–399) */
  expect: ExpectedStatuses | null | undefined = undefined;
  /** k6's `cookies` param: this request's own, beside the jar's */
  cookies: NonNullable<RequestParams['cookies']> | null = null;

  constructor(private readonly vu: VuImpl, private readonly group: string, private method: string, private readonly headers: Record<string, string>,
    private payload: string | Uint8Array | null, private readonly timeoutMs: number, private readonly keepBody: boolean,
    /** the name tag when the request set one (every hop keeps it); null: each hop's URL */
    private readonly name: string | null, private readonly reqTags: Record<string, string> | undefined, private redirectsLeft: number) {
    this.jar = vu.jar;
  }

  start(url: string): Promise<Response> {
    const p = new Promise<Response>((resolve) => { this.resolve = resolve; });
    this.send(url);
    return p;
  }

  private send(url: string): void {
    const vu = this.vu;
    const given = this.headers;
    this.url = url;
    let cookie: string | undefined;
    if (this.jar.size > 0 && given.cookie === undefined) { // an empty jar is not consulted
      try { cookie = this.jar.header(url); } catch { /* the transport reports the bad URL */ }
    }
    if (this.cookies !== null && given.cookie === undefined) cookie = withRequestCookies(cookie, this.cookies);
    const flat: string[] = [];
    let sent = this.method.length + url.length + 12;
    for (const k in given) { flat.push(k, given[k]); sent += k.length + given[k].length + 4; }
    if (cookie) { flat.push('cookie', cookie); sent += cookie.length + 10; }
    const payload = this.payload;
    if (payload !== null) sent += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
    this.sentBytes = sent;
    vu.rt.transport.dispatch({ method: this.method, url, headers: flat, body: payload, timeoutMs: this.timeoutMs, keepBody: this.keepBody }, this);
  }

  /** @internal called by the transport with the response of the hop in flight */
  done(res: HttpResponse): void {
    const vu = this.vu;
    const url = this.url;
    if (res.setCookie) {
      try { this.jar.store(url, res.setCookie); } catch { /* no jar for a bad URL */ }
    }
    vu.rt.recordHttp(vu, this.group, this.method, this.name ?? url, this.reqTags, res, this.sentBytes, this.expect);
    if (this.redirectsLeft > 0 && isRedirect(res.status) && this.follow(res)) return;
    this.resolve(res);
  }

  /**
   * k6 follows redirects (maxRedirects, default 10; params.redirects per request), each hop a request
   * of its own in the metrics, and returns the last response. 303 (and 301/302 of a non-GET) turn into
   * a GET without the body, as browsers and Go's client do; a hop to another origin drops credentials.
   */
  private follow(res: HttpResponse): boolean {
    const location = res.headers.location;
    if (!location) return false;
    let next: string;
    try { next = new URL(location, this.url).href; } catch { return false; }
    const status = res.status;
    if (status === 303 || ((status === 301 || status === 302) && this.method !== 'GET' && this.method !== 'HEAD')) {
      if (this.method !== 'HEAD') this.method = 'GET';
      this.payload = null;
      delete this.headers['content-type'];
    }
    if (originOf(next) !== originOf(this.url)) { delete this.headers.authorization; delete this.headers.cookie; }
    this.redirectsLeft -= 1;
    this.send(next);
    return true;
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function originOf(url: string): string {
  try { return splitUrl(url).origin; } catch { return url; }
}

export class VuImpl implements VU {
  readonly http: Http;
  readonly env: Record<string, string>;
  readonly scenario: string;
  iteration = 0;
  iterationInTest = 0;
  state: Record<string, unknown> = {};
  readonly jar = new CookieJar();
  /** executor bookkeeping */
  busy = false;
  retiring = false;
  token: { interrupted: boolean } | null = null;

  constructor(readonly rt: Runtime, readonly ctx: ScenarioContext, readonly id: number, readonly worker: number) {
    this.http = new VuHttp(this);
    this.env = ctx.env;
    this.scenario = ctx.name;
  }

}
