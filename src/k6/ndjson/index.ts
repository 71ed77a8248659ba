/** k6's `--out json` results: read into our windows (parse, windows) and written as k6 writes them (format). */
export * from './time.js';
export * from './parse.js';
export * from './windows.js';
export * from './format.js';
