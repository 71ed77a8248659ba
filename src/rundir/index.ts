/** The run directory (docs/contracts.md#run-directory): its files' names and types, and their readers. */
export * from './run-dir.js';
export * from './windows-file.js';
export * from './read.js';
export * from './window-log.js';
export * from './faults-file.js';
