/**
 * The Assessment of a run, computed once from its run directory's data: what summary.json, the report,
 * the sweep and the gate read (assessment.ts); the digest of its windows it rests on (digest.ts).
 */
export * from './assessment.js';
export * from './summary.js';
export * from './read.js';
export { onMergedClock, runnersOfRunInfo, secondRanges, secondSpans, type RunnerRecord } from './runners.js';
export { chartBucketSeconds, errorKind, LATENCY_WINDOW_SECONDS, MAX_CHART_POINTS } from './chart-buckets.js';
export { digestSource, digestWindows, runSeconds, type DigestOptions, type RunDigest, type WindowSource } from './digest.js';
export { loadLevels, levelWidth, MAX_LEVELS } from './levels.js';
export { capacityPoints, journeySecondPoint, requestsPerArrival, secondPoint, sweepOfJourneys, sweepPoints, sweepPlanOf, type CapacityPoint, type SweepStepRange } from './capacity-points.js';
export type { Column, LevelStats } from './accumulate.js';
