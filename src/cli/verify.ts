import type { Command } from 'commander';
import { ExitCode, invalid } from '../contracts/errors.js';
import { parseCpuShare } from '../run/cgroup.js';
import { catchInterrupts } from './interrupts.js';
import { numberFlag } from './numbers.js';
import { consoleProgress } from './progress-printer.js';

interface VerifyFlags { seconds: number; cpuShare?: number; instances?: number; lang: string; workers?: number; quiet?: boolean }

/**
 * `capacity-test verify <run-dir>`: the run's predicted N instances, each under the measured instance's
 * CPU share, offered the run's peak; then N − 1. Writes verification.json and re-renders the report.
 */
export function registerVerify(program: Command): void {
  program.command('verify')
    .description("check a run's sizing by measurement: its predicted N portal instances (and N − 1), each under the CPU share the measured instance ran under, offered the run's peak")
    .argument('<run-dir>', 'a launch-day or sweep run of the embedded portal, with a sizing (made with --cpu-share)')
    .option('--seconds <S>', 'how long each fleet is offered the peak (5–60)', numberFlag('--seconds'), 30)
    .option('--cpu-share <S>', "each instance's CPU quota in cores (default: the share the run's instance ran under)", (v: string) => parseCpuShare(v))
    .option('--instances <N>', "verify N instances (and N − 1) instead of the sizing's", numberFlag('--instances'))
    .option('--lang <lang>', 'report language: en | hi', 'en')
    .option('--workers <N>', 'engine worker threads', numberFlag('--workers'))
    .option('--quiet', 'no live progress')
    .addHelpText('after', '\nWrites <run-dir>/verification.json, <run-dir>/verify/<n>-instances/ and the report with its verification section.\nExit codes: 0 verified (N held the peak within ±15%, N − 1 did not) · 1 the prediction was wrong or the measurement inconclusive (verification.json says which term) · 2 bad run directory or flag · 3 no root or no cgroup cpu controller · 4 interrupted\n')
    .action(async (runDir: string, f: VerifyFlags) => {
      if (f.lang !== 'en' && f.lang !== 'hi') throw invalid('--lang', 'en or hi', f.lang);
      const { verifyRun } = await import('../run/verify.js');
      const interrupts = catchInterrupts();
      try {
        const r = await verifyRun({
          runDir, seconds: f.seconds, lang: f.lang, workers: f.workers, signal: interrupts.signal,
          ...(f.cpuShare !== undefined ? { cpuShare: f.cpuShare } : {}), ...(f.instances !== undefined ? { instances: f.instances } : {}),
          observers: f.quiet ? [] : [consoleProgress()],
        });
        const v = r.verification;
        process.stderr.write(`verify: ${v.finding}: ${v.explanation}\n`);
        process.stdout.write(`${r.path}\n${r.reportPath}\n`);
        process.exitCode = v.finding === 'verified' && v.withinTarget ? ExitCode.ok : ExitCode.failed;
      } finally {
        interrupts.dispose();
      }
    });
}
