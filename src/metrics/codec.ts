import { gunzipSync, gzipSync } from 'node:zlib';
import type { EncodedWindow } from './types.js';

/** windows ↔ gzip-compressed JSON lines (one window a line), the format of `metrics/windows.jsonl.gz`. */
export function encodeWindows(windows: readonly EncodedWindow[]): Buffer {
  return gzipSync(windows.map((w) => JSON.stringify(w)).join('\n') + '\n');
}

export function decodeWindows(data: Uint8Array): EncodedWindow[] {
  const text = gunzipSync(data).toString('utf8');
  const out: EncodedWindow[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo += 1;
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as EncodedWindow);
    } catch {
      throw new Error(`invalid metrics file: line ${lineNo} is not JSON`);
    }
  }
  return out;
}
