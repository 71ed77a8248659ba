import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { invalid } from '../contracts/errors.js';
import { usersFileChunks } from '../data/index.js';
import { parseCount, parseFigure } from '../profile/figures.js';

interface DataOptions { users: string; seed: string; out?: string; devanagariShare: string }

async function writeAll(out: Writable, chunks: Iterable<string>): Promise<void> {
  for (const c of chunks) if (!out.write(c)) await once(out, 'drain');
}

export function registerData(program: Command): void {
  program.command('data')
    .description('write seeded synthetic users (en_IN names, a share in Devanagari, unique +91 mobiles, Chhattisgarh districts)')
    .option('--users <n>', 'how many users (3lakh, 300k, 300000 …)', '1000')
    .option('--seed <n>', 'seed: same seed, same file', '1')
    .option('--devanagari-share <f>', 'share of names in Devanagari script', '0.2')
    .option('--out <file>', 'output file (default: stdout)')
    .action(async (opts: DataOptions) => {
      const count = parseCount(opts.users, 'users');
      if (count < 1 || count > 1_000_000_000) throw invalid('users', 'between 1 and 1,00,00,00,000', opts.users);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31) throw invalid('seed', 'a whole number from 0 to 2^31', opts.seed);
      const devanagariShare = parseFigure(opts.devanagariShare, 'devanagari share');
      if (devanagariShare > 1) throw invalid('devanagari share', 'a fraction from 0 to 1', opts.devanagariShare);
      const chunks = usersFileChunks({ count, seed, devanagariShare });
      if (opts.out) {
        const out = createWriteStream(opts.out);
        await writeAll(out, chunks);
        out.end();
        await once(out, 'finish');
        process.stderr.write(`wrote ${count} users (seed ${seed}) to ${opts.out}\n`);
      } else {
        await writeAll(process.stdout, chunks);
      }
    });
}
