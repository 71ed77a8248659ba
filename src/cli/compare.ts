import type { Command } from 'commander';
import { invalid } from '../contracts/errors.js';

/** `capacity-test compare <run-a> <run-b> [--out DIR] [--lang en|hi]`: exit 0 once the page is written (the gate's verdict is on the page and on stderr; `gate` is the command that fails a pipeline). */
export function registerCompare(program: Command): void {
  program.command('compare')
    .description('a self-contained HTML comparison of two runs: percentiles over time on one axis, each endpoint with the gate\'s verdict, business outcomes side by side')
    .argument('<run-a>', 'the baseline run: a run directory (or its summary.json)')
    .argument('<run-b>', 'the run compared with it')
    .option('--out <dir>', 'write compare.html here (default: the current directory)')
    .option('--lang <lang>', 'page language: en or hi', 'en')
    .addHelpText('after', '\nThe verdicts are the gate\'s (`gate --baseline A --current B`). Exit codes: 0 page written · 2 bad input (the message names it)\n')
    .action(async (a: string, b: string, opts: { out?: string; lang: string }) => {
      if (opts.lang !== 'en' && opts.lang !== 'hi') throw invalid('--lang', 'en or hi', opts.lang);
      const { compareRuns } = await import('../run/compare.js');
      const r = await compareRuns(a, b, { out: opts.out, lang: opts.lang });
      process.stderr.write(`gate: B against A ${r.pass ? 'passes' : 'fails'} (the verdicts are on the page)\n`);
      process.stdout.write(`${r.path}\n`);
    });
}
