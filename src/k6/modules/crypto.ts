/**
 * k6's `k6/crypto`: hashes and HMACs by k6's names, outputs 'hex', 'base64', 'base64url',
 * 'base64rawurl' or 'binary' (ArrayBuffer); randomBytes.
 */
import { createHash as nodeHash, createHmac as nodeHmac, getHashes, randomBytes as nodeRandom, type Hash, type Hmac } from 'node:crypto';
import { bytesOf, toArrayBuffer } from './context.js';

const ALGORITHMS: Record<string, string> = {
  md4: 'md4', md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512',
  sha512_224: 'sha512-224', sha512_256: 'sha512-256', ripemd160: 'ripemd160',
};

function algorithm(name: unknown): string {
  const a = typeof name === 'string' ? ALGORITHMS[name] : undefined;
  if (!a) throw new Error(`k6/crypto: expected one of ${Object.keys(ALGORITHMS).join(', ')}, got ${JSON.stringify(name)}`);
  if (!getHashes().includes(a)) throw new Error(`k6/crypto: ${String(name)} is not available in this Node.js build (OpenSSL)`);
  return a;
}

function output(digest: Buffer, enc: unknown): string | ArrayBuffer {
  switch (enc) {
    case 'hex': return digest.toString('hex');
    case 'base64': return digest.toString('base64');
    case 'base64url': { const s = digest.toString('base64url'); return s + '='.repeat((4 - (s.length % 4)) % 4); }
    case 'base64rawurl': return digest.toString('base64url');
    case 'binary': return toArrayBuffer(digest);
    default: throw new Error(`k6/crypto: expected output encoding hex, base64, base64url, base64rawurl or binary, got ${JSON.stringify(enc)}`);
  }
}

class Hasher {
  constructor(private readonly h: Hash | Hmac) {}
  update(data: string | ArrayBuffer): void { this.h.update(bytesOf(data, 'update')); }
  digest(enc: string): string | ArrayBuffer { return output(this.h.digest(), enc); }
}

export function createHash(algo: string): Hasher { return new Hasher(nodeHash(algorithm(algo))); }
export function createHMAC(algo: string, secret: string | ArrayBuffer): Hasher { return new Hasher(nodeHmac(algorithm(algo), bytesOf(secret, 'createHMAC'))); }

export function hmac(algo: string, secret: string | ArrayBuffer, data: string | ArrayBuffer, enc: string): string | ArrayBuffer {
  const h = createHMAC(algo, secret);
  h.update(data);
  return h.digest(enc);
}

const digestOf = (algo: string) => (data: string | ArrayBuffer, enc: string) => {
  const h = createHash(algo);
  h.update(data);
  return h.digest(enc);
};
export const md4 = digestOf('md4');
export const md5 = digestOf('md5');
export const sha1 = digestOf('sha1');
export const sha256 = digestOf('sha256');
export const sha384 = digestOf('sha384');
export const sha512 = digestOf('sha512');
export const sha512_224 = digestOf('sha512_224');
export const sha512_256 = digestOf('sha512_256');
export const ripemd160 = digestOf('ripemd160');

export function randomBytes(n: number): ArrayBuffer {
  if (!Number.isInteger(n) || n < 0) throw new Error(`randomBytes: expected an integer ≥ 0, got ${String(n)}`);
  return toArrayBuffer(nodeRandom(n));
}

export default { createHash, createHMAC, hmac, md4, md5, sha1, sha256, sha384, sha512, sha512_224, sha512_256, ripemd160, randomBytes };
