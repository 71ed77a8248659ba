import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

/**
 * Builds the CLI once per test file into a private copy (<root>/.e2e-build-*, so node_modules still
 * resolves), with the real launcher beside it: other test files running `tsc` into dist/ at the same
 * time cannot hand this one a half-written file.
 */
export function buildPrivateCli(): { bin: string; cleanup(): void } {
  const dir = mkdtempSync(join(root, '.e2e-build-'));
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', join(dir, 'dist')], { cwd: root, stdio: 'inherit' });
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(root, 'bin', 'capacity-test.js'), join(dir, 'bin', 'capacity-test.js'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  return { bin: join(dir, 'bin', 'capacity-test.js'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runCli(bin: string, args: string[], timeout = 90_000) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
