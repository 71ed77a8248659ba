import { Command } from 'commander';
import { z } from 'zod';
import { issueError } from '../contracts/issues.js';
import { consoleProgress } from './progress-printer.js';
import { catchInterrupts } from './interrupts.js';
import { addLiveOptions, startLive } from './live-flags.js';
import { parseCpuShare } from '../run/cgroup.js';

const flagsSchema = z.object({
  target: z.string().optional(),
  mode: z.enum(['resilient', 'as-built']),
  quick: z.boolean(),
  out: z.string().optional(),
  lang: z.enum(['en', 'hi']),
  baseline: z.string().optional(),
  seed: z.coerce.number().int().nonnegative(),
  workers: z.coerce.number().int().positive().optional(),
  quiet: z.boolean(),
  findLimit: z.boolean(),
  insecure: z.boolean(),
  hostHeader: z.string().optional(),
  profile: z.string().optional(),
  scenario: z.string().optional(),
  metricsUrl: z.array(z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) URL of a Prometheus endpoint')),
  metricsSeries: z.string().optional(),
  scale: z.coerce.number().positive().max(1).optional(),
  timeScale: z.coerce.number().positive().optional(),
  cpuShare: z.number().optional(),
  remoteWrite: z.string().optional(),
  dashboard: z.boolean().optional(),
  dashboardPort: z.string().optional(),
});

/** zod issue → "invalid --flag: expected …, got …" naming the bad value. */
export function parseFlags<T>(schema: z.ZodType<T>, raw: Record<string, unknown>): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const flag = '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  throw issueError(flag, issue, raw[key]);
}

/** --metrics-series: a list, or a file holding one. */
async function seriesOf(value: string | undefined): Promise<string[] | undefined> {
  if (value === undefined) return undefined;
  const { existsSync, readFileSync } = await import('node:fs');
  const { parseSeriesList } = await import('../report/metric-series.js');
  return parseSeriesList(existsSync(value) ? readFileSync(value, 'utf8') : value);
}

export function registerLaunchDay(program: Command): void {
  addLiveOptions(program.command('launch-day')
    .description('the main job: reference portal (unless --target), launch-day traffic, engine, server scrape, capacity report, optional gate')
    .option('--target <url>', 'run against this portal instead of the embedded reference portal')
    .option('--mode <mode>', 'reference portal build: resilient | as-built', 'resilient')
    .option('--quick', 'a short version (under 2 minutes)', false)
    .option('--out <dir>', 'run directory (default reports/<run-id>/)')
    .option('--lang <lang>', 'report language: en | hi', 'en')
    .option('--baseline <file>', 'gate against this baseline summary.json or run dir')
    .option('--seed <n>', 'seed for generated data', '1')
    .option('--workers <n>', 'generator worker threads (default: cores not used by the portal)')
    .option('--profile <file>', 'traffic profile (JSON or YAML)')
    .option('--metrics-url <url>', 'a Prometheus endpoint to scrape every second during the run (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--metrics-series <list|file>', 'series of those endpoints to chart: names separated by commas, or a file of names')
    .option('--scenario <file>', 'your scenario: the traffic model drives its exported journeys (newUser, returningUser, statusChecker, browser, a journeys: map in --profile, or its single journey)')
    .option('--scale <fraction>', 'fraction of real load to generate (0–1)')
    .option('--time-scale <n>', 'compress simulated time by this factor')
    .option('--cpu-share <S>', 'the embedded portal in its own cgroup with a CPU quota of S of one core, e.g. 0.5 (root; what `verify` repeats)', (v: string) => parseCpuShare(v))
    .option('--insecure', "accept --target's TLS certificate whatever it is (a staging server's self-signed one; k6's insecureSkipTLSVerify)", false)
    .option('--host-header <name>', "send this name as the Host header and TLS server name to --target's address (a staging server behind a shared address)")
    .option('--quiet', 'no live progress', false)
    .option('--no-find-limit', 'when the replay held every load level, do not follow it with a short stepped sweep of the day\'s journeys in their peak shares (about a minute, 25 s with --quick) that finds one instance\'s limit'))
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(flagsSchema, raw);
      const { launchDay } = await import('../run/launch-day.js');
      const live = await startLive(flags, (line) => process.stdout.write(`${line}\n`));
      const interrupts = catchInterrupts();
      try {
        const outcome = await launchDay({
          ...flags, profileFile: flags.profile, metricsUrls: flags.metricsUrl, metricsSeries: await seriesOf(flags.metricsSeries), observers: [...(flags.quiet ? [] : [consoleProgress()]), ...live.observers],
          signal: interrupts.signal,
          command: ['launch-day', ...process.argv.slice(3)].join(' '),
        });
        live.reportReady(outcome.reportPath);
        for (const line of await live.finish()) process.stderr.write(`${line}\n`);
        process.stdout.write(`${outcome.reportPath}\n`);
        process.exitCode = outcome.exitCode;
        await live.linger();
      } finally {
        interrupts.dispose();
        await live.close();
      }
    });
}
