import type { PortalConfigInput } from './config.js';

/**
 * The portal's flags, declared once. The portal's own parser and `--help` (cli-args.ts), the toolkit's
 * `capacity-test portal` command (src/cli/portal.ts) and the process launcher (src/run/portal-process.ts)
 * are all derived from this table, so a flag added here exists everywhere with one meaning.
 */
export type FlagKind =
  | { type: 'boolean' }
  | { type: 'string'; nonEmpty?: boolean }
  | { type: 'choice'; choices: readonly string[] }
  | { type: 'clock' }
  | { type: 'number'; int?: boolean; min: number; minExclusive?: boolean; max?: number };

type Nested = 'capacity' | 'admission' | 'shops' | 'server' | 'security' | 'faults';
type ConfigPath =
  | Exclude<keyof PortalConfigInput & string, Nested>
  | { [K in Nested]: `${K}.${keyof NonNullable<PortalConfigInput[K]> & string}` }[Nested];
/** where a flag's value lands in PortalArgs: the listener's port/host, the process's own behaviour, or a field of the config */
export type FlagTarget = 'port' | 'host' | 'stopOnStdinEnd' | `config.${ConfigPath}`;

export interface PortalFlag {
  /** the flag without its dashes: `db-query-ms` */
  name: string;
  /** the value's placeholder in help (`MS`); absent for a boolean */
  arg?: string;
  kind: FlagKind;
  help: string;
  /** the value when the flag is not given (the CLI's default, which may differ from resolveConfig's) */
  default?: string | number;
  /** an environment variable read when the flag is not given */
  env?: string;
  to: FlagTarget;
}

export const PORTAL_FLAGS = [
  { name: 'port', arg: 'P', kind: { type: 'number', int: true, min: 0, max: 65_535 }, default: 8080, to: 'port', help: 'port to listen on (0 = any free port)' },
  { name: 'host', arg: 'HOST', kind: { type: 'string', nonEmpty: true }, default: '127.0.0.1', to: 'host', help: 'address to listen on' },
  { name: 'mode', arg: 'M', kind: { type: 'choice', choices: ['as-built', 'resilient'] }, default: 'resilient', to: 'config.mode', help: 'as-built | resilient' },
  { name: 'db', arg: 'FILE', kind: { type: 'string', nonEmpty: true }, default: 'portal.db', to: 'config.db', help: "SQLite file (':memory:' keeps nothing)" },
  { name: 'test-mode', kind: { type: 'boolean' }, to: 'config.testMode', help: 'put OTPs in the X-Test-Otp header of register and otp/send (never for real users)' },
  { name: 'clock', arg: 'HH:MM', kind: { type: 'clock' }, default: '10:00', to: 'config.clock', help: 'simulated start of day' },
  { name: 'clock-speed', arg: 'N', kind: { type: 'number', min: 0, minExclusive: true, max: 100_000 }, default: 1, to: 'config.clockSpeed', help: 'simulated seconds per real second' },
  { name: 'admin-token', arg: 'T', kind: { type: 'string', nonEmpty: true }, env: 'PORTAL_ADMIN_TOKEN', to: 'config.adminToken', help: 'bearer token for /admin/* (or PORTAL_ADMIN_TOKEN)' },
  { name: 'db-query-ms', arg: 'MS', kind: { type: 'number', min: 0 }, to: 'config.capacity.dbQueryMs', help: 'capacity model: simulated DB time per query' },
  { name: 'pool-size', arg: 'N', kind: { type: 'number', int: true, min: 1 }, to: 'config.capacity.dbPoolSize', help: 'capacity model: DB connection pool size' },
  { name: 'cpu-ms', arg: 'MS', kind: { type: 'number', min: 0 }, to: 'config.capacity.cpuMsPerRequest', help: 'capacity model: synchronous CPU per request' },
  { name: 'gateway-ms', arg: 'MS', kind: { type: 'number', min: 0 }, to: 'config.capacity.gatewayLatencyMs', help: 'capacity model: payment gateway latency' },
  { name: 'admit-rate', arg: 'R', kind: { type: 'number', min: 0, minExclusive: true }, to: 'config.admission.admitPerSecond', help: 'waiting-room admissions per second (resilient)' },
  { name: 'accept-per-hour', arg: 'N', kind: { type: 'number', min: 0, minExclusive: true }, to: 'config.shops.acceptPerSimHour', help: 'orders a shop accepts per simulated hour' },
  { name: 'max-connections-per-client', arg: 'N', kind: { type: 'number', int: true, min: 0, max: 1_000_000 }, to: 'config.server.maxConnectionsPerClient', help: 'open connections one client address may hold, the next closed at once (0 = no cap; resilient 4096)' },
  { name: 'fault-latency-ms', arg: 'MS', kind: { type: 'number', int: true, min: 0, max: 60_000 }, to: 'config.faults.latencyMs', help: 'injected latency on every API request, or those of --fault-latency-route (also POST /admin/faults)' },
  { name: 'fault-latency-route', arg: 'PREFIX', kind: { type: 'string' }, to: 'config.faults.latencyRoute', help: 'the injected latency only on paths starting with PREFIX (default /api/)' },
  { name: 'fault-error-rate', arg: 'R', kind: { type: 'number', min: 0, max: 1 }, to: 'config.faults.errorRate', help: 'injected 503s on writes, 0–1' },
  { name: 'fault-db-stall-ms', arg: 'MS', kind: { type: 'number', int: true, min: 0, max: 60_000 }, to: 'config.faults.dbStallMs', help: 'injected DB stall per query' },
  { name: 'stop-on-stdin-end', kind: { type: 'boolean' }, to: 'stopOnStdinEnd', help: 'stop gracefully when stdin ends (a launcher keeps a pipe open: the portal never outlives it, even a SIGKILLed one)' },
  { name: 'durability', arg: 'D', kind: { type: 'choice', choices: ['full', 'group-commit'] }, to: 'config.durability', help: 'group-commit (default: WAL fsync before each acknowledgement, batched) | full' },
] as const satisfies readonly PortalFlag[];

