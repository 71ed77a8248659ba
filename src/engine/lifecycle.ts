/**
 * The main thread's part of a scenario: importing its bundle (init code, `options`), setup() before
 * the workers start and teardown() after they stop, run with the same runtime as VU code.
 */
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AbortedError, EnvironmentError, UsageError } from '../contracts/errors.js';
import { SCENARIO_DIR_KEY } from '../scenario-api/index.js';
import { TEST_ABORT_PREFIX } from './abort.js';
import type { ResolvedOptions } from './options.js';
import { locateError, type IterationError } from './runtime.js';
import type { LifecycleResult, ScenarioModule } from './worker-main.js';
import type { Hosts } from './hosts.js';

export interface BundleExports {
  scenario: ScenarioModule;
  runLifecycle: (mod: ScenarioModule, which: 'setup' | 'teardown', o: { env: Record<string, string>; startAt: number; data: unknown; connectionsPerOrigin: number; insecureSkipTLSVerify: boolean; hosts?: Hosts; maxRedirects: number; timeoutMs: number; samplesPath?: string }) => Promise<LifecycleResult>;
}

export function processEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}

export async function loadScenario(scenarioFile: string, bundlePath: string, env: Record<string, string>): Promise<BundleExports> {
  const g = globalThis as Record<string | symbol, unknown>;
  g.__ENV = env;
  g[SCENARIO_DIR_KEY] = dirname(resolve(scenarioFile));
  try {
    return (await import(pathToFileURL(bundlePath).href)) as BundleExports;
  } catch (err) {
    const e = err as Error;
    const where = locateError(e.stack);
    throw new UsageError(`invalid scenario ${scenarioFile}: its init code threw: ${e.message}${where ? ` (at ${where})` : ''}`);
  }
}

/** setup(): once, in this thread, before the start; its samples land in second 0. */
export async function runSetup(mod: BundleExports, env: Record<string, string>, resolved: ResolvedOptions, samplesPath?: string): Promise<LifecycleResult> {
  const setup = await mod.runLifecycle(mod.scenario, 'setup', { env, startAt: Number.MAX_SAFE_INTEGER, data: undefined, connectionsPerOrigin: resolved.connectionsPerOrigin, insecureSkipTLSVerify: resolved.insecureSkipTLSVerify, hosts: resolved.hosts, maxRedirects: resolved.maxRedirects, timeoutMs: resolved.setupTimeoutMs, samplesPath });
  if (setup.error) {
    const at = setup.error.location ? ` (at ${setup.error.location})` : '';
    if (setup.aborted !== undefined && setup.aborted !== null) throw new AbortedError(`${TEST_ABORT_PREFIX}${setup.aborted} (in setup())`);
    if (setup.networkErrors > 0) throw new EnvironmentError(`target unreachable in setup(): ${setup.firstNetworkError}`);
    throw new AbortedError(`setup() failed: ${setup.error.message}${at}`);
  }
  try { structuredClone(setup.value); } catch (err) {
    throw new UsageError(`invalid setup() result: expected data that can be copied to worker threads (JSON-like), got ${(err as Error).message}`);
  }
  return setup;
}

/** teardown(data) after the workers stopped; a failure is an iteration error, not a failed run. */
export async function runTeardown(mod: BundleExports, env: Record<string, string>, resolved: ResolvedOptions, startAt: number, data: unknown, samplesPath?: string): Promise<{ result: LifecycleResult; errors: IterationError[] }> {
  const result = await mod.runLifecycle(mod.scenario, 'teardown', { env, startAt, data, connectionsPerOrigin: resolved.connectionsPerOrigin, insecureSkipTLSVerify: resolved.insecureSkipTLSVerify, hosts: resolved.hosts, maxRedirects: resolved.maxRedirects, timeoutMs: resolved.teardownTimeoutMs, samplesPath });
  const errors = result.error ? [{ message: `teardown() failed: ${result.error.message}`, location: result.error.location, count: 1 }] : [];
  return { result, errors };
}

/** The workers' iteration errors added up by message and place, most frequent first. */
export function mergeErrors(lists: IterationError[][]): IterationError[] {
  const map = new Map<string, IterationError>();
  for (const list of lists) for (const e of list) {
    const key = `${e.message}\u0000${e.location}`;
    const known = map.get(key);
    if (known) known.count += e.count;
    else map.set(key, { ...e });
  }
  return [...map.values()].sort((a, b) => b.count - a.count);
}
