/** The run directory (DESIGN.md §3.3): its files' names and types, and their readers. */
export * from './run-dir.js';
export * from './windows-file.js';
export * from './read.js';
