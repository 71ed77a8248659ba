/** Thresholds in k6's syntax: the rules (parse, evaluate, abort) and the monitor a running engine feeds. */
export * from './rules.js';
export { ThresholdMonitor } from './monitor.js';
