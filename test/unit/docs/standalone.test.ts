import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../../../src/profile/index.js';

/**
 * The repository stands alone: a newcomer needs nothing outside it. No shipped file points at the
 * design notes the project started from (they live outside the repository), and every link in the
 * docs, and every `docs/<file>.md#<section>` a source names, resolves to a file and heading in the repo.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCANNED = ['src', 'mock-portal', 'scenarios', 'bench', 'docs', 'README.md'];
const SKIP = new Set(['node_modules', 'dist', '.git', '.wt', 'reports']);
// Names of files outside the repository; built from parts so that this file does not name them whole.
const OUTSIDE = [['shared', '/'], ['DESIGN', '.md'], ['ENGINE-MEASUREMENTS', '.md'], ['LAUNCH-DAY-FACTS', '.md']].map((p) => p.join(''));

function filesUnder(path: string): string[] {
  const abs = join(ROOT, path);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return [path];
  return readdirSync(abs, { withFileTypes: true })
    .filter((e) => !SKIP.has(e.name))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(path, e.name)) : [join(path, e.name)]));
}

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const isText = (path: string): boolean => /\.(ts|js|mjs|cjs|json|ya?ml|md|sh|txt|html|css)$/.test(path) || !/\.[^/]+$/.test(path);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of stripCode(markdown).split('\n')) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = h[1].toLowerCase().replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** Markdown without fenced blocks and inline code, whose brackets are not links. */
function stripCode(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

function links(markdown: string): string[] {
  return [...stripCode(markdown).matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** Why a link from `from` to `target` does not resolve, or null when it does. */
function brokenLink(from: string, target: string): string | null {
  if (/^[a-z]+:/i.test(target)) return null; // http:, https:, mailto:: outside the repository by design
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = pathPart === '' ? from : relative(ROOT, resolve(ROOT, dirname(from), decodeURIComponent(pathPart)));
  if (file.startsWith('..')) return `${target} leaves the repository`;
  if (!existsSync(join(ROOT, file))) return `${target}: no file ${file}`;
  if (anchor !== undefined && file.endsWith('.md') && !headingAnchors(read(file)).has(anchor)) return `${target}: no heading #${anchor} in ${file}`;
  return null;
}

describe('the repository stands alone', () => {
  it('no source, scenario, bench or doc names a file outside the repository', () => {
    const hits: string[] = [];
    for (const path of SCANNED.flatMap(filesUnder).filter(isText)) {
      const text = read(path);
      text.split('\n').forEach((line, i) => {
        for (const name of OUTSIDE) if (line.includes(name)) hits.push(`${path}:${i + 1}: ${name}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('every relative link in docs/*.md and the READMEs resolves to a file (and heading) in the repository', () => {
    const docs = [...filesUnder('docs').filter((p) => p.endsWith('.md')), 'README.md', 'mock-portal/README.md', 'scenarios/README.md']
      .filter((p) => existsSync(join(ROOT, p)));
    expect(docs).toContain('docs/sources.md');
    const broken: string[] = [];
    let checked = 0;
    for (const doc of docs) {
      for (const target of links(read(doc))) {
        checked++;
        const why = brokenLink(doc, target);
        if (why) broken.push(`${doc}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it('every repository path the docs name in code spans exists', () => {
    const missing: string[] = [];
    let named = 0;
    for (const doc of filesUnder('docs').filter((p) => p.endsWith('.md'))) {
      for (const m of read(doc).matchAll(/`((?:src|mock-portal|scenarios|bench|test|scripts)\/[\w./-]*\.[a-z]+)`/g)) {
        named++;
        if (!existsSync(join(ROOT, m[1]))) missing.push(`${doc}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
    expect(named).toBeGreaterThan(20);
  });

  it('every docs/<file>.md#<section> named in the code resolves to a heading of that file', () => {
    const broken: string[] = [];
    const named = new Set<string>();
    for (const path of [...SCANNED, 'test'].flatMap(filesUnder).filter((p) => isText(p) && !p.endsWith('.md'))) {
      for (const m of read(path).matchAll(/\bdocs\/([a-z0-9-]+\.md)(?:#([a-z0-9-]+))?/g)) {
        named.add(m[0]);
        const why = brokenLink('README.md', `docs/${m[1]}${m[2] ? `#${m[2]}` : ''}`);
        if (why) broken.push(`${path}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
    expect(named.size).toBeGreaterThan(5);
  });

  it('every traffic-model default names the section of docs/sources.md that gives its origin', () => {
    const anchors = headingAnchors(read('docs/sources.md'));
    for (const [name, p] of Object.entries(DEFAULTS)) {
      const m = /\(docs\/sources\.md#([a-z0-9-]+)\)$/.exec(p.source);
      expect(m, `${name}: ${p.source}`).not.toBeNull();
      expect(anchors.has(m![1]), `${name}: #${m![1]} is not a heading of docs/sources.md`).toBe(true);
    }
  });
});

describe('headingAnchors', () => {
  it("follows GitHub's rule: lower case, punctuation dropped, spaces to hyphens, repeats numbered", () => {
    const a = headingAnchors('# A B\n## summary.json\n## HDR histograms are merged, never averaged\n## A B\n```\n# not a heading\n```\n<a id="own"></a>');
    expect([...a]).toEqual(['a-b', 'summaryjson', 'hdr-histograms-are-merged-never-averaged', 'a-b-1', 'own']);
  });
});
