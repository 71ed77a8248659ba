import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { buildManifests, runnerArgs, type K8sPlan } from '../../../src/k8s/manifests.js';
import { MANIFEST_FILES, writeManifests } from '../../../src/k8s/prepare.js';
import { completionIndex } from '../../../src/k8s/segment.js';

function plan(over: Partial<K8sPlan> = {}): K8sPlan {
  return {
    name: 'ct-smoke-20261202-150000', namespace: 'load', image: 'capacity-test:0.1.0', parallelism: 3,
    startAtMs: 1_796_000_000_000, runnersDeadlineSeconds: 600, bundleKey: 'smoke.bundle.mjs.gz',
    files: [
      { key: 'smoke.bundle.mjs.gz', path: 'smoke.bundle.mjs.gz', bytes: Buffer.from([0x1f, 0x8b, 0, 1, 2, 255]) },
      { key: 'f0-users.json', path: 'data/users.json', bytes: Buffer.from('[{"mobile":"+919876543210"}]') },
    ],
    env: { TARGET: 'http://portal.load.svc:8080' }, resources: { cpu: '2', memory: '1Gi' },
    results: { claim: 'ct-smoke-results', create: true, size: '1Gi' },
    ...over,
  };
}

/** kubernetes-models 4.5 ships the OpenAPI schemas of Kubernetes v1.33.0; validate() throws naming the bad field. */
function validate(obj: Record<string, unknown>): void {
  switch (obj.kind) {
    case 'Job': new Job(obj as never).validate(); break;
    case 'ConfigMap': new ConfigMap(obj as never).validate(); break;
    case 'PersistentVolumeClaim': new PersistentVolumeClaim(obj as never).validate(); break;
    default: throw new Error(`unexpected kind ${String(obj.kind)}`);
  }
}

describe('k8s manifests', () => {
  it('are valid against the Kubernetes v1.33 OpenAPI schemas, as objects and as the YAML files written', () => {
    const m = buildManifests(plan());
    for (const obj of [m.configMap, m.resultsClaim!, m.runners, m.merge]) validate(obj);
    const dir = mkdtempSync(join(tmpdir(), 'ctk8s-manifests-'));
    const files = writeManifests(dir, m);
    expect(files).toEqual([MANIFEST_FILES.resultsClaim, MANIFEST_FILES.configMap, MANIFEST_FILES.runners, MANIFEST_FILES.merge, MANIFEST_FILES.kustomization]);
    for (const f of files.slice(0, -1)) validate(parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
  });

  it('an invalid object is refused by the same validation (so the check above can fail)', () => {
    const m = buildManifests(plan());
    const bad = structuredClone(m.runners) as { spec: { completionMode: string } };
    bad.spec.completionMode = 'Sometimes';
    expect(() => validate(bad as never)).toThrow();
  });

  it('the runners Job is Indexed with completions = parallelism = N, never re-runs an index, and shares one start', () => {
    const p = plan({ parallelism: 5 });
    const spec = (buildManifests(p).runners as { spec: Record<string, any> }).spec;
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.completions).toBe(5);
    expect(spec.parallelism).toBe(5);
    expect(spec.backoffLimitPerIndex).toBe(0);
    expect(spec.maxFailedIndexes).toBe(5);
    expect(spec.template.spec.restartPolicy).toBe('Never');
    expect(spec.podFailurePolicy.rules.map((r: { action: string }) => r.action)).toEqual(['FailIndex', 'FailIndex']);
    expect(spec.podFailurePolicy.rules.some((r: any) => r.action === 'Ignore')).toBe(false);
    const args: string[] = spec.template.spec.containers[0].args;
    expect(args[args.indexOf('--start-at') + 1]).toBe(String(p.startAtMs));
    expect(args[args.indexOf('--count') + 1]).toBe('5');
    const c = spec.template.spec.containers[0];
    expect(c.securityContext.runAsNonRoot).toBe(true);
    expect(c.resources).toEqual({ requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } });
  });

  it('JOB_COMPLETION_INDEX 0..N-1 gives segments 1/N..N/N, each exactly once; other values are refused naming it', () => {
    const n = 4;
    const segments = Array.from({ length: n }, (_, i) => completionIndex({ JOB_COMPLETION_INDEX: String(i) }, n) + 1);
    expect(new Set(segments)).toEqual(new Set([1, 2, 3, 4]));
    expect(segments).toHaveLength(n);
    expect(() => completionIndex({ JOB_COMPLETION_INDEX: '4' }, n)).toThrow(/JOB_COMPLETION_INDEX.*0 to 3.*"4"/);
    expect(() => completionIndex({}, n)).toThrow(/JOB_COMPLETION_INDEX/);
  });

  it('the ConfigMap holds text as data and bytes as binaryData, mounted at the paths the scenario opens', () => {
    const p = plan();
    const m = buildManifests(p);
    const cm = m.configMap as { data: Record<string, string>; binaryData: Record<string, string>; immutable: boolean };
    expect(cm.immutable).toBe(true);
    expect(Buffer.from(cm.binaryData['smoke.bundle.mjs.gz'], 'base64').equals(p.files[0].bytes)).toBe(true);
    expect(cm.data['f0-users.json']).toBe(p.files[1].bytes.toString());
    const vol = (m.runners as any).spec.template.spec.volumes.find((v: { name: string }) => v.name === 'scenario');
    expect(vol.configMap.items).toContainEqual({ key: 'f0-users.json', path: 'data/users.json' });
    expect(runnerArgs(p)).toContain('/scenario/smoke.bundle.mjs.gz');
  });

  it('kubectl reads the written directory (kubectl kustomize: the files apply -k sends), with every object in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctk8s-kubectl-'));
    writeManifests(dir, buildManifests(plan()));
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    const kinds = parseAllDocuments(out).map((d) => (d.toJS() as { kind: string }).kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Job', 'Job', 'PersistentVolumeClaim']);
  });

  it('with an existing results claim writes none and mounts that one', () => {
    const m = buildManifests(plan({ results: { claim: 'shared-results', create: false, size: '1Gi' } }));
    expect(m.resultsClaim).toBeNull();
    const vol = (m.merge as any).spec.template.spec.volumes.find((v: { name: string }) => v.name === 'results');
    expect(vol.persistentVolumeClaim.claimName).toBe('shared-results');
  });
});
