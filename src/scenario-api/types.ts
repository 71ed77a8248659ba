/**
 * The public types of what scenario files import from 'capacity-test' (docs/contracts.md#scenario-files).
 * k6 users must recognise every name.
 */
export type Duration = string | number; // '90s', '5m', '1h30m', or milliseconds

export interface Stage { duration: Duration; target: number }

interface ScenarioCommon {
  exec?: string;
  startTime?: Duration;
  gracefulStop?: Duration;
  env?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface ConstantArrivalRate extends ScenarioCommon {
  executor: 'constant-arrival-rate';
  rate: number; timeUnit?: Duration; duration: Duration; preAllocatedVUs: number; maxVUs?: number;
}
export interface RampingArrivalRate extends ScenarioCommon {
  executor: 'ramping-arrival-rate';
  startRate?: number; timeUnit?: Duration; stages: Stage[]; preAllocatedVUs: number; maxVUs?: number;
}
export interface ConstantVUs extends ScenarioCommon {
  executor: 'constant-vus'; vus?: number; duration: Duration;
}
export interface RampingVUs extends ScenarioCommon {
  executor: 'ramping-vus'; startVUs?: number; stages: Stage[]; gracefulRampDown?: Duration;
}
export interface PerVUIterations extends ScenarioCommon {
  executor: 'per-vu-iterations'; vus?: number; iterations?: number; maxDuration?: Duration;
}
export interface SharedIterations extends ScenarioCommon {
  executor: 'shared-iterations'; vus?: number; iterations?: number; maxDuration?: Duration;
}
export type ScenarioOptions =
  | ConstantArrivalRate | RampingArrivalRate | ConstantVUs | RampingVUs | PerVUIterations | SharedIterations;

export type ThresholdSpec = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: Duration };

export interface Options {
  scenarios?: Record<string, ScenarioOptions>;
  thresholds?: Record<string, ThresholdSpec[]>;
  /** k6 shortcuts: a single constant-vus / per-vu-iterations scenario */
  vus?: number;
  duration?: Duration;
  iterations?: number;
  tags?: Record<string, string>;
  setupTimeout?: Duration;
  teardownTimeout?: Duration;
  /** k6: drop response bodies unread unless a request sets responseType 'text' */
  discardResponseBodies?: boolean;
  /** k6: redirects a request follows (each hop recorded as a request); default 10, 0 returns the 3xx */
  maxRedirects?: number;
  /** the cap on connections per origin and worker (default 1,024; opened only while requests wait) */
  connectionsPerOrigin?: number;
  /** k6: accept any TLS certificate (self-signed test servers) */
  insecureSkipTLSVerify?: boolean;
  /** k6: host names connected to at another address (`{ 'staging.example.in': '10.0.0.5' }`); Host and TLS keep the name */
  hosts?: Record<string, string>;
  [extension: string]: unknown;
}

export interface RequestParams {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  /** '10s' or milliseconds; default 60 s as in k6 */
  timeout?: Duration;
  /** 'text' (default) keeps the body; 'none' discards it unread */
  responseType?: 'text' | 'none';
  /** redirects to follow for this request (k6); default: options.maxRedirects */
  redirects?: number;
  /**
   * The statuses that are not failures (k6's responseCallback, `http.expectedStatuses(…)`): they decide
   * `http_req_failed` and the `expected_response` tag. Default 200–399; null records neither, as k6.
   */
  expectedStatuses?: ExpectedStatuses | null;
  /** a cookie jar of its own for this request instead of the VU's (k6's `jar` param, `new http.CookieJar()`) */
  jar?: RequestJar;
  /**
   * cookies for this request only, sent beside the jar's (k6's `cookies` param); `replace` drops the
   * jar's cookie of that name from this request. Never stored in the jar.
   */
  cookies?: ReadonlyArray<{ name: string; value: string; replace?: boolean }>;
}

/** Statuses a request expects: each listed one, and each range (inclusive). `key` names the set (series are kept per set). */
export interface ExpectedStatuses {
  readonly key: string;
  readonly statuses: readonly number[];
  readonly ranges: ReadonlyArray<{ readonly min: number; readonly max: number }>;
}

/** What the engine needs of a cookie jar (src/scenario-api/cookie-jar.ts is one). */
export interface RequestJar {
  readonly size: number;
  header(url: string): string | undefined;
  store(url: string, setCookie: string | readonly string[] | undefined): void;
}

export interface RequestBody {
  json?: unknown;
  body?: string | Uint8Array;
}

export interface Timings {
  /** ms, as k6: duration = sending + waiting + receiving */
  duration: number;
  waiting: number;
  sending: number;
  receiving: number;
  /** waiting for a free connection slot inside the generator (k6: http_req_blocked) */
  blocked: number;
  /** establishing the TCP connection; 0 on a reused connection (k6: http_req_connecting) */
  connecting: number;
  /** the TLS handshake; 0 on a reused or plain connection (k6: http_req_tls_handshaking) */
  tls_handshaking: number;
}

export interface Response {
  status: number;
  headers: Record<string, string>;
  body: string | null;
  timings: Timings;
  url: string;
  /** set when status is 0: network error, timeout */
  error?: string;
  error_code?: number;
  json<T = any>(): T;
}

export type BatchRequest =
  | string
  | { method: string; url: string; body?: RequestBody; params?: RequestParams };

export interface Http {
  get(url: string, params?: RequestParams): Promise<Response>;
  del(url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response>;
  post(url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response>;
  put(url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response>;
  patch(url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response>;
  request(method: string, url: string, body?: RequestBody | null, params?: RequestParams): Promise<Response>;
  batch(requests: BatchRequest[]): Promise<Response[]>;
}

/** What a VU function receives: its own HTTP client (cookies per VU), env, ids. */
export interface VU {
  http: Http;
  env: Record<string, string>;
  /** 1-based, unique in the whole test (all workers), like k6's exec.vu.idInTest */
  id: number;
  /** iteration number of this VU within its scenario, 0-based */
  iteration: number;
  scenario: string;
  /** iteration number unique in the whole scenario across all VUs, workers and segments (k6: exec.scenario.iterationInTest) */
  iterationInTest: number;
  /** worker thread index (0-based) and the segment "i/n" of this process */
  worker: number;
  /** per-VU scratch space kept across iterations (a logged-in token, say) */
  state: Record<string, unknown>;
}

export type Checkers<T> = Record<string, (value: T) => boolean>;

/** `export async function setup(vu)`: runs once before the scenarios; its value is handed to every iteration. */
export type SetupFunction<D = unknown> = (vu: VU) => D | Promise<D>;
/** `export async function teardown(data, vu)`: runs once after the scenarios. */
export type TeardownFunction<D = unknown> = (data: D, vu: VU) => unknown;
/** A scenario's default export or `exec` function: one iteration of one VU. */
export type IterationFunction<D = unknown> = (vu: VU, data: D) => unknown;
