import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { invalid, UsageError } from '../contracts/errors.js';
import { fitUsl, type UslPoint } from '../analysis/usl.js';

/**
 * `capacity-test usl <csv>`: rows "concurrency,throughput" (a header line is optional; blank lines and
 * lines starting with # are skipped). Prints JSON {sigma,kappa,lambda,nMax,xMax,r2}.
 */
export function parseUslCsv(text: string, file = 'CSV'): UslPoint[] {
  const points: UslPoint[] = [];
  let seenData = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    const nums = cells.map((c) => (c === '' ? Number.NaN : Number(c)));
    const numeric = cells.length === 2 && nums.every(Number.isFinite);
    // The first non-blank line may be a header (no number in it).
    if (!seenData && !numeric && nums.every((n) => Number.isNaN(n))) { seenData = true; return; }
    seenData = true;
    if (!numeric || nums[0] <= 0 || nums[1] < 0) {
      throw invalid(`line ${i + 1} of ${file}`, 'concurrency > 0 and throughput >= 0 as "concurrency,throughput"', line);
    }
    points.push({ n: nums[0], x: nums[1] });
  });
  return points;
}

export function registerUsl(program: Command): void {
  program.command('usl')
    .description('fit the Universal Scalability Law to "concurrency,throughput" rows; prints JSON {sigma,kappa,lambda,nMax,xMax,r2}')
    .argument('<csv>', 'CSV file with concurrency,throughput rows (header optional)')
    .option('--full', 'also print standard errors and the 95% confidence band')
    .action(async (csv: string, opts: { full?: boolean }) => {
      let text: string;
      try {
        text = await readFile(csv, 'utf8');
      } catch (err) {
        throw new UsageError(`invalid CSV file: expected a readable file, got ${JSON.stringify(csv)} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      }
      const fit = fitUsl(parseUslCsv(text, csv));
      const { sigma, kappa, lambda, nMax, xMax, r2 } = fit;
      const out = opts.full ? { sigma, kappa, lambda, nMax, xMax, r2, stdErrors: fit.stdErrors, band: fit.band } : { sigma, kappa, lambda, nMax, xMax, r2 };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    });
}
