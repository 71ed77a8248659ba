import { invalid, UsageError } from '../contracts/errors.js';
import type { Options } from '../scenario-api/types.js';
import { parseDuration } from './duration.js';
import { parseHosts, type Hosts } from './hosts.js';

/** A rate segment of an arrival-rate scenario, rates in iterations per ms, times relative to the scenario start. */
export interface RateSegment { startMs: number; durationMs: number; from: number; to: number }
export interface VuStage { durationMs: number; target: number }

interface Common {
  name: string;
  executor: string;
  exec: string;
  startTimeMs: number;
  gracefulStopMs: number;
  env: Record<string, string>;
  tags: Record<string, string>;
  /** planned active time (arrival/VU executors) or maxDuration (iteration executors) */
  durationMs: number;
}
export interface ArrivalScenario extends Common { kind: 'arrival'; segments: RateSegment[]; preAllocatedVUs: number; maxVUs: number }
export interface VusScenario extends Common { kind: 'vus'; startVUs: number; stages: VuStage[]; gracefulRampDownMs: number }
export interface IterationsScenario extends Common { kind: 'per-vu' | 'shared'; vus: number; iterations: number }
export type ResolvedScenario = ArrivalScenario | VusScenario | IterationsScenario;

export interface ResolvedOptions {
  scenarios: ResolvedScenario[];
  /** the longest startTime + duration: what the run plans to last (gracefulStop excluded) */
  plannedDurationMs: number;
  /** plannedDuration plus the longest graceful stop: the run never lasts longer */
  hardEndMs: number;
  connectionsPerOrigin: number;
  /** k6 insecureSkipTLSVerify: accept any TLS certificate */
  insecureSkipTLSVerify: boolean;
  /** k6 hosts: host names connected to at another address (engine/hosts.ts) */
  hosts?: Hosts;
  /** k6 discardResponseBodies: bodies are dropped unread unless a request asks for responseType 'text' */
  discardResponseBodies: boolean;
  /** k6 maxRedirects */
  maxRedirects: number;
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  /** the options as the scenario wrote them, shortcuts expanded into `scenarios` */
  options: Options;
}

const COMMON_KEYS = ['executor', 'exec', 'startTime', 'gracefulStop', 'env', 'tags'];
const EXECUTOR_KEYS: Record<string, string[]> = {
  'constant-arrival-rate': ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
  'ramping-arrival-rate': ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
  'constant-vus': ['vus', 'duration'],
  'ramping-vus': ['startVUs', 'stages', 'gracefulRampDown'],
  'per-vu-iterations': ['vus', 'iterations', 'maxDuration'],
  'shared-iterations': ['vus', 'iterations', 'maxDuration'],
};

function int(value: unknown, what: string, def: number | undefined, min = 0): number {
  if (value === undefined && def !== undefined) return def;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalid(what, `an integer ≥ ${min}`, value);
  return value;
}

function bool(value: unknown, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(what, 'true or false', value);
  return value;
}

