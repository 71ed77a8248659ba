import { EnvironmentError, UsageError } from '../../src/contracts/errors.js';
import { launchDayPlan, parseFigure, valuesOf, type LaunchDayPlan, type PlanInput, type ResolvedProfile } from '../../src/profile/index.js';
import { parseProfileText } from '../../src/profile/text.js';
import { DEFAULT_POLITE } from './retry.js';
import { parseHosts } from '../../src/engine/hosts.js';
import type { JourneyConfig } from './journeys.js';
import { SWEEP_SCENARIOS_ENV } from '../../src/run/journey-sweep.js';

/**
 * Scenario settings from the environment (`--env K=V`, __ENV), as launch-day passes them:
 * TARGET, QUICK=1, SEED, PROFILE_FILE (JSON or YAML), SCALE, TIME_SCALE, DATA_FILE, RETRY=naive|polite, INSECURE=1, HOSTS (JSON: k6's hosts option),
 * SWEEP_SCENARIOS (JSON: launch-day's limit sweep, the scenarios run in place of the day's).
 */
export type Env = Record<string, string | undefined>;

function num(env: Env, key: string): number | undefined {
  const v = env[key];
  return v === undefined || v === '' ? undefined : parseFigure(v, key);
}

export function targetOf(env: Env): string {
  const t = env.TARGET;
  if (!t) throw new UsageError('invalid TARGET: expected the portal URL, e.g. --env TARGET=http://127.0.0.1:8080, got nothing');
  if (!/^https?:\/\/[^/\s]+/.test(t)) throw new UsageError(`invalid TARGET: expected an http(s) URL, got ${JSON.stringify(t)}`);
  return t.replace(/\/+$/, '');
}

/** The plan a scenario runs, from env; `read` is the engine's open() (only called for PROFILE_FILE). */
export function planFromEnv(env: Env, read: (path: string) => string, extra: Partial<PlanInput> = {}): LaunchDayPlan {
  const profile = env.PROFILE_FILE ? parseProfileText(read(env.PROFILE_FILE), env.PROFILE_FILE) : undefined;
  const plan = launchDayPlan({
    quick: env.QUICK === '1' || env.QUICK === 'true', profile,
    scale: num(env, 'SCALE'), timeScale: num(env, 'TIME_SCALE'), ...extra,
  });
  // launch-day's limit sweep (src/run/journey-sweep.ts): the same journeys, at stepped rates in place of the
  // day's curves; the day's SLO thresholds are the replay's verdict, not the sweep's, which goes past the limit
  const sweep = env[SWEEP_SCENARIOS_ENV];
  if (sweep) plan.options = { ...plan.options, scenarios: limitSweepScenarios(sweep), thresholds: {} };
  // launch-day --insecure: a staging target's self-signed certificate is accepted (k6's insecureSkipTLSVerify)
  if (env.INSECURE === '1') plan.options.insecureSkipTLSVerify = true;
  // launch-day --host-header: the target's name connected to at its address (k6's hosts option)
  if (env.HOSTS) plan.options.hosts = parseHosts(JSON.parse(env.HOSTS), 'HOSTS');
  return plan;
}

function limitSweepScenarios(json: string): NonNullable<LaunchDayPlan['options']['scenarios']> {
  let v: unknown;
  try { v = JSON.parse(json); } catch { v = undefined; }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.keys(v).length === 0) {
    throw new UsageError(`invalid ${SWEEP_SCENARIOS_ENV}: expected a JSON object of k6 scenarios, got ${JSON.stringify(json.slice(0, 80))}`);
  }
  return v as NonNullable<LaunchDayPlan['options']['scenarios']>;
}

export function journeyConfig(profile: ResolvedProfile, timeScale: number, env: Env): JourneyConfig {
  const v = valuesOf(profile);
  const policy = env.RETRY ?? v.retryPolicy;
  if (policy !== 'naive' && policy !== 'polite') throw new UsageError(`invalid RETRY: expected naive or polite, got ${JSON.stringify(policy)}`);
  const seed = Number(env.SEED ?? '1');
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`invalid SEED: expected a whole number, got ${JSON.stringify(env.SEED)}`);
  return {
    target: targetOf(env), seed, timeScale,
    thinkSeconds: v.thinkSeconds, clientTimeoutSeconds: v.clientTimeoutSeconds,
    retry: { policy, probability: v.retryProbability, maxRetries: v.maxRetries, ...DEFAULT_POLITE },
    abandonAfterFailures: v.abandonAfterFailures, statusPolls: v.statusPolls,
    orderProbability: v.registrations > 0 ? Math.min(1, (v.orders * (1 - v.returningShareOfOrders)) / v.registrations) : 0,
    orderValuePaise: v.orderValuePaise,
  };
}

/** How setup() fetches: the VU's client in the engine (status 0 = network error), fetch elsewhere. */
export type Getter = (url: string) => Promise<{ status: number; error?: string; json(): unknown }>;

export function fetchGetter(timeoutMs = 5000): Getter {
  return async (url) => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      return { status: res.status, json: () => JSON.parse(text) };
    } catch (err) {
      return { status: 0, error: String((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message), json: () => undefined };
    }
  };
}

/** setup(): fail fast when the target is down; hand the target's districts to every VU. */
export async function probeTarget(target: string, get: Getter = fetchGetter()): Promise<{ districts?: string[] }> {
  const health = await get(`${target}/healthz`);
  if (health.status === 0) throw new EnvironmentError(`target ${target} is unreachable (${health.error ?? 'no answer'})`);
  if (health.status >= 500) throw new EnvironmentError(`target ${target} is unreachable: /healthz answered ${health.status}`);
  const res = await get(`${target}/api/v1/districts`);
  if (res.status === 200) {
    try {
      const body = res.json() as { districts?: unknown };
      if (Array.isArray(body?.districts)) return { districts: body.districts.map(String) };
    } catch { /* the districts are a nicety: fall back to our own list */ }
  }
  return {};
}
