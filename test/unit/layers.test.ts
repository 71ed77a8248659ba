import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dependency rule (docs/architecture.md): folders are the pipeline and imports only point down,
 *   cli → k8s → {run, live} → {engine, report, gate, init} → assess → {thresholds, rundir, analysis, profile} → {metrics, scenario-api} → data → contracts
 * read from the import graph of src/ (every `import … from` and `export … from` of a relative path, types
 * included, and every `import()`), not from a list kept by hand.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** Each folder's layer: a file may import from its own folder or from a folder of a lower layer. */
const LAYER: Record<string, number> = {
  cli: 9,
  // distributed tests: manifests, the runner and merge steps, the local stand-in (uses run/)
  k8s: 8,
  run: 7, live: 7,
  engine: 6, report: 6, gate: 6, init: 6,
  assess: 5,
  // k6 scripts and results: modules bundled into scripts, the transform, the NDJSON import (engine bundles through it)
  k6: 5,
  thresholds: 4, rundir: 4, analysis: 4, profile: 4,
  metrics: 3, 'scenario-api': 3,
  data: 2,
  // what every layer shares: schemas, errors and parsers, the version (src/*.ts)
  contracts: 1, types: 1, '.': 1,
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** The folder of src/ a file belongs to ('.' for a file directly in src/). */
function folderOf(file: string): string {
  const rel = relative(SRC, file).split('/');
  return rel.length === 1 ? '.' : rel[0];
}

/** Relative specifiers a file imports, re-exports or loads with import(). */
function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g)) out.push(m[1]);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)) out.push(m[1]);
  for (const m of source.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

interface Edge { from: string; to: string; fromFolder: string; toFolder: string }

function importGraph(): Edge[] {
  const edges: Edge[] = [];
  for (const file of tsFiles(SRC)) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + '/')) continue; // outside src/ (package.json, mock-portal): not a layer
      edges.push({ from: relative(ROOT, file), to: relative(ROOT, target), fromFolder: folderOf(file), toFolder: folderOf(target) });
    }
  }
  return edges;
}

describe('the dependency rule', () => {
  const edges = importGraph();

  it('gives every folder of src/ a layer', () => {
    const folders = new Set(tsFiles(SRC).map(folderOf));
    expect([...folders].filter((f) => !(f in LAYER))).toEqual([]);
  });

  it('reads the import graph of the whole tree', () => {
    // the graph holds the seams the rule is about (a reader that found nothing would pass any rule)
    const pairs = new Set(edges.map((e) => `${e.fromFolder}→${e.toFolder}`));
    for (const p of ['cli→run', 'run→engine', 'run→report', 'report→assess', 'assess→rundir', 'assess→thresholds', 'engine→thresholds', 'thresholds→metrics']) {
      expect(pairs).toContain(p);
    }
  });

  it('has no import from a higher layer, nor between two folders of one layer', () => {
    const up = edges.filter((e) => e.fromFolder !== e.toFolder && LAYER[e.toFolder] >= LAYER[e.fromFolder])
      .map((e) => `${e.from} → ${e.to} (${e.fromFolder}, layer ${LAYER[e.fromFolder]}, imports ${e.toFolder}, layer ${LAYER[e.toFolder]})`);
    expect(up).toEqual([]);
  });

  it('keeps report/ a renderer: it never imports run/ or engine/', () => {
    expect(edges.filter((e) => e.fromFolder === 'report' && (e.toFolder === 'run' || e.toFolder === 'engine')).map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });
});
