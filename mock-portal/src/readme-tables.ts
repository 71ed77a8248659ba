#!/usr/bin/env node
/**
 * The figures of mock-portal/README.md, rendered from the config they describe (config.ts, flags.ts), so
 * the README cannot drift from the code: test/unit/portal/readme.test.ts fails when the README's
 * generated blocks differ from these, and `node dist/mock-portal/src/readme-tables.js --write` rewrites them.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BASE_CPU_MS, estimateKnee, resolveConfig, WRITE_SHARE, type PortalConfig } from './config.js';
import { PORTAL_FLAGS, type PortalFlag } from './flags.js';

const n = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 2 });
const pct = (x: number): string => `${n(x * 100)}%`;
/** real milliseconds in words: 300 ms, 10 s, 5 min, 12 h */
function ms(x: number): string {
  if (x >= 3_600_000 && x % 3_600_000 === 0) return `${n(x / 3_600_000)} h`;
  if (x >= 60_000 && x % 60_000 === 0) return `${n(x / 60_000)} min`;
  if (x >= 1000 && x % 1000 === 0) return `${n(x / 1000)} s`;
  return `${n(x)} ms`;
}
const simSeconds = (s: number): string => ms(s * 1000);
/** paise as rupees in Indian grouping (₹1,00,000) */
const rupees = (paise: number): string => `₹${(paise / 100).toLocaleString('en-IN', { maximumFractionDigits: 2 })}`;

function admission(c: PortalConfig): string {
  const a = c.admission;
  if (!a.enabled) return 'none: every request waits, unbounded';
  const door: string[] = [];
  if (a.doorCpuShare > 0) door.push(`a CPU budget of ${pct(a.doorCpuShare)} of a core (503 + Retry-After)`);
  if (a.maxInFlight > 0) door.push(`${n(a.maxInFlight)} API requests in flight, counted once their body arrived (503)`);
  if (a.maxEventLoopLagMs > 0) door.push(`writes shed when event-loop lag > ${ms(a.maxEventLoopLagMs)}, reads when > ${ms(2 * a.maxEventLoopLagMs)} (503)`);
  const room = `waiting room ${n(a.admitPerSecond)} writes/s (burst ${n(a.burst)}; a write that would wait over ${ms(a.maxWaitMs)}, or beyond ${n(a.maxWaiting)} waiting → 503 + Retry-After with position and ETA)`;
  const perUser = a.perUserWritesPerSecond > 0 ? `; ${n(a.perUserWritesPerSecond)} writes/s per user (429 + Retry-After)` : '';
  return `at the door, before any work: ${door.join('; ')}; ${room}${perUser}`;
}

function slowClients(c: PortalConfig): string {
  const s = c.server;
  const parts = [`headers within ${ms(s.headersTimeoutMs)}`];
  parts.push(s.requestTimeoutMs === 0 ? 'no body timeout' : `the whole request within ${ms(s.requestTimeoutMs)} (408, connection closed)`);
  parts.push(s.maxConnectionsPerClient === 0 ? 'no cap per client' : `${n(s.maxConnectionsPerClient)} connections per client address (the next closed at once)`);
  parts.push(`idle keep-alive ${ms(s.keepAliveTimeoutMs)}`);
  return parts.join('; ');
}

const stop = (c: PortalConfig): string => c.server.drainMs === 0
  ? 'SIGTERM cuts what is in flight'
  : `SIGTERM: no new connections, new requests 503 \`draining\`, in-flight requests get up to ${ms(c.server.drainMs)}, then the database closes`;

function shops(c: PortalConfig): string {
  const s = c.shops;
  return `${n(s.acceptPerSimHour)} orders/simulated hour per shop, acceptance timeout ${simSeconds(s.acceptTimeoutSimSeconds)}, `
    + (s.maxQueuePerShop === 0 ? 'unbounded queues' : `${n(s.maxQueuePerShop)} waiting per shop, then 503`)
    + `; ${pct(s.rejectRate)} rejected; delivery in ${n(s.deliverySimMinutes)} simulated minutes`;
}

