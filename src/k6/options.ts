/**
 * k6 options as capacity-test takes them: which of k6's documented options the engine honours (the
 * rest are named in a warning, never dropped in silence), and the `k6 run` flags laid over the
 * script's options as k6 does (a shortcut flag replaces the script's scenarios).
 */
import type { Options } from '../scenario-api/types.js';

/** k6 options the engine or the k6 layer honours. */
export const SUPPORTED_K6_OPTIONS = [
  'scenarios', 'vus', 'duration', 'iterations', 'stages', 'thresholds', 'tags', 'setupTimeout', 'teardownTimeout',
  'discardResponseBodies', 'maxRedirects', 'userAgent', 'summaryTrendStats', 'summaryTimeUnit', 'noColor', 'hosts',
  'insecureSkipTLSVerify',
  // ours, for k6 scripts that want them
  'connectionsPerOrigin',
] as const;

const SHORTCUTS = ['vus', 'duration', 'iterations', 'stages'] as const;

/** The option names of `options` that capacity-test does not honour. */
export function unsupportedOptions(options: unknown): string[] {
  if (typeof options !== 'object' || options === null) return [];
  const known = new Set<string>(SUPPORTED_K6_OPTIONS);
  return Object.keys(options).filter((k) => !known.has(k)).sort();
}

/** The env var that carries `k6 run`'s option flags to every thread (the engine passes env along). */
export const CLI_OPTIONS_ENV = 'CAPACITY_TEST_K6_OPTIONS';

/** k6's order: flags over the script's options; a shortcut flag (-u, -d, -i, -s) replaces its scenarios. */
export function layerOptions(script: Options | undefined, cli: Partial<Options> & { stages?: unknown } | undefined): Options {
  const base: Options & { stages?: unknown } = { ...(script ?? {}) };
  if (!cli) return base;
  const out: Options & { stages?: unknown } = { ...base };
  const shortcut = SHORTCUTS.some((k) => cli[k] !== undefined);
  if (shortcut) delete out.scenarios;
  // k6: duration, iterations or stages set in a higher tier replace all four of the lower tier's
  // (the script's `iterations: 6` does not survive `-d 2s`); two of them in one tier stay, for validation
  if (cli.duration !== undefined || cli.iterations !== undefined || cli.stages !== undefined) {
    delete out.duration; delete out.iterations; delete out.stages;
  }
  for (const [k, v] of Object.entries(cli)) {
    if (v === undefined) continue;
    if (k === 'tags') out.tags = { ...(base.tags ?? {}), ...(v as Record<string, string>) };
    else (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
