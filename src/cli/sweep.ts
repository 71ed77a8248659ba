import type { Command } from 'commander';
import { join } from 'node:path';
import { ExitCode, invalid } from '../contracts/errors.js';
import { catchInterrupts } from './interrupts.js';
import { parseWholeSeconds } from '../contracts/duration.js';
import { newRunId } from '../contracts/run-id.js';
import { planSweep, runSweep } from '../run/sweep.js';
import { numberFlag } from './numbers.js';
import { parseCpuShare } from '../run/cgroup.js';
import { consoleProgress } from './progress-printer.js';

interface SweepFlags {
  from: number; to: number; steps: number; stepDuration: string; warmup: string; target?: string; mode: string; out?: string;
  path?: string; peakRps?: number; sloP95Ms: number; sloErrorRate: number; headroom: number; workers?: number; quiet?: boolean; cpuShare?: number;
}

/** `capacity-test sweep`: stepped constant arrival rates → max sustainable, knee, USL, sizing. */
export function registerSweep(program: Command): void {
  program.command('sweep')
    .description('stepped constant arrival rates against a target (default: an embedded portal) → knee + USL + sizing')
    .option('--from <R>', 'first step rate, per second', numberFlag('--from'), 20)
    .option('--to <R>', 'last step rate, per second', numberFlag('--to'), 200)
    .option('--steps <N>', 'number of steps (≥ 6 for a USL fit)', numberFlag('--steps'), 8)
    .option('--step-duration <D>', 'duration of each step, e.g. 10s', '10s')
    .option('--warmup <D>', 'time at the first rate before step 1, not analysed', '2s')
    .option('--target <URL>', 'system under test (default: start the reference portal in-process)')
    .option('--mode <M>', 'embedded portal mode: resilient | as-built', 'resilient')
    .option('--path <P>', 'path requested on every arrival', '/api/v1/shops?district=Raipur')
    .option('--out <DIR>', 'run directory (default reports/<timestamp>-sweep/)')
    .option('--peak-rps <R>', 'peak demand to size the fleet for, per second', numberFlag('--peak-rps'))
    .option('--slo-p95-ms <MS>', 'SLO: p95 latency', numberFlag('--slo-p95-ms'), 800)
    .option('--slo-error-rate <E>', 'SLO: error rate', numberFlag('--slo-error-rate'), 0.01)
    .option('--headroom <H>', 'extra capacity on top of the queueing answer', numberFlag('--headroom'), 0.33)
    .option('--workers <N>', 'engine worker threads', numberFlag('--workers'))
    .option('--cpu-share <S>', 'the embedded portal in its own cgroup with a CPU quota of S of one core, e.g. 0.5 (root; what `verify` repeats)', (v: string) => parseCpuShare(v))
    .option('--quiet', 'no live progress')
    .addHelpText('after', '\nPrints JSON {maxSustainableRps, kneeRps, usl, instancesForPeak, …}; writes sweep.json and the run directory.\nExit codes: 0 ok · 2 bad flag · 3 target unreachable, --out not writable or no cgroup for --cpu-share · 4 aborted\n')
    .action(async (f: SweepFlags) => {
      if (f.mode !== 'as-built' && f.mode !== 'resilient') throw invalid('--mode', '"as-built" or "resilient"', f.mode);
      if (f.target !== undefined && !/^https?:\/\/[^\s/]+/.test(f.target)) throw invalid('--target', 'an http(s) URL', f.target);
      if (!f.path?.startsWith('/')) throw invalid('--path', 'a path starting with /', f.path);
      const plan = planSweep({ from: f.from, to: f.to, steps: f.steps, stepDurationSeconds: parseWholeSeconds(f.stepDuration, '--step-duration', 1),
        warmupSeconds: parseWholeSeconds(f.warmup, '--warmup') });
      const interrupts = catchInterrupts();
      const r = await runSweep({
        plan, outDir: f.out ?? join('reports', newRunId('sweep')), target: f.target?.replace(/\/+$/, '') ?? null,
        mode: f.mode, path: f.path, workers: f.workers, observers: f.quiet ? [] : [consoleProgress()], signal: interrupts.signal, command: process.argv.slice(2).join(' '),
        ...(f.cpuShare !== undefined ? { cpuShare: f.cpuShare } : {}),
        capacity: { slo: { p95Ms: f.sloP95Ms, errorRate: f.sloErrorRate }, peakDemandRps: f.peakRps ?? null, headroom: f.headroom },
      }).finally(() => interrupts.dispose());
      if (r.stoppedEarly) process.exitCode = ExitCode.aborted;
      const c = r.capacity;
      const usl = c.usl && { sigma: c.usl.sigma, kappa: c.usl.kappa, lambda: c.usl.lambda, nMax: c.usl.nMax, xMax: c.usl.xMax, r2: c.usl.r2 };
      process.stdout.write(JSON.stringify({
        runDir: r.runDir, target: r.target,
        steps: c.steps.map((s) => ({ offeredRps: s.offeredRps, throughputRps: s.throughputRps, p95Ms: s.p95Ms, errorRate: s.errorRate, sustained: s.sustained, reasons: s.reasons })),
        maxSustainableRps: c.maxSustainableRps, kneeRps: c.kneeRps, usl, peakDemandRps: c.peakDemandRps,
        instancesForPeak: c.instancesForPeak, sizing: c.sizing, saturatedSeconds: r.saturatedSeconds, notes: c.notes,
      }, null, 2) + '\n');
    });
}