const ROWS: ReadonlyArray<[string, (c: PortalConfig) => string]> = [
  ['request-path CPU (configured, on top of the base cost)', (c) => `${n(c.capacity.cpuMsPerRequest)} ms sync per request, +${n(c.capacity.cpuMsPerOrder)} ms per order`],
  ['DB', (c) => {
    const k = c.capacity;
    const pools = k.readPoolSize > 0 ? `write pool ${n(k.dbPoolSize)} + read pool ${n(k.readPoolSize)} (bulkhead)` : `one pool of ${n(k.dbPoolSize)} for everything`;
    return `${pools}, ${n(k.dbQueryMs)} ms/query, ${k.queriesPerRead} ${k.queriesPerRead === 1 ? 'query' : 'queries'} per read, ${k.queriesPerWrite} per write`;
  }],
  ['public reads (shops, catalogue, helpline)', (c) => (c.capacity.cacheReads ? 'from memory' : 'through the shared pool')],
  ['payment gateway', (c) => `${ms(c.capacity.gatewayLatencyMs)}, ${c.capacity.holdConnectionDuringGateway ? 'holding a pooled connection while it answers' : 'outside the pool'}; declines ${pct(c.capacity.gatewayFailureRate)}`],
  ['admission', admission],
  ['slow clients', slowClients],
  ['stop', stop],
  ['shops', shops],
  ['money back (rejected, timed out, cancelled)', (c) => (c.shops.release === 'prompt' ? 'at once' : `in a batch every ${n(c.shops.refundBatchSimHours)} simulated hours`)],
  ['wrong admin tokens', (c) => (c.security.adminMaxWrong === 0 ? 'never throttled' : `${n(c.security.adminMaxWrong)} per client address in ${ms(c.security.adminWrongWindowMs)}, then 429 + Retry-After on every admin call until the window ends`)],
  ['bearer tokens', (c) => (c.security.tokenTtlMs === 0 ? 'never expire' : `expire ${ms(c.security.tokenTtlMs)} after login`)],
  ['`otp/send` for an unknown mobile', (c) => (c.security.otpSendUniform ? '202, as for a registered one' : '404')],
  ['money gauges of `/metrics`', (c) => (c.security.metricsMoney === 'admin' ? 'with the admin token only' : 'public')],
  ['knee (40% writes)', (c) => `≈ ${n(estimateKnee(c).kneeRps)} req/s`],
];

/** The two builds side by side, every figure from their defaults. */
export function modesTable(): string {
  const ab = resolveConfig({ mode: 'as-built' });
  const re = resolveConfig({ mode: 'resilient' });
  return ['| | as-built | resilient |', '|---|---|---|', ...ROWS.map(([what, f]) => `| ${what} | ${f(ab)} | ${f(re)} |`)].join('\n');
}

/** Each build's knee: the rate each constraint allows and which one binds. */
export function kneeLines(): string {
  const line = (mode: PortalConfig['mode']): string => {
    const k = estimateKnee(resolveConfig({ mode }));
    const bound = k.kneeRps === k.admissionBoundRps ? 'admission' : k.kneeRps === k.cpuBoundRps ? 'CPU' : 'the pool';
    const admitted = k.admissionBoundRps === null ? 'no admission limit' : `admission ${n(k.admissionBoundRps)} req/s`;
    return `- **${mode} ≈ ${n(k.kneeRps)} req/s**, bound by ${bound}: one core serves ${n(k.cpuBoundReadRps)} reads/s or ${n(k.cpuBoundWriteRps)} writes/s `
      + `(${n(k.cpuBoundRps)} req/s of the mix); the pool (Little's law) allows ${n(k.poolBoundRps ?? Infinity)} req/s, top-ups alone ${n(k.topupPoolBoundRps ?? Infinity)}/s; ${admitted}.`;
  };
  return [
    `Base CPU of a request on this machine (\`BASE_CPU_MS\`): read ${n(BASE_CPU_MS.read)} ms, write ${n(BASE_CPU_MS.write)} ms; the quoted mix is ${pct(WRITE_SHARE)} writes.`,
    line('as-built'), line('resilient'),
  ].join('\n');
}

