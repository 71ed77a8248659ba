import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSummaries, type Verdict } from '../../../src/gate/compare.js';
import { renderJUnit, renderMarkdown } from '../../../src/gate/render.js';
import { appendStepSummary } from '../../../src/gate/step-summary.js';
import { parseSummary } from '../../../src/gate/load.js';
import type { Summary } from '../../../src/contracts/summary.js';
import { mulberry32 } from '../../../src/data/mulberry32.js';

const baseline = parseSummary(JSON.parse(readFileSync(new URL('./fixtures/baseline.summary.json', import.meta.url), 'utf8')), 'baseline');

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * The fixture with 60 seconds of windows: each endpoint's p95/p99 of a second is its whole-run figure
 * × the machine's factor of that second × noise; `busy` scales every endpoint of every second (and its
 * whole-run figures), `slow` one endpoint's.
 */
function withWindows(s: Summary, seed: number, o: { busy?: number; slow?: Record<string, number> } = {}): Summary {
  const rand = mulberry32(seed);
  const copy = structuredClone(s);
  const machine = Array.from({ length: 60 }, () => Math.exp(0.3 * normal(rand)) * (o.busy ?? 1));
  const factor = (name: string) => (o.busy ?? 1) * (o.slow?.[name] ?? 1);
  const column = (p95: number, p99: number, name: string) => {
    const k = o.slow?.[name] ?? 1;
    const p95s = machine.map((m) => p95 * 0.6 * m * k * Math.exp(0.25 * normal(rand)));
    return { requests: p95s.map(() => 20), p95Ms: p95s, p99Ms: p95s.map((v) => v * (p99 / p95)) };
  };
  const endpoints: Record<string, ReturnType<typeof column>> = {};
  for (const [name, e] of Object.entries(copy.endpoints)) {
    endpoints[name] = column(e.latencyMs.p95!, e.latencyMs.p99!, name);
    e.latencyMs.p95 = e.latencyMs.p95! * factor(name);
    e.latencyMs.p99 = e.latencyMs.p99! * factor(name);
  }
  copy.overall.latencyMs.p95 = copy.overall.latencyMs.p95! * (o.busy ?? 1);
  copy.overall.latencyMs.p99 = copy.overall.latencyMs.p99! * (o.busy ?? 1);
  copy.latencyWindows = { seconds: 1, overall: column(copy.overall.latencyMs.p95, copy.overall.latencyMs.p99, 'overall'), endpoints };
  return copy;
}

function find(vs: Verdict[], scope: string, metric: Verdict['metric']): Verdict {
  const v = vs.find((x) => x.scope === scope && x.metric === metric);
  if (!v) throw new Error(`no verdict ${scope} ${metric}`);
  return v;
}

