/**
 * From a scenario file to a K8sPlan (I/O at the edge): the engine's own esbuild bundle, the data
 * files the user names, the scenario's planned length (for the runners' deadline), and the YAML files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { UsageError, invalid } from '../contracts/errors.js';
import { bundleScenario } from '../engine/bundle.js';
import { resolveOptions } from '../engine/options.js';
import { SCENARIO_DIR_KEY } from '../scenario-api/index.js';
import type { Manifests, ScenarioFile } from './manifests.js';

/** A ConfigMap holds at most 1 MiB (etcd's object limit); refuse before a cluster does. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/** A DNS-1123 label short enough for `<name>-runners-<index>` pod host names (≤ 63). */
export function testName(scenarioFile: string, now: Date): string {
  const base = basename(scenarioFile).replace(/\.[cm]?[jt]s$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'test';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15).toLowerCase();
  return `ct-${base.slice(0, 20).replace(/-+$/, '')}-${stamp}`;
}

/** The key of a file in the ConfigMap ([-._a-zA-Z0-9]+), unique by its position. */
function keyOf(path: string, i: number): string {
  return `f${i}-${basename(path).replace(/[^-._a-zA-Z0-9]/g, '_')}`;
}

export interface ScenarioPackage {
  bundleKey: string;
  files: ScenarioFile[];
  /** the scenario's planned length with its graceful stops (ms) */
  hardEndMs: number;
  baselineKey?: string;
}

/**
 * Bundle the scenario as the engine does and gather its data files (paths relative to the scenario
 * file, kept: `open('./data/users.json')` finds the same file under /scenario) and a baseline.
 */
export async function packageScenario(scenarioFile: string, dataFiles: readonly string[], env: Record<string, string>, baseline?: string): Promise<ScenarioPackage> {
  const scenarioDir = dirname(resolve(scenarioFile));
  const bundle = await bundleScenario(scenarioFile);
  try {
    // gzip: the bundle holds its inline source map (a few MB), a ConfigMap at most 1 MiB
    const bundleKey = `${basename(scenarioFile).replace(/\.[cm]?[jt]s$/, '').replace(/[^-._a-zA-Z0-9]/g, '_')}.bundle.mjs.gz`;
    const files: ScenarioFile[] = [{ key: bundleKey, path: bundleKey, bytes: gzipSync(readFileSync(bundle.bundlePath), { level: 9 }) }];
    dataFiles.forEach((f, i) => {
      const abs = resolve(f);
      const rel = relative(scenarioDir, abs);
      if (rel.startsWith('..') || rel === '' || rel.split(sep).includes('..')) {
        throw invalid('--data', `a file in the scenario's folder ${scenarioDir} or below it`, f);
      }
      let bytes: Buffer;
      try { bytes = readFileSync(abs); } catch { throw invalid('--data', 'a readable file', f); }
      files.push({ key: keyOf(rel, i), path: rel.split(sep).join('/'), bytes });
    });
    let baselineKey: string | undefined;
    if (baseline) {
      let bytes: Buffer;
      try { bytes = readFileSync(baseline); } catch { throw invalid('--baseline', 'a readable summary.json', baseline); }
      baselineKey = 'baseline.summary.json';
      files.push({ key: baselineKey, path: baselineKey, bytes });
    }
    const total = files.reduce((n, f) => n + f.bytes.length, 0);
    if (total > CONFIGMAP_MAX_BYTES) {
      throw new UsageError(`invalid scenario ${scenarioFile}: expected a bundle and data files of at most ${CONFIGMAP_MAX_BYTES} bytes (one ConfigMap), got ${total} bytes`);
    }
    const hardEndMs = await plannedEnd(bundle.bundlePath, scenarioDir, env);
    return { bundleKey, files, hardEndMs, baselineKey };
  } finally {
    bundle.cleanup();
  }
}

/** The scenario's options, read by importing its bundle as the engine does (its init code runs once). */
async function plannedEnd(bundlePath: string, scenarioDir: string, env: Record<string, string>): Promise<number> {
  const g = globalThis as Record<string | symbol, unknown>;
  g.__ENV = { ...process.env, ...env };
  g[SCENARIO_DIR_KEY] = scenarioDir;
  const mod = (await import(pathToFileURL(bundlePath).href)) as { scenario: Record<string, unknown> };
  const exported = new Set(Object.keys(mod.scenario).filter((k) => typeof mod.scenario[k] === 'function'));
  return resolveOptions(mod.scenario.options, exported).hardEndMs;
}

export const MANIFEST_FILES = {
  resultsClaim: '00-results-claim.yaml',
  configMap: '10-scenario-configmap.yaml',
  runners: '20-runners-job.yaml',
  merge: '30-merge-job.yaml',
  kustomization: 'kustomization.yaml',
} as const;

function yaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Write one YAML file per object and a kustomization listing them (`kubectl apply -k DIR`). */
export function writeManifests(dir: string, m: Manifests): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (file: string, obj: unknown) => { writeFileSync(join(dir, file), yaml(obj)); written.push(file); };
  if (m.resultsClaim) put(MANIFEST_FILES.resultsClaim, m.resultsClaim);
  put(MANIFEST_FILES.configMap, m.configMap);
  put(MANIFEST_FILES.runners, m.runners);
  put(MANIFEST_FILES.merge, m.merge);
  writeFileSync(join(dir, MANIFEST_FILES.kustomization), yaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...written] }));
  return [...written, MANIFEST_FILES.kustomization];
}

/** The ConfigMap's files laid out as the pods see them under /scenario (for the local stand-in). */
export function materialiseScenario(dir: string, files: readonly ScenarioFile[]): void {
  for (const f of files) {
    const to = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, f.bytes);
  }
}
