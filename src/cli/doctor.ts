import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Check { name: string; ok: boolean; detail: string }

function tryLoad(name: string): Check {
  try {
    const mod = require(name) as Record<string, unknown>;
    const version = (require(`${name}/package.json`) as { version: string }).version;
    return { name, ok: Boolean(mod), detail: version };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message.split('\n')[0] };
  }
}

/** What is installed and usable: node, canvas, chromium, cores. Exit 3 when something needed is missing. */
export function doctorChecks(): Check[] {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  return [
    { name: 'node', ok: nodeMajor >= 20, detail: process.versions.node },
    { name: 'cores', ok: availableParallelism() >= 1, detail: String(availableParallelism()) },
    tryLoad('canvas'),
    tryLoad('better-sqlite3'),
    { name: 'chromium', ok: existsSync('/usr/bin/chromium'), detail: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : 'absent: run npm run setup' },
  ];
}

export function registerDoctor(program: Command): void {
  program.command('doctor')
    .description('what is installed and usable: node, canvas, chromium, cores')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const checks = doctorChecks();
      if (opts.json) process.stdout.write(JSON.stringify(checks, null, 2) + '\n');
      else for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'MISSING'} ${c.name.padEnd(15)} ${c.detail}\n`);
      if (checks.some((c) => !c.ok)) process.exitCode = 3;
    });
}
