import type { SummaryDeps } from './summary.js';

/**
 * The analysis and threshold functions the summary uses. They live in other modules (src/analysis,
 * src/engine/thresholds); wired here, in one place, as they land.
 */
export const summaryDeps: SummaryDeps = {};