/** Settings the two builds share. */
export function sharedTable(): string {
  const c = resolveConfig();
  const shops = Object.entries(c.shopsPerDistrict).map(([d, k]) => `${d} ${k}`).join(', ');
  const rows: Array<[string, string]> = [
    ['booking window (simulated)', `${c.bookingOpens}–${c.bookingCloses}; deliveries cut off at ${c.deliveryCutoff} (accepted and not delivered by then → refunded)`],
    ['refund SLA', `money held longer than ${simSeconds(c.refundSlaSimSeconds)} (simulated) is a stuck debit in \`/admin/reconcile\``],
    ['OTP', `6 digits, lives ${ms(c.otpTtlMs)}, works once; ${c.otpMaxWrong} wrong guesses lock it for ${ms(c.otpLockMs)}; ${c.otpSendsPerWindow} sends per mobile in ${ms(c.otpSendWindowMs)} (then 429)`],
    ['top-up', `at most ${rupees(c.maxTopupPaise)} (${n(c.maxTopupPaise)} paise, \`maxTopupPaise\`) in one call; above → 400 naming the limit`],
    ['order', `at most ${c.maxItemsPerOrder} items, ${c.maxQtyPerItem} of each`],
    ['shops per district', `${shops}; every other district ${c.defaultShopsPerDistrict}; ${n(c.shops.stockPerSku)} of each SKU`],
    ['durability', `\`${c.durability}\` (see Money)`],
    ['shops\' worker', `ticks every ${ms(c.workerTickMs)} (real)`],
  ];
  return ['| setting | default |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
}

/** The flags, from the one table the parser reads. */
export function flagsTable(): string {
  const rows = (PORTAL_FLAGS as readonly PortalFlag[]).map((f) =>
    `| \`--${f.name}${f.arg ? ` ${f.arg}` : ''}\` | ${f.help.replace(/\|/g, '\\|')} | ${f.default !== undefined ? `\`${f.default}\`` : f.env ? `\`${f.env}\`` : ''} |`);
  return ['| flag | what | default |', '|---|---|---|', ...rows].join('\n');
}

export const GENERATED = { flags: flagsTable, modes: modesTable, knee: kneeLines, shared: sharedTable } as const;
export type Block = keyof typeof GENERATED;

const begin = (b: string): string => `<!-- generated:${b} (mock-portal/src/readme-tables.ts) -->`;
const end = (b: string): string => `<!-- /generated:${b} -->`;

/** The README's text of each generated block (null where the markers are missing). */
export function readmeBlocks(readme: string): Record<Block, string | null> {
  const out = {} as Record<Block, string | null>;
  for (const b of Object.keys(GENERATED) as Block[]) {
    const i = readme.indexOf(begin(b));
    const j = readme.indexOf(end(b));
    out[b] = i < 0 || j < i ? null : readme.slice(i + begin(b).length, j).trim();
  }
  return out;
}

/** The README with every generated block rendered afresh. */
export function rewriteReadme(readme: string): string {
  let s = readme;
  for (const [b, render] of Object.entries(GENERATED)) {
    const i = s.indexOf(begin(b));
    const j = s.indexOf(end(b));
    if (i < 0 || j < i) throw new Error(`mock-portal/README.md has no block ${begin(b)} … ${end(b)}`);
    s = `${s.slice(0, i + begin(b).length)}\n${render()}\n${s.slice(j)}`;
  }
  return s;
}

export const README_FILE = fileURLToPath(new URL('../README.md', import.meta.url)).replace(/\/dist\/mock-portal\//, '/mock-portal/');

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry && process.argv.includes('--write')) writeFileSync(README_FILE, rewriteReadme(readFileSync(README_FILE, 'utf8')));
