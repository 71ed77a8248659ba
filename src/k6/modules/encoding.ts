/** k6's `k6/encoding`: base64 in its four alphabets (std, rawstd, url, rawurl). */
import { bytesOf, toArrayBuffer } from './context.js';

type Alphabet = 'std' | 'rawstd' | 'url' | 'rawurl';

function alphabet(enc: unknown): Alphabet {
  const e = enc === undefined || enc === '' ? 'std' : enc;
  if (e === 'std' || e === 'rawstd' || e === 'url' || e === 'rawurl') return e;
  throw new Error(`b64: expected encoding std, rawstd, url or rawurl, got ${JSON.stringify(enc)}`);
}

export function b64encode(input: string | ArrayBuffer, encoding?: Alphabet): string {
  const e = alphabet(encoding);
  const b = Buffer.from(bytesOf(input, 'b64encode'));
  const s = b.toString(e === 'url' || e === 'rawurl' ? 'base64url' : 'base64');
  if (e === 'url') return s + '='.repeat((4 - (s.length % 4)) % 4);
  return e === 'rawstd' ? s.replace(/=+$/, '') : s;
}

/** format 's' gives a string (UTF-8), anything else an ArrayBuffer, as k6. */
export function b64decode(input: string, encoding?: Alphabet, format?: 's'): string | ArrayBuffer {
  const e = alphabet(encoding);
  if (typeof input !== 'string') throw new Error(`b64decode: expected a string, got ${typeof input}`);
  const b = Buffer.from(input, e === 'url' || e === 'rawurl' ? 'base64url' : 'base64');
  return format === 's' ? b.toString('utf8') : toArrayBuffer(b);
}

export default { b64encode, b64decode };
