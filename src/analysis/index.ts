/** Pure capacity maths: no I/O, no CLI, no rendering. */
export * from './capacity.js';
export * from './erlang-c.js';
export * from './knee.js';
export * from './levels.js';
export * from './littles-law.js';
export * from './sizing.js';
export * from './slo.js';
export { groupSteps, maxSustainable, type LoadStep, type SustainableSlo, type Sustainable } from './sustainable.js';
export * from './usl.js';
export * from './whatif.js';
export * from './mann-whitney.js';
export * from './window-shift.js';
