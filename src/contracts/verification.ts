import { z } from 'zod';

/**
 * verification.json, schemaVersion 1 (docs/contracts.md#verificationjson): what `capacity-test verify`
 * measured of a run's sizing. Fields may be added, never renamed. Rates per second, latencies in ms,
 * a value not measured is null.
 */
const num = z.number().nullable();

export const fleetResultSchema = z.object({
  instances: z.number().int().positive(),
  offeredRps: z.number(),
  measuredRps: z.number(),
  p95Ms: num,
  errorRate: z.number(),
  /** failed answers over the measured seconds, by HTTP status ("0": no answer) */
  failures: z.record(z.string(), z.number()),
  /** 5xx answers but 503 (the resilient portal's shedding) ÷ requests: errors inside the portal */
  serverErrorShare: z.number(),
  droppedShare: z.number(),
  saturatedSeconds: z.number().int(),
  windowSeconds: z.number(),
  /** the worst instance's CPU used ÷ its quota over the load, and the share of CFS periods it was throttled in */
  quotaUsedShare: num,
  throttledShare: num,
  held: z.boolean(),
  reasons: z.array(z.string()),
  /** this fleet's own run directory, relative to the verified run's (verify/<n>-instances) */
  runDir: z.string(),
}).loose();

export const verificationSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  verifiedAt: z.string(),
  /** N: Erlang C's fleet for the peak (before headroom), or --instances */
  instances: z.number().int().positive(),
  instancesWithHeadroom: z.number().int().positive(),
  /** each instance's CPU quota, in cores: the share the measured instance ran under */
  cpuShare: z.number().positive(),
  perInstanceRps: z.number(),
  /** the peak the sizing was for, as the run offered it (peak demand × the run's rate factor) */
  predictedRps: z.number(),
  modelCapacityRps: z.number(),
  /** N's figures: served without failure, its p95, and whether it held the peak */
  measuredRps: z.number(),
  p95Ms: num,
  held: z.boolean(),
  /** (measuredRps − predictedRps) ÷ predictedRps, and whether it is within ±target */
  deviation: z.number(),
  withinTarget: z.boolean(),
  target: z.number(),
  /** N − 1's figures, null when N = 1 */
  fewer: fleetResultSchema.nullable(),
  fleets: z.array(fleetResultSchema),
  finding: z.enum(['verified', 'overProvisioned', 'perInstanceSlower', 'sharedDatabase', 'inconclusive']),
  wrongTerm: z.enum(['serviceTime', 'kappa']).nullable(),
  impliedPerInstanceRps: num,
  impliedKappa: num,
  explanation: z.string(),
  load: z.object({
    kind: z.enum(['launch-day', 'sweep']),
    seconds: z.number().int(),
    warmupSeconds: z.number().int(),
    rateFactor: z.number(),
    arrivalsPerSecond: num,
  }).loose(),
  /** loadAverage: the 1-minute load average read before the first fleet and after each */
  machine: z.object({ cores: z.number().int(), quotaCores: z.number(), overcommitted: z.boolean(), loadAverage: z.object({ min: z.number(), max: z.number() }) }).loose(),
  notes: z.array(z.string()),
}).loose();

export type FleetResult = z.infer<typeof fleetResultSchema>;
export type Verification = z.infer<typeof verificationSchema>;

export const VERIFICATION_FILE = 'verification.json';