export type PortalFlagName = (typeof PORTAL_FLAGS)[number]['name'];

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
/** a flag's key in camelCase, as commander names its attribute: `dbQueryMs` */
export type PortalFlagKey = CamelCase<PortalFlagName>;
/** Flags by key, as typed values or as the text commander hands over: `{ dbQueryMs: 5, testMode: true }`. */
export type PortalFlagValues = { [K in PortalFlagKey]?: string | number | boolean };

/** `db-query-ms` → `dbQueryMs`, as commander names an option's attribute */
export const camelOf = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The words after "expected" in a refusal of this kind's value. */
export function expectedOf(kind: FlagKind): string {
  switch (kind.type) {
    case 'boolean': return 'no value';
    case 'string': return kind.nonEmpty ? 'a non-empty value' : 'a value';
    case 'choice': return kind.choices.length === 2 ? `${kind.choices[0]} or ${kind.choices[1]}` : `one of ${kind.choices.join(', ')}`;
    case 'clock': return 'a time of day HH:MM (00:00–23:59)';
    case 'number': {
      const what = kind.int ? 'an integer' : 'a number';
      if (kind.minExclusive) return kind.max === undefined ? `${what} > ${kind.min}` : `${what} > ${kind.min} (at most ${kind.max})`;
      if (kind.max !== undefined) return `${what} ${kind.min}–${kind.max}`;
      if (kind.int && kind.min === 1) return 'a positive integer';
      return `${what} ≥ ${kind.min}`;
    }
  }
}

/** Typed values → the portal's argv (`{ port: 0, testMode: true }` → `['--port', '0', '--test-mode']`), in table order. */
export function portalArgv(values: PortalFlagValues): string[] {
  const v = values as Record<string, string | number | boolean | undefined>;
  const argv: string[] = [];
  for (const f of PORTAL_FLAGS as readonly PortalFlag[]) {
    const x = v[camelOf(f.name)];
    if (x === undefined || x === false) continue;
    if (x === true) argv.push(`--${f.name}`);
    else argv.push(`--${f.name}`, String(x));
  }
  return argv;
}

/** The help text of the portal's own CLI. */
export function portalFlagsHelp(): string {
  const lines = (PORTAL_FLAGS as readonly PortalFlag[]).map((f) => {
    const left = `  --${f.name}${f.arg ? ` ${f.arg}` : ''}`;
    const extra = f.default !== undefined ? ` (default ${f.default})` : '';
    return `${left.padEnd(32)}${f.help}${extra}`;
  });
  return `Usage: portal [options]\n${lines.join('\n')}\n  --help                        this text\n`;
}
