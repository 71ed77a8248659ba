import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Dockerfile's stages: FROM line and the instructions after it (continuations joined). */
function stages(text: string): Array<{ from: string; lines: string[] }> {
  const joined = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out: Array<{ from: string; lines: string[] }> = [];
  for (const l of joined) {
    if (/^FROM\s/i.test(l)) out.push({ from: l, lines: [] });
    else out.at(-1)!.lines.push(l);
  }
  return out;
}

// docker cannot build on this machine (no Docker engine): the image's properties are checked by reading it
describe('Dockerfile of the engine image', () => {
  const text = readFileSync(fileURLToPath(new URL('../../../Dockerfile', import.meta.url)), 'utf8');
  const all = stages(text);
  const final = all.at(-1)!;

  it('runs on Node 20 and builds in a separate stage', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(final.from).toMatch(/^FROM node:20[-\w.]*$/);
  });

  it('has no compiler and no browser in the image that runs', () => {
    const run = final.lines.filter((l) => /^RUN\s/i.test(l)).join(' ');
    for (const banned of ['build-essential', 'gcc', 'g++', 'make ', 'python3', '-dev', 'chromium', 'playwright']) expect(run).not.toContain(banned);
    expect(final.lines.some((l) => /^COPY --from=build \/app\/node_modules/.test(l))).toBe(true);
  });

  it('runs as a non-root user, the uid the manifests name', () => {
    const user = final.lines.filter((l) => /^USER\s/i.test(l)).at(-1);
    expect(user).toBeDefined();
    const uid = user!.split(/\s+/)[1].split(':')[0];
    expect(uid).not.toBe('0');
    expect(uid).not.toBe('root');
    expect(uid).toBe('10001');
  });

  it('starts the CLI the manifests call', () => {
    expect(final.lines).toContain('ENTRYPOINT ["node", "/app/bin/capacity-test.js"]');
  });
});
