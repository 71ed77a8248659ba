import { main } from '../../src/cli/main.js';

/**
 * The CLI's `main` run in this process, its output captured instead of printed: fast, and it sees
 * what the test set up in this process. The exit code is returned, not set on the process.
 */
export async function cliInProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const err = process.stderr.write.bind(process.stderr), out = process.stdout.write.bind(process.stdout);
  let stdout = '', stderr = '';
  process.stderr.write = ((c: string) => { stderr += c; return true; }) as typeof process.stderr.write;
  process.stdout.write = ((c: string) => { stdout += c; return true; }) as typeof process.stdout.write;
  try {
    const code = await main(['node', 'capacity-test', ...args]);
    process.exitCode = undefined;
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = err;
    process.stdout.write = out;
  }
}
