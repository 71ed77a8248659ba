import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { invalid, UsageError } from '../contracts/errors.js';

export interface InitFlags {
  har: string[];
  openapi?: string;
  out: string;
  journey?: string;
  origin?: string;
  includeHost: string[];
  excludeHost: string[];
  keepStatic: boolean;
  pauseMs: string;
  force: boolean;
}

const repeat = (v: string, acc: string[]) => [...acc, v];

function readInput(file: string, what: string): string {
  if (!existsSync(file)) throw invalid(what, 'a readable file', file);
  return readFileSync(file, 'utf8');
}

export async function initCommand(flags: InitFlags, argv: readonly string[]): Promise<string> {
  if ((flags.har.length > 0) === (flags.openapi !== undefined)) throw new UsageError('invalid init: expected --har FILE (repeatable) or --openapi FILE|URL, one of them, got ' + (flags.openapi ? 'both' : 'neither'));
  const pauseMs = Number(flags.pauseMs);
  if (!Number.isFinite(pauseMs) || pauseMs <= 0) throw invalid('--pause-ms', 'a positive number of milliseconds', flags.pauseMs);
  if (flags.journey !== undefined && !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(flags.journey)) throw invalid('--journey', 'a function name (letters, digits, _)', flags.journey);
  if (flags.origin !== undefined && !/^https?:\/\/[^/]+\/?$/.test(flags.origin)) throw invalid('--origin', 'an origin such as https://staging.example.in', flags.origin);
  const out = resolve(flags.out);
  if (existsSync(out) && !flags.force) throw invalid('--out', 'a file that does not exist yet (or --force)', flags.out);
  const generatedBy = ['capacity-test init', ...argv].join(' ');
  let text: string;
  if (flags.har.length) {
    if (flags.journey && flags.har.length > 1) throw invalid('--journey', 'one recording (each of several is named after its file)', flags.journey);
    const { scenarioFromHars } = await import('../init/index.js');
    try {
      text = scenarioFromHars(flags.har.map((f) => ({ file: f, text: readInput(f, '--har'), journey: flags.journey })), {
        origin: flags.origin, includeHosts: flags.includeHost, excludeHosts: flags.excludeHost, keepStatic: flags.keepStatic, pauseMs,
      }, generatedBy);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`invalid --har ${flags.har.join(', ')}: ${(err as Error).message}`);
    }
  } else {
    const { loadOpenApi } = await import('../init/openapi.js');
    const { scenarioFromOpenApi } = await import('../init/index.js');
    text = scenarioFromOpenApi(await loadOpenApi(flags.openapi!), { source: flags.openapi!, origin: flags.origin }, generatedBy);
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  return out;
}

export function registerInit(program: Command): void {
  program.command('init')
    .description('write a runnable scenario from a browser recording (HAR) or an OpenAPI 3 document')
    .option('--har <file>', 'a HAR recording (dev tools, Playwright recordHar); repeatable: a journey each', repeat, [] as string[])
    .option('--openapi <file|url>', 'an OpenAPI 3 document (JSON or YAML), a file or an http(s) URL')
    .requiredOption('--out <file>', 'the scenario file to write (.ts)')
    .option('--journey <name>', 'the journey function\'s name (default: from the file name)')
    .option('--origin <url>', 'the application\'s origin (default: the first page recorded / the document\'s first server)')
    .option('--include-host <host>', 'a host of the application besides the origin (repeatable)', repeat, [] as string[])
    .option('--exclude-host <host>', 'a host to leave out (repeatable)', repeat, [] as string[])
    .option('--keep-static', 'keep static assets (scripts, styles, images, fonts) of the application\'s origin', false)
    .option('--pause-ms <ms>', 'a gap this long between requests starts a new step (think time)', '1000')
    .option('--force', 'overwrite --out', false)
    .addHelpText('after', '\nThen: capacity-test run <out> --env TARGET=<base URL>   (a smoke test: each journey once)\nExit codes: 0 written · 2 bad flag or unreadable input · 3 the OpenAPI URL is unreachable\n')
    .action(async (flags: InitFlags) => {
      const out = await initCommand(flags, process.argv.slice(3));
      process.stdout.write(`${out}\n`);
    });
}
