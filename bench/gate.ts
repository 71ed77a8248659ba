/**
 * bench/gate: does the gate cry wolf, and does it still catch a regression? The same quick launch day
 * is run N times against one build; every pair of those runs (earlier as baseline) is gated, and each
 * run against the committed baseline: every failure there is a false alarm. Then K runs with one
 * endpoint made slower by the portal's own fault injection (+X% of its median p95 in the clean runs,
 * all day long, through a profile's `faults`) are gated against every clean run: a failure naming that
 * endpoint is a catch. Each comparison is made twice — the gate as it is (fixed limit AND the
 * per-second windows) and the fixed limits alone (the same summaries without their windows).
 * Prints figures, asserts nothing; bounded by --runs, --fault-runs and a timeout per run.
 *
 *   npm run build && nice node dist/bench/gate.js [--runs 10] [--fault-runs 5] [--endpoint 'POST /api/v1/register']
 *       [--increase 0.2] [--out DIR] [--seconds-per-run-timeout 300]
 *
 * Runs already in --out (a summary.json in clean-i/ or fault-<ms>ms-i/) are kept, so an interrupted
 * bench resumes; delete the directory to start over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareSummaries, type GateResult } from '../src/gate/compare.js';
import { parseSummary } from '../src/gate/load.js';
import type { Summary } from '../src/contracts/summary.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/capacity-test.js');
const BASELINE = join(ROOT, 'reports/baselines/launch-day-quick.json');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const runs = Number(flag('runs', '10'));
const faultRuns = Number(flag('fault-runs', '5'));
const endpoint = flag('endpoint', 'POST /api/v1/register');
const increase = Number(flag('increase', '0.2'));
const out = flag('out', join(ROOT, 'reports/bench-gate'));
const timeoutMs = Number(flag('seconds-per-run-timeout', '300')) * 1000;
mkdirSync(out, { recursive: true });

function summaryOf(dir: string): Summary {
  return parseSummary(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')), dir);
}

/** One quick launch day into `dir` (skipped when it holds a summary already). */
function quickDay(dir: string, extra: string[] = []): Summary {
  if (!existsSync(join(dir, 'summary.json'))) {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [BIN, 'launch-day', '--quick', '--quiet', '--out', dir, ...extra], { encoding: 'utf8', timeout: timeoutMs });
    process.stderr.write(`${dir}: exit ${r.status ?? r.signal} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    if (!existsSync(join(dir, 'summary.json'))) throw new Error(`${dir}: no summary.json (exit ${r.status ?? r.signal}): ${r.stderr.slice(-400)}`);
  }
  return summaryOf(dir);
}

const withoutWindows = (s: Summary): Summary => { const c = structuredClone(s); delete c.latencyWindows; return c; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/** `latencyFailed`: comparisons failed by a latency check (what the statistics decide; a failed threshold fails both gates alike) */
interface Tally { comparisons: number; failed: number; latencyFailed: number; latencyRegressions: number; inconclusive: number }
const tally = (): Tally => ({ comparisons: 0, failed: 0, latencyFailed: 0, latencyRegressions: 0, inconclusive: 0 });
function count(t: Tally, r: GateResult): void {
  t.comparisons += 1;
  if (!r.pass) t.failed += 1;
  const lat = r.verdicts.filter((v) => v.metric === 'p95' || v.metric === 'p99');
  t.latencyRegressions += lat.filter((v) => v.outcome === 'regression').length;
  if (lat.some((v) => v.outcome === 'regression')) t.latencyFailed += 1;
  t.inconclusive += lat.filter((v) => v.outcome === 'inconclusive').length;
}
const caught = (r: GateResult): boolean => r.verdicts.some((v) => v.scope === endpoint && (v.metric === 'p95' || v.metric === 'p99') && v.outcome === 'regression');

// 1. the same build, N times
const clean = Array.from({ length: runs }, (_, i) => quickDay(join(out, `clean-${i + 1}`)));
const baseline = parseSummary(JSON.parse(readFileSync(BASELINE, 'utf8')), BASELINE);
const alarms = { gate: tally(), fixed: tally() };
const pipeline = { gate: tally(), fixed: tally() };
for (let i = 0; i < clean.length; i++) {
  for (let j = i + 1; j < clean.length; j++) {
    count(alarms.gate, compareSummaries(clean[i], clean[j]));
    count(alarms.fixed, compareSummaries(withoutWindows(clean[i]), withoutWindows(clean[j])));
  }
  count(pipeline.gate, compareSummaries(baseline, clean[i]));
  count(pipeline.fixed, compareSummaries(withoutWindows(baseline), withoutWindows(clean[i])));
}

// 2. one endpoint slower by `increase` of its median p95, all day
const p95s = clean.map((s) => s.endpoints[endpoint]?.latencyMs.p95).filter((v): v is number => typeof v === 'number');
if (!p95s.length) throw new Error(`no clean run measured ${endpoint}`);
const addMs = Math.max(1, Math.ceil(increase * median(p95s)));
const start = String((JSON.parse(readFileSync(join(out, 'clean-1/run.json'), 'utf8')) as { extra?: { simulatedStart?: string } }).extra?.simulatedStart ?? '08:55');
const profile = join(out, `fault-${addMs}ms.json`);
writeFileSync(profile, JSON.stringify({ faults: [{ at: start, latencyMs: addMs, route: endpoint }] }, null, 2));
const slow = Array.from({ length: faultRuns }, (_, i) => quickDay(join(out, `fault-${addMs}ms-${i + 1}`), ['--profile', profile]));
const catches = { gate: { ...tally(), caught: 0 }, fixed: { ...tally(), caught: 0 } };
for (const s of slow) {
  for (const b of clean) {
    const g = compareSummaries(b, s), f = compareSummaries(withoutWindows(b), withoutWindows(s));
    count(catches.gate, g); count(catches.fixed, f);
    if (caught(g)) catches.gate.caught += 1;
    if (caught(f)) catches.fixed.caught += 1;
  }
}

const result = {
  runs, faultRuns, endpoint, increase, addMs, medianCleanP95Ms: median(p95s),
  cleanP95Ms: clean.map((s) => s.overall.latencyMs.p95), faultEndpointP95Ms: slow.map((s) => s.endpoints[endpoint]?.latencyMs.p95 ?? null),
  falseAlarms: alarms, pipelineAgainstCommittedBaseline: pipeline, catches,
};
writeFileSync(join(out, 'result.json'), JSON.stringify(result, null, 2) + '\n');
const pct = (a: number, b: number) => `${a}/${b} (${b ? Math.round((100 * a) / b) : 0}%)`;
process.stdout.write([
  `bench/gate: ${runs} quick launch days of one build, ${faultRuns} with ${endpoint} +${addMs} ms (+${Math.round(increase * 100)}% of its median clean p95, ${median(p95s).toFixed(1)} ms)`,
  `clean runs' overall p95: ${clean.map((s) => s.overall.latencyMs.p95?.toFixed(0)).join(', ')} ms`,
  '',
  '| gate | false alarms: clean pairs failed (by a latency check) | README pipeline vs committed baseline: failed (by latency) | catches: fault runs failed on the slower endpoint |',
  '|---|---|---|---|',
  `| fixed limit AND per-second windows | ${pct(alarms.gate.failed, alarms.gate.comparisons)} (${alarms.gate.latencyFailed}) | ${pct(pipeline.gate.failed, pipeline.gate.comparisons)} (${pipeline.gate.latencyFailed}) | ${pct(catches.gate.caught, catches.gate.comparisons)} |`,
  `| fixed limits alone | ${pct(alarms.fixed.failed, alarms.fixed.comparisons)} (${alarms.fixed.latencyFailed}) | ${pct(pipeline.fixed.failed, pipeline.fixed.comparisons)} (${pipeline.fixed.latencyFailed}) | ${pct(catches.fixed.caught, catches.fixed.comparisons)} |`,
  '',
  `latency regressions called in clean pairs: gate ${alarms.gate.latencyRegressions}, fixed ${alarms.fixed.latencyRegressions} (inconclusive under the gate: ${alarms.gate.inconclusive})`,
  `figures in ${join(out, 'result.json')}`,
  '',
].join('\n'));
