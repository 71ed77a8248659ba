import { execFile } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../../bin/capacity-test.js');

/** The CLI in a child process without blocking this one (a test's server answers from here). */
export function cliAsync(args: string[], timeoutMs = 180_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: timeoutMs }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 4) : 0, stdout, stderr }));
  });
}
