import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../../bin/capacity-test.js');

export interface CliChild {
  /** resolves with the exit status and everything printed */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** the first line printed on stdout (a live page's URL) */
  firstLine: Promise<string>;
}

/**
 * The CLI as a child process that does not block this one (a server of the test keeps answering),
 * with its first stdout line as soon as it is printed.
 */
export function startCli(args: string[], timeoutMs: number): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  let stdout = '', stderr = '';
  let gotLine: (line: string) => void;
  const firstLine = new Promise<string>((r) => { gotLine = r; });
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    const nl = stdout.indexOf('\n');
    if (nl >= 0) gotLine(stdout.slice(0, nl));
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => { gotLine(''); resolve({ code, stdout, stderr }); });
  });
  return { done, firstLine };
}

/** The CLI in a child process without blocking this one (a test's server answers from here). */
export function cliAsync(args: string[], timeoutMs = 180_000): Promise<{ code: number; stdout: string; stderr: string }> {
  // killed by the timeout (no status): counted as the run aborted
  return startCli(args, timeoutMs).done.then((r) => ({ ...r, code: r.code ?? 4 }));
}
