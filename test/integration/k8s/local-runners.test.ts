import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { planMaker } from '../../../src/cli/k8s.js';
import { packageScenario, MANIFEST_FILES } from '../../../src/k8s/prepare.js';
import { runLocal, type LocalRunResult } from '../../../src/k8s/local.js';
import type { RunnerRecord } from '../../../src/gate/runners.js';
import { startTestPortal, type TestPortal } from '../portal/helper.js';
import { t } from '../../../src/report/i18n.js';
import { formatNumber } from '../../../src/report/format.js';

let portal: TestPortal;
beforeAll(async () => { portal = await startTestPortal(); });
afterAll(async () => { await portal.close(); });

/** The portal's own count of GET /api/v1/districts (its Prometheus histogram's _count). */
async function portalCount(): Promise<number> {
  const text = await (await fetch(`${portal.url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('portal_http_request_duration_seconds_count{') && l.includes('route="/api/v1/districts"'))
    .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}

function scenario(seconds: number, rate: number, countThreshold: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ctk8s-scenario-'));
  const file = join(dir, 'districts.js');
  writeFileSync(file, `
    import { appendFileSync } from 'node:fs';
    export const options = {
      scenarios: { a: { executor: 'constant-arrival-rate', rate: ${rate}, timeUnit: '1s', duration: '${seconds}s', preAllocatedVUs: 10, maxVUs: 60 } },
      thresholds: { http_req_failed: ['rate<0.01'], http_reqs: ['count>=${countThreshold}'] },
    };
    export default async function (vu) {
      const r = await vu.http.get(vu.env.TARGET + '/api/v1/districts', { tags: { name: 'GET /api/v1/districts' } });
      if (vu.env.RAW) appendFileSync(vu.env.RAW, r.timings.duration + '\\n');
    }`);
  return file;
}

async function local(file: string, env: Record<string, string>, out = mkdtempSync(join(tmpdir(), 'ctk8s-local-')), onRunnerStarted?: Parameters<typeof runLocal>[0]['onRunnerStarted']): Promise<{ out: string; r: LocalRunResult }> {
  const pkg = await packageScenario(file, [], env);
  const flags = { parallelism: '3', out, namespace: 'default', env: [], data: [], resultsSize: '1Gi' };
  const make = planMaker(flags, pkg, 'ct-test', 3);
  const r = await runLocal({ outDir: out, parallelism: 3, env, startDelayMs: 3000, makePlan: (e, at) => make(e, at, 3000), write: () => {}, onRunnerStarted });
  return { out, r };
}

function nsGone(r: LocalRunResult): boolean {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  return r.hosts.every((h) => !list.includes(h.ns));
}

describe('k8s --local: 3 runners in 3 network namespaces against one portal', () => {
  it('merges to the portal\'s own count, exact percentiles of the raw samples, thresholds on the merged data, one gate', async () => {
    const raw = join(mkdtempSync(join(tmpdir(), 'ctk8s-raw-')), 'raw.txt');
    const before = await portalCount();
    // 60/s × 4 s = 240 planned in all, about 80 a runner: count>=200 fails on a runner, passes merged
    const { out, r } = await local(scenario(4, 60, 200), { TARGET: portal.url, RAW: raw });
    expect(r.runnerExitCodes).toEqual([0, 0, 0]);
    expect(new Set(r.hosts.map((h) => h.ip)).size).toBe(3);
    expect(nsGone(r)).toBe(true);

    const merged = JSON.parse(readFileSync(join(r.mergedDir, 'summary.json'), 'utf8'));
    const served = (await portalCount()) - before;
    expect(merged.overall.requests).toBe(served);
    expect(served).toBeGreaterThan(0);

    const samples = readFileSync(raw, 'utf8').trim().split('\n').map(Number).sort((a, b) => a - b);
    expect(samples.length).toBe(served);
    for (const p of [50, 95, 99] as const) {
      const exact = samples[Math.max(0, Math.ceil((p / 100) * samples.length) - 1)];
      const got = merged.overall.latencyMs[`p${p}`];
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001);
    }

    // each runner judged count>=200 on its own count; the merge judges it once, on the count of all
    let own = 0;
    for (let i = 1; i <= 3; i++) {
      const seg = JSON.parse(readFileSync(join(out, 'runs', `segment-${i}`, 'run.json'), 'utf8'));
      expect(seg.segment).toBe(`${i}/3`);
      const c = seg.extra.thresholds.checks.find((x: { name: string }) => x.name === 'http_reqs');
      expect(c.value).toBeLessThan(served);
      own += c.value;
    }
    expect(own).toBe(served);
    const check = merged.thresholds.checks.find((c: { name: string }) => c.name === 'http_reqs');
    expect(check).toMatchObject({ pass: served >= 200, value: served });
    expect(merged.thresholds.pass).toBe(check.pass && merged.thresholds.checks.every((c: { pass: boolean }) => c.pass));
    expect(merged.runners.map((x: RunnerRecord) => [x.segment, x.status, x.host?.ip])).toEqual(r.hosts.map((h, i) => [`${i + 1}/3`, 'complete', h.ip]));
    expect(r.mergeExitCode).toBe(merged.thresholds.pass ? 0 : 1);

    // the ConfigMap carries, byte for byte, the bundle the runners ran
    const cm = parse(readFileSync(join(out, 'manifests', MANIFEST_FILES.configMap), 'utf8'));
    const key = r.plan.bundleKey;
    expect(Buffer.from(cm.binaryData[key], 'base64').equals(readFileSync(join(out, 'scenario', key)))).toBe(true);
    for (let i = 1; i <= 3; i++) expect(JSON.parse(readFileSync(join(out, 'runs', `segment-${i}`, 'run.json'), 'utf8')).scenario).toBe(join(out, 'scenario', key));
    expect(existsSync(join(r.mergedDir, 'report.html'))).toBe(true);
  }, 180_000);

  it('a runner killed with SIGKILL mid-run: the merge names it and the seconds it lacks, and the gate fails for that reason', async () => {
    let killed = false;
    const dir = mkdtempSync(join(tmpdir(), 'ctk8s-local-'));
    const { r } = await local(scenario(8, 30, 1), { TARGET: portal.url }, dir, (i, child) => {
      if (i !== 1) return;
      const log = join(dir, 'runs', 'segment-2', 'metrics', 'windows.partial.jsonl');
      const timer = setInterval(() => {
        // two finished seconds written: mid-run
        if (existsSync(log) && readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('[')).length >= 2) {
          clearInterval(timer);
          killed = child.kill('SIGKILL');
        }
      }, 100);
      child.once('exit', () => clearInterval(timer));
    });
    expect(killed).toBe(true);
    expect(r.runnerSignals[1]).toBe('SIGKILL');
    expect(r.mergeExitCode).toBe(1);
    const merged = JSON.parse(readFileSync(join(r.mergedDir, 'summary.json'), 'utf8'));
    const runner = merged.runners[1] as RunnerRecord;
    expect(runner.status).toBe('killed');
    expect(runner.missingSeconds.length).toBeGreaterThan(0);
    expect(runner.missingSeconds.at(-1)).toBe(7);
    expect(merged.runners.filter((x: RunnerRecord) => x.status === 'complete')).toHaveLength(2);
    const gate = readFileSync(join(r.mergedDir, 'gate.md'), 'utf8');
    expect(gate).toMatch(/runner 2\/3 \(ct-test-runners-1, [\d.]+\)/);
    expect(gate).toMatch(/missing seconds \d+(–\d+)?(, \d+(–\d+)?)*: its process ended during the run/);
    // the merged report's runners section: its row (pod · address · node) and the sentence naming it
    const page = readFileSync(join(r.mergedDir, 'report.html'), 'utf8');
    const from = page.indexOf('<section id="runners">');
    const section = page.slice(from, page.indexOf('</section>', from));
    expect(section).toContain(`<tr data-segment="2/3"><td>2/3</td><td class="name">ct-test-runners-1 · ${r.hosts[1].ip} · `);
    expect(section).toContain(`<td class="bad">${t('en', 'runners.status.missingSeconds')}</td>`);
    const [before] = t('en', 'runners.missingSeconds', { segment: '2/3', why: t('en', 'runners.why.killed'), missing: formatNumber(runner.missingSeconds.length), at: '\u0000' }).split('\u0000');
    expect(section).toContain(before);
    expect(section).toContain(t('en', 'runners.notAllFinished', { n: '3', f: '2' }));
    expect(nsGone(r)).toBe(true);
  }, 180_000);
});
