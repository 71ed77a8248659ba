import { z } from 'zod';

/**
 * summary.json, schemaVersion 1 (docs/contracts.md#summaryjson). Fields may be added, never renamed.
 * Latencies in ms, rates per second, money in integer paise; a value not measured is null, never 0.
 */
const num = z.number().nullable();
export const latencySchema = z.object({ p50: num, p90: num, p95: num, p99: num, max: num });

export const endpointSchema = z.object({
  requests: z.number().int(), rps: num, errorRate: num,
  /** of the requests `overall.latencyOf` names: answered with an expected status (k6's expected_response:true) */
  latencyMs: latencySchema,
  /** on `overall` only, for every latencyMs of the summary; absent in summaries written before it (of all requests) */
  latencyOf: z.enum(['expected_response:true', 'all']).optional(),
  /** requests that failed (status 0, or a status not expected): their latency, apart */
  unexpectedLatencyMs: latencySchema.optional(),
}).loose();

export const timelinePointSchema = z.object({
  t: z.number().int(), rps: num, errorRate: num, p95Ms: num, activeVUs: num,
  plannedArrivals: num, arrivals: num,
}).loose();

export const thresholdCheckSchema = z.object({
  name: z.string(), threshold: z.string(), value: num, pass: z.boolean(),
}).loose();

/** One series of windows: request count, p95 and p99 of each window (null: no request in it). */
export const windowColumnSchema = z.object({
  requests: z.array(z.number()), p95Ms: z.array(num), p99Ms: z.array(num),
}).loose();

/**
 * Each window's own percentiles (one second each up to 600 s of run, then wider so a series stays at
 * most 600 windows): the samples of the gate's statistics. Optional: summaries written before it have none.
 */
export const latencyWindowsSchema = z.object({
  seconds: z.number().int().positive(),
  overall: windowColumnSchema,
  endpoints: z.record(z.string(), windowColumnSchema),
}).loose();

/**
 * One runner of a distributed test (`capacity-test k8s`, or `merge` of `run --segment` runs): run.json
 * `extra.runners` and summary.json `runners`, one per segment of the test, written by src/k8s/runners.ts.
 */
export const runnerRecordSchema = z.object({
  /** "i/n", 1-based, as `run --segment` */
  segment: z.string(),
  /** 0-based: JOB_COMPLETION_INDEX */
  index: z.number().int(),
  dir: z.string().nullable(),
  host: z.object({ pod: z.string().nullable(), ip: z.string().nullable(), node: z.string().nullable() }).nullable(),
  status: z.enum(['complete', 'killed', 'aborted', 'missing']),
  reason: z.string().nullable(),
  plannedSeconds: num,
  secondsWritten: z.number().int(),
  /** seconds of the plan this runner wrote nothing for, on its own clock (empty for a runner that finished) */
  missingSeconds: z.array(z.number().int()),
  /** seconds where this runner started its arrivals late (src/analysis/generator-health.ts), on its own clock */
  saturatedSeconds: z.array(z.number().int()),
  /** whole seconds the merge added to this runner's seconds to put them on the merged run's clock (absent: not merged) */
  shiftSeconds: z.number().int().optional(),
  requests: z.number(),
  droppedIterations: z.number(),
  scheduleLagP99Ms: num,
  eventLoopLagP99Ms: num,
}).loose();

export const summarySchema = z.object({
  schemaVersion: z.literal(1),
  run: z.object({
    id: z.string(), scenario: z.string(), target: z.string().nullable(), startedAt: z.string(),
    durationSeconds: num,
    engine: z.object({ name: z.literal('capacity-test'), version: z.string() }),
    workers: z.number().int(), portalMode: z.string().nullable(),
  }).loose(),
  overall: endpointSchema,
  endpoints: z.record(z.string(), endpointSchema),
  timeline: z.array(timelinePointSchema),
  generator: z.object({
    droppedIterations: num, scheduleLagP99Ms: num, eventLoopLagP99Ms: num, cpuPercentMax: num,
    saturatedSeconds: z.union([z.number(), z.array(z.number())]).nullable(),
  }).loose(),
  capacity: z.object({
    maxSustainableRps: num, kneeRps: num, usl: z.unknown().nullable(), peakDemandRps: num, instancesForPeak: num,
  }).loose(),
  business: z.object({
    registrations: num, ordersPlaced: num, ordersAccepted: num, walletDiscrepancyPaise: num,
    stuckDebits: num, refundLatencyP95Seconds: num,
  }).loose(),
  thresholds: z.object({ pass: z.boolean(), checks: z.array(thresholdCheckSchema) }).loose(),
  latencyWindows: latencyWindowsSchema.optional(),
  /** a merge of the runners of one test: each runner (absent for a run that is not a merge of segments) */
  runners: z.array(runnerRecordSchema).optional(),
}).loose();

export type Summary = z.infer<typeof summarySchema>;
export type EndpointSummary = z.infer<typeof endpointSchema>;
export type LatencySummary = z.infer<typeof latencySchema>;
export type TimelinePoint = z.infer<typeof timelinePointSchema>;
export type ThresholdCheck = z.infer<typeof thresholdCheckSchema>;
export type RunnerRecord = z.infer<typeof runnerRecordSchema>;
export type LatencyWindows = z.infer<typeof latencyWindowsSchema>;
export type WindowColumn = z.infer<typeof windowColumnSchema>;
