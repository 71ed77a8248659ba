import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { PortalConfigInput } from './config.js';
import { clockMinutes } from './clock.js';

/** A bad flag value; main maps it to exit 2 (the portal imports nothing from the toolkit's src/). */
export class FlagError extends Error {}

export interface PortalArgs { port: number; host: string; config: PortalConfigInput }

const num = (flag: string, v: string | undefined, check: (n: number) => boolean, expected: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new FlagError(`invalid ${flag}: expected ${expected}, got ${JSON.stringify(v)}`);
  return n;
};

export const PORTAL_FLAGS_HELP = `Usage: portal [options]
  --port P            port on 127.0.0.1 (0 = any free port; default 8080)
  --mode M            as-built | resilient (default resilient)
  --db FILE           SQLite file (default portal.db; ':memory:' keeps nothing)
  --test-mode         put OTPs in the X-Test-Otp header of register and otp/send
  --clock HH:MM       simulated start of day (default 10:00)
  --clock-speed N     simulated seconds per real second (default 1)
  --admin-token T     bearer token for /admin/* (or PORTAL_ADMIN_TOKEN)
  --db-query-ms MS    simulated DB time per query
  --pool-size N       DB connection pool size
  --cpu-ms MS         synchronous CPU per request
  --gateway-ms MS     payment gateway latency
  --admit-rate R      waiting-room admissions per second (resilient)
  --accept-per-hour N orders a shop accepts per simulated hour
  --fault-latency-ms MS, --fault-error-rate R, --fault-db-stall-ms MS   injected faults (also POST /admin/faults)
  --durability D      group-commit (default: WAL fsync before each acknowledgement, batched) | full
`;

/** Flags → typed options; throws FlagError naming the bad flag. */
export function parsePortalArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): PortalArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        port: { type: 'string' }, host: { type: 'string' }, mode: { type: 'string' }, db: { type: 'string' },
        'test-mode': { type: 'boolean' }, clock: { type: 'string' }, 'clock-speed': { type: 'string' },
        'admin-token': { type: 'string' }, 'db-query-ms': { type: 'string' }, 'pool-size': { type: 'string' },
        'cpu-ms': { type: 'string' }, 'gateway-ms': { type: 'string' }, 'admit-rate': { type: 'string' },
        'accept-per-hour': { type: 'string' }, durability: { type: 'string' },
        'fault-latency-ms': { type: 'string' }, 'fault-error-rate': { type: 'string' }, 'fault-db-stall-ms': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  const s = (k: string): string | undefined => values[k] as string | undefined;
  const port = num('--port', s('port'), (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer 0–65535') ?? 8080;
  const mode = s('mode');
  if (mode !== undefined && mode !== 'as-built' && mode !== 'resilient') throw new FlagError(`invalid --mode: expected as-built or resilient, got ${JSON.stringify(mode)}`);
  const clock = s('clock');
  if (clock !== undefined && clockMinutes(clock) === null) throw new FlagError(`invalid --clock: expected a time of day HH:MM (00:00–23:59), got ${JSON.stringify(clock)}`);
  const adminToken = s('admin-token') ?? env.PORTAL_ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken.length < 1) throw new FlagError('invalid --admin-token: expected a non-empty token, got ""');
  const positive = (n: number) => n > 0;
  const nonNeg = (n: number) => n >= 0;
  const int = (n: number) => Number.isInteger(n) && n > 0;
  const capacity: Record<string, number> = {};
  const admission: Record<string, number> = {};
  const shops: Record<string, number> = {};
  const put = (o: Record<string, number>, k: string, v: number | undefined) => { if (v !== undefined) o[k] = v; };
  put(capacity, 'dbQueryMs', num('--db-query-ms', s('db-query-ms'), nonNeg, 'a number ≥ 0'));
  put(capacity, 'dbPoolSize', num('--pool-size', s('pool-size'), int, 'a positive integer'));
  put(capacity, 'cpuMsPerRequest', num('--cpu-ms', s('cpu-ms'), nonNeg, 'a number ≥ 0'));
  put(capacity, 'gatewayLatencyMs', num('--gateway-ms', s('gateway-ms'), nonNeg, 'a number ≥ 0'));
  put(admission, 'admitPerSecond', num('--admit-rate', s('admit-rate'), positive, 'a number > 0'));
  put(shops, 'acceptPerSimHour', num('--accept-per-hour', s('accept-per-hour'), positive, 'a number > 0'));
  const durability = s('durability');
  if (durability !== undefined && durability !== 'full' && durability !== 'group-commit') throw new FlagError(`invalid --durability: expected full or group-commit, got ${JSON.stringify(durability)}`);
  const faults: Record<string, number> = {};
  put(faults, 'latencyMs', num('--fault-latency-ms', s('fault-latency-ms'), (n) => Number.isInteger(n) && n >= 0 && n <= 60_000, 'an integer 0–60000'));
  put(faults, 'errorRate', num('--fault-error-rate', s('fault-error-rate'), (n) => n >= 0 && n <= 1, 'a number 0–1'));
  put(faults, 'dbStallMs', num('--fault-db-stall-ms', s('fault-db-stall-ms'), (n) => Number.isInteger(n) && n >= 0 && n <= 60_000, 'an integer 0–60000'));
  const config: PortalConfigInput = {
    faults,
    durability: durability as 'full' | 'group-commit' | undefined,
    mode: (mode as 'as-built' | 'resilient' | undefined) ?? 'resilient',
    db: s('db') ?? 'portal.db',
    testMode: values['test-mode'] === true,
    clock: clock ?? '10:00',
    clockSpeed: num('--clock-speed', s('clock-speed'), (n) => n > 0 && n <= 100_000, 'a number > 0 (at most 100000)') ?? 1,
    adminToken,
    capacity, admission, shops,
  };
  return { port, host: s('host') ?? '127.0.0.1', config };
}

export const isZodError = (e: unknown): e is z.ZodError => e instanceof z.ZodError;