describe('gate comparison with per-second windows', () => {
  const base = withWindows(baseline, 1);

  it('passes unchanged code on a machine 2.5× slower: above the limits, inconclusive, not failed', () => {
    const r = compareSummaries(base, withWindows(baseline, 2, { busy: 2.5 }));
    expect(r.pass).toBe(true);
    const orders = find(r.verdicts, 'POST /api/v1/orders', 'p95');
    expect(orders).toMatchObject({ status: 'info', outcome: 'inconclusive' });
    expect(orders.message).toContain('above the limit +20% and +5 ms');
    expect(orders.message).toMatch(/every endpoint moved ×2\.\d+ together/);
    expect(orders.evidence!.corrected).toBe(true);
    expect(find(r.verdicts, 'overall', 'p95').outcome).toBe('inconclusive');
    expect(r.outcomes.regression).toBe(0);
  });

  it('the same two runs fail on the fixed limits alone: the statistics are what keeps the gate quiet', () => {
    const strip = (s: Summary): Summary => { const c = structuredClone(s); delete c.latencyWindows; return c; };
    const r = compareSummaries(strip(base), strip(withWindows(baseline, 2, { busy: 2.5 })));
    expect(r.pass).toBe(false);
    expect(find(r.verdicts, 'POST /api/v1/orders', 'p95').message).toContain('judged on the fixed limit alone');
  });

  it('fails one endpoint made 60% slower on that busy machine, and names it alone', () => {
    const r = compareSummaries(base, withWindows(baseline, 2, { busy: 2.5, slow: { 'POST /api/v1/orders': 1.6 } }));
    expect(r.pass).toBe(false);
    const orders = find(r.verdicts, 'POST /api/v1/orders', 'p95');
    expect(orders).toMatchObject({ status: 'fail', outcome: 'regression' });
    expect(orders.message).toContain('the seconds say so');
    expect(orders.evidence!.ratio).toBeGreaterThan(1.3);
    expect(find(r.verdicts, 'POST /api/v1/register', 'p95').outcome).toBe('inconclusive');
  });

  it('calls a faster endpoint an improvement when its seconds are faster too', () => {
    const r = compareSummaries(base, withWindows(baseline, 3, { slow: { 'POST /api/v1/orders': 0.5 } }));
    expect(r.pass).toBe(true);
    expect(find(r.verdicts, 'POST /api/v1/orders', 'p95').outcome).toBe('improvement');
    expect(r.outcomes.improvement).toBeGreaterThan(0);
  });

  it('passes a run of the same build on the same machine, every latency check pass', () => {
    const r = compareSummaries(base, withWindows(baseline, 4));
    expect(r.pass).toBe(true);
    for (const v of r.verdicts.filter((x) => x.metric === 'p95' || x.metric === 'p99')) expect(v.outcome).toBe('pass');
  });
});

describe('what the gate writes about its statistics', () => {
  const base = withWindows(baseline, 1);
  const busy = compareSummaries(base, withWindows(baseline, 2, { busy: 2.5, slow: { 'POST /api/v1/orders': 1.6 } }));

  it('Markdown says regression, inconclusive and the seconds behind each', () => {
    const md = renderMarkdown(busy);
    expect(md).toMatch(/\| ❌ regression \| POST \/api\/v1\/orders \| p95 latency \|.*\| ×\d\.\d\d \[\d\.\d\d–\d\.\d\d\] vs others p=/);
    expect(md).toMatch(/- ❔ inconclusive \*\*POST \/api\/v1\/register\*\*: p95 .*not supported by the seconds/);
    expect(md).toContain(`**${busy.counts.fail}** regression(s), ${busy.verdicts.filter((v) => v.outcome === 'inconclusive' && (v.metric === 'p95' || v.metric === 'p99')).length} inconclusive`);
  });

  it('JUnit fails the regression and passes the inconclusive check, saying which it was', () => {
    const xml = renderJUnit(busy, '2026-12-03T00:00:00Z');
    expect(xml.match(/<failure /g)).toHaveLength(busy.counts.fail);
    expect(xml).toMatch(/<system-out>inconclusive: p95 [^<]*not supported by the seconds/);
    expect(xml).toMatch(/outcome: regression/);
  });

  it('appends the Markdown to $GITHUB_STEP_SUMMARY when it is set, and nothing when it is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-summary-'));
    try {
      const file = join(dir, 'summary.md');
      const { writeFileSync, readFileSync: read } = await import('node:fs');
      writeFileSync(file, '# earlier step\n');
      expect(await appendStepSummary('### Capacity gate: ✅ passed\n', { GITHUB_STEP_SUMMARY: file })).toBe(file);
      expect(read(file, 'utf8')).toBe('# earlier step\n### Capacity gate: ✅ passed\n\n');
      expect(await appendStepSummary('x', {})).toBeNull();
      const warnings: string[] = [];
      expect(await appendStepSummary('x', { GITHUB_STEP_SUMMARY: join(dir, 'no', 'such', 'dir') }, (l) => warnings.push(l))).toBeNull();
      expect(warnings[0]).toContain('could not append');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
