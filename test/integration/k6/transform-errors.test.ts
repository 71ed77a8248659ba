import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleScenario } from '../../../src/engine/bundle.js';
import { K6TransformError } from '../../../src/k6/transform/index.js';

function scriptDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ct-k6-transform-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('a k6 script the transform cannot run stops before the run, at its own file and line', () => {
  it('names the helper file and line of a request inside a check callback (TypeScript)', async () => {
    const dir = scriptDir({
      'helpers.ts': `import http from 'k6/http';\nimport { check } from 'k6';\n\ntype R = { status: number };\nexport function verify(url: string): void {\n  check(null, {\n    'reachable': () => (http.get(url) as unknown as R).status === 200,\n  });\n}\n`,
      'main.ts': `import { verify } from './helpers.ts';\nexport default function (): void { verify(__ENV.BASE); }\n`,
    });
    const err = await bundleScenario(join(dir, 'main.ts')).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(K6TransformError);
    const p = (err as K6TransformError).problems;
    expect(p).toHaveLength(1);
    expect(p[0].file).toBe(relative(process.cwd(), join(dir, 'helpers.ts')));
    expect(p[0].line).toBe(7);
    expect((err as Error).message).toMatch(/helpers\.ts:7:\d+: a check\(\) callback makes an HTTP request/);
  });

  it('refuses a k6 module it does not implement, by name', async () => {
    const dir = scriptDir({ 'ws.js': `import ws from 'k6/ws';\nexport default function () { ws.connect('ws://x'); }\n` });
    await expect(bundleScenario(join(dir, 'ws.js'))).rejects.toThrow(/k6\/ws is not supported by capacity-test/);
  });

  it('refuses a remote module with what to do instead', async () => {
    const dir = scriptDir({ 'r.js': `import { uuidv4 } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';\nimport http from 'k6/http';\nexport default function () { http.get(uuidv4()); }\n` });
    await expect(bundleScenario(join(dir, 'r.js'))).rejects.toThrow(/r\.js:1:\d+: remote module https:\/\/jslib\.k6\.io.* save it next to the script/);
  });
});
