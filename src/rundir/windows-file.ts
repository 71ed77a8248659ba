/**
 * A run directory's windows file, read as a stream: what the report and merge read, chunk by chunk, so
 * that a run of hours is never held whole.
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { RUN_FILES } from './run-dir.js';

export interface WindowsFile {
  path: string;
  /** the path within the run directory, for messages */
  name: string;
  gzipped: boolean;
}

/**
 * metrics/windows.jsonl.gz, or else the plain log a killed run (kill -9) left, which holds the same
 * lines uncompressed; null when there is neither.
 */
export function windowsFileOf(dir: string): WindowsFile | null {
  const gz = join(dir, RUN_FILES.windows);
  if (existsSync(gz)) return { path: gz, name: RUN_FILES.windows, gzipped: true };
  const log = join(dir, RUN_FILES.windowsLog);
  if (existsSync(log)) return { path: log, name: RUN_FILES.windowsLog, gzipped: false };
  return null;
}

/**
 * The file's text as it comes, gunzipped and decoded as utf8. The stream is opened on the first read
 * and closed when the reader stops early; an error of the file or of gunzip ends the reading with it.
 */
export async function* windowsFileText(file: WindowsFile): AsyncGenerator<string> {
  const bytes = createReadStream(file.path);
  // pipeline, not pipe: a read error (no such file) reaches the gunzip stream being iterated
  const text = file.gzipped ? pipeline(bytes, createGunzip({ chunkSize: 256 * 1024 }), () => {}) : bytes;
  text.setEncoding('utf8');
  yield* text as AsyncIterable<string>;
}
