/**
 * Benchmark: generate 3 lakh users (what `capacity-test data --users 3lakh` writes) and print the rate.
 * Run: npx tsc -p tsconfig.json && node dist/bench/data-users.js [count]
 */
import { usersFileChunks } from '../src/data/index.js';

const count = Number(process.argv[2] ?? 300_000);
const t0 = process.hrtime.bigint();
let bytes = 0;
for (const chunk of usersFileChunks({ count, seed: 1 })) bytes += Buffer.byteLength(chunk);
const s = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(`${count} users, ${(bytes / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s: ${Math.round(count / s)} users/s\n`);
