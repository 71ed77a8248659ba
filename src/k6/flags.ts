/**
 * `k6 run` flags as k6 documents them, turned into the options layered over the script's
 * (options.ts layerOptions) and the engine's segment. Pure; bad values throw naming the flag.
 */
import { invalid } from '../contracts/errors.js';
import type { Options } from '../scenario-api/types.js';

/** k6's exit codes that `k6 run` keeps (k6 docs: errext/exitcodes). */
export const K6_EXIT = { ok: 0, thresholdsFailed: 99, setupTimeout: 100, teardownTimeout: 101, invalidConfig: 104, externalAbort: 105, scriptException: 107, scriptAborted: 108 } as const;

export interface K6RunFlags {
  vus?: string;
  duration?: string;
  iterations?: string;
  stage: string[];
  env: string[];
  tag: string[];
  executionSegment?: string;
}

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

function positiveInt(v: string, flag: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw invalid(flag, 'a positive integer', v);
  return Number(v);
}

function duration(v: string, flag: string): string {
  if (!DURATION.test(v.trim())) throw invalid(flag, "a duration such as 30s, 5m or 1h30m", v);
  return v.trim();
}

/** `K=V` pairs of -e/--env or --tag. */
export function pairs(list: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw invalid(flag, 'KEY=VALUE', p);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** -u, -d, -i, -s, --tag → the options k6 lays over the script's. */
export function cliOptions(f: K6RunFlags): Partial<Options> & { stages?: Array<{ duration: string; target: number }> } {
  const o: Partial<Options> & { stages?: Array<{ duration: string; target: number }> } = {};
  if (f.vus !== undefined) o.vus = positiveInt(f.vus, '--vus');
  if (f.duration !== undefined) o.duration = duration(f.duration, '--duration');
  if (f.iterations !== undefined) o.iterations = positiveInt(f.iterations, '--iterations');
  if (f.stage.length) {
    o.stages = f.stage.map((s) => {
      const m = /^([^:]+):(\d+)$/.exec(s.trim());
      if (!m) throw invalid('--stage', 'DURATION:TARGET such as 30s:10', s);
      return { duration: duration(m[1], '--stage'), target: Number(m[2]) };
    });
  }
  if (f.tag.length) o.tags = pairs(f.tag, '--tag');
  return o;
}

function fraction(text: string, flag: string): number {
  const t = text.trim();
  const m = /^(\d+)\/(\d+)$/.exec(t);
  const v = m ? Number(m[1]) / Number(m[2]) : t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (!Number.isFinite(v) || v < 0 || v > 1 || (m && Number(m[2]) === 0)) throw invalid(flag, 'a fraction from 0 to 1 (1/3, 0.5, 50%)', text);
  return v;
}

/**
 * k6's --execution-segment "from:to" (a lone "to" means "0:to") as our segment i of n: equal shares
 * only (1/n wide, starting at a multiple of 1/n), which is how k6 runs split a test across instances.
 */
export function executionSegment(text: string): { index: number; count: number } {
  const parts = text.split(':');
  if (parts.length > 2) throw invalid('--execution-segment', 'FROM:TO such as 1/3:2/3', text);
  const from = parts.length === 2 ? fraction(parts[0], '--execution-segment') : 0;
  const to = fraction(parts[parts.length - 1], '--execution-segment');
  const width = to - from;
  const count = width > 0 ? Math.round(1 / width) : 0;
  const index = count > 0 ? Math.round(from * count) + 1 : 0;
  if (count < 1 || Math.abs(1 / width - count) > 1e-9 || Math.abs(from * count - (index - 1)) > 1e-9) {
    throw invalid('--execution-segment', 'an equal share i/n: from (i-1)/n to i/n, such as 1/3:2/3', text);
  }
  return { index, count };
}