function num(value: unknown, what: string, def: number | undefined): number {
  if (value === undefined && def !== undefined) return def;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(what, 'a number ≥ 0', value);
  return value;
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(what, 'an object of strings', value);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

function stagesOf(value: unknown, what: string): VuStage[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(what, 'a non-empty array of { duration, target }', Array.isArray(value) ? '[]' : value);
  return value.map((s: unknown, i) => {
    const st = s as { duration?: unknown; target?: unknown };
    if (typeof s !== 'object' || s === null) throw invalid(`${what}[${i}]`, '{ duration, target }', s);
    return { durationMs: parseDuration(st.duration, `${what}[${i}].duration`), target: num(st.target, `${what}[${i}].target`, undefined) };
  });
}

/** Expand k6's shortcuts (vus, duration, iterations, stages) into one scenario named `default`. */
export function expandShortcuts(options: Options): Options {
  if (options.scenarios && Object.keys(options.scenarios).length > 0) return options;
  const o = options as Options & { stages?: unknown };
  let sc: Record<string, unknown>;
  if (Array.isArray(o.stages)) sc = { executor: 'ramping-vus', startVUs: o.vus ?? 1, stages: o.stages };
  else if (o.duration !== undefined && o.iterations === undefined) sc = { executor: 'constant-vus', vus: o.vus ?? 1, duration: o.duration };
  else if (o.iterations !== undefined) sc = { executor: 'shared-iterations', vus: o.vus ?? 1, iterations: o.iterations, ...(o.duration !== undefined ? { maxDuration: o.duration } : {}) };
  else sc = { executor: 'per-vu-iterations', vus: o.vus ?? 1, iterations: 1 };
  return { ...options, scenarios: { default: sc as never } };
}

function resolveScenario(name: string, raw: unknown, exports: ReadonlySet<string>, testTags: Record<string, string>): ResolvedScenario {
  const where = `scenario "${name}"`;
  if (typeof raw !== 'object' || raw === null) throw invalid(where, 'an object with an executor', raw);
  const s = raw as Record<string, unknown>;
  const executor = s.executor;
  if (typeof executor !== 'string' || !(executor in EXECUTOR_KEYS)) {
    throw invalid(`executor of ${where}`, Object.keys(EXECUTOR_KEYS).join(' | '), executor);
  }
  const allowed = new Set([...COMMON_KEYS, ...EXECUTOR_KEYS[executor]]);
  for (const key of Object.keys(s)) {
    if (!allowed.has(key)) throw new UsageError(`invalid option in ${where}: "${key}" is not an option of ${executor} (expected one of ${[...allowed].join(', ')})`);
  }
  const exec = s.exec === undefined ? 'default' : s.exec;
  if (typeof exec !== 'string' || !exports.has(exec)) {
    throw invalid(`exec of ${where}`, exec === 'default' ? 'a default export in the scenario file' : `a function exported by the scenario file (${[...exports].join(', ') || 'none'})`, exec);
  }
  const common = {
    name, executor, exec,
    startTimeMs: s.startTime === undefined ? 0 : parseDuration(s.startTime, `startTime of ${where}`),
    gracefulStopMs: s.gracefulStop === undefined ? 30_000 : parseDuration(s.gracefulStop, `gracefulStop of ${where}`),
    env: stringRecord(s.env, `env of ${where}`),
    // test-wide tags (options.tags) under the scenario's own
    tags: { ...testTags, ...stringRecord(s.tags, `tags of ${where}`) },
  };
  switch (executor) {
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const timeUnitMs = s.timeUnit === undefined ? 1000 : parseDuration(s.timeUnit, `timeUnit of ${where}`);
      if (timeUnitMs <= 0) throw invalid(`timeUnit of ${where}`, 'a positive duration', s.timeUnit);
      const segments: RateSegment[] = [];
      let durationMs = 0;
      if (executor === 'constant-arrival-rate') {
        const rate = num(s.rate, `rate of ${where}`, undefined);
        durationMs = parseDuration(s.duration, `duration of ${where}`);
        segments.push({ startMs: 0, durationMs, from: rate / timeUnitMs, to: rate / timeUnitMs });
      } else {
        let prev = num(s.startRate, `startRate of ${where}`, 0);
        for (const st of stagesOf(s.stages, `stages of ${where}`)) {
          segments.push({ startMs: durationMs, durationMs: st.durationMs, from: prev / timeUnitMs, to: st.target / timeUnitMs });
          durationMs += st.durationMs;
          prev = st.target;
        }
      }
      const preAllocatedVUs = int(s.preAllocatedVUs, `preAllocatedVUs of ${where}`, undefined);
      const maxVUs = int(s.maxVUs, `maxVUs of ${where}`, preAllocatedVUs);
      if (maxVUs < preAllocatedVUs) throw invalid(`maxVUs of ${where}`, `at least preAllocatedVUs (${preAllocatedVUs})`, maxVUs);
      return { ...common, kind: 'arrival', durationMs, segments, preAllocatedVUs, maxVUs };
    }
    case 'constant-vus': {
      const vus = int(s.vus, `vus of ${where}`, 1);
      const durationMs = parseDuration(s.duration, `duration of ${where}`);
      return { ...common, kind: 'vus', durationMs, startVUs: vus, stages: [{ durationMs, target: vus }], gracefulRampDownMs: 0 };
    }
    case 'ramping-vus': {
      const stages = stagesOf(s.stages, `stages of ${where}`).map((st, i) => ({ ...st, target: int(st.target, `stages of ${where}[${i}].target`, undefined) }));
      return {
        ...common, kind: 'vus', startVUs: int(s.startVUs, `startVUs of ${where}`, 1), stages,
        durationMs: stages.reduce((a, st) => a + st.durationMs, 0),
        gracefulRampDownMs: s.gracefulRampDown === undefined ? 30_000 : parseDuration(s.gracefulRampDown, `gracefulRampDown of ${where}`),
      };
    }
    default: {
      const vus = int(s.vus, `vus of ${where}`, 1, 1);
      const iterations = int(s.iterations, `iterations of ${where}`, 1, 1);
      if (executor === 'shared-iterations' && iterations < vus) throw invalid(`iterations of ${where}`, `at least vus (${vus})`, iterations);
      return {
        ...common, kind: executor === 'per-vu-iterations' ? 'per-vu' : 'shared', vus, iterations,
        durationMs: s.maxDuration === undefined ? 600_000 : parseDuration(s.maxDuration, `maxDuration of ${where}`),
      };
    }
  }
}

/** Validate a scenario's `options` (k6 names) and resolve defaults; `exports` are the scenario's exported functions. */
export const DEFAULT_CONNECTIONS_PER_ORIGIN = 1024;

export function resolveOptions(raw: unknown, exports: ReadonlySet<string>): ResolvedOptions {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw invalid('options', 'an object', raw);
  const options = expandShortcuts((raw ?? {}) as Options);
  const testTags = stringRecord(options.tags, 'options.tags');
  const scenarios = Object.entries(options.scenarios ?? {}).map(([name, s]) => resolveScenario(name, s, exports, testTags));
  const plannedDurationMs = Math.max(0, ...scenarios.map((s) => s.startTimeMs + s.durationMs));
  const hardEndMs = Math.max(0, ...scenarios.map((s) => s.startTimeMs + s.durationMs + s.gracefulStopMs));
  return {
    scenarios, plannedDurationMs, hardEndMs, options,
    // Real users do not share 64 sockets: a low cap queues requests inside the generator, where the
    // target never sees them and http_req_duration (k6: excludes blocked time) looks better than it
    // is. Connections are opened only while requests wait, a few at a time (connection-pool.ts), so
    // a high cap costs a fast target nothing.
    connectionsPerOrigin: int(options.connectionsPerOrigin, 'connectionsPerOrigin', DEFAULT_CONNECTIONS_PER_ORIGIN, 1),
    insecureSkipTLSVerify: bool(options.insecureSkipTLSVerify, 'insecureSkipTLSVerify'),
    ...(options.hosts !== undefined ? { hosts: parseHosts(options.hosts) } : {}),
    discardResponseBodies: options.discardResponseBodies === true,
    maxRedirects: int(options.maxRedirects, 'maxRedirects', 10, 0),
    setupTimeoutMs: options.setupTimeout === undefined ? 60_000 : parseDuration(options.setupTimeout, 'setupTimeout'),
    teardownTimeoutMs: options.teardownTimeout === undefined ? 60_000 : parseDuration(options.teardownTimeout, 'teardownTimeout'),
  };
}
