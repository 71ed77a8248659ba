export * from './types.js';
export * from './series-key.js';
export * from './histogram.js';
export * from './accumulator.js';
export * from './recorder.js';
export * from './merge.js';
export * from './query.js';
export * from './codec.js';
