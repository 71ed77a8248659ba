/**
 * Unique Indian mobile numbers without a table: index → "+91" + ten digits starting 6–9, a bijection on
 * [0, 4·10⁹) keyed by the seed (an affine permutation modulo 4·10⁹), so same seed + same index → same
 * number, and different indices never collide — across workers too, when the index is iterationInTest.
 * Small and dependency-free: bundled into scenarios.
 */
const SPACE = 4_000_000_000n; // 6000000000 … 9999999999
const FIRST = 6_000_000_000n;

/** Disjoint index ranges per use, so journeys never register the same number. */
export const MOBILE_SPACES = { dataFile: 0, newUser: 0, returningUser: 1_000_000_000, statusChecker: 2_000_000_000, other: 3_000_000_000 } as const;
export const SPACE_SIZE = 1_000_000_000;

function mix32(x: number): number {
  // splitmix32-style finaliser: spreads a small seed over 32 bits
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const keyCache = new Map<number, { a: bigint; b: bigint }>();
function keyOf(seed: number): { a: bigint; b: bigint } {
  let k = keyCache.get(seed);
  if (!k) {
    // a must be coprime with 4·10⁹ = 2¹¹·5⁹: odd and not a multiple of 5.
    let a = BigInt(mix32(seed * 2 + 1)) * 7919n + 1n;
    while (a % 2n === 0n || a % 5n === 0n) a += 1n;
    const b = (BigInt(mix32(seed ^ 0x9e3779b9)) * 104729n) % SPACE;
    k = { a: a % SPACE, b };
    keyCache.set(seed, k);
  }
  return k;
}

export function mobileFor(seed: number, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 4_000_000_000) throw new RangeError(`mobile index out of range: ${index}`);
  const { a, b } = keyOf(seed);
  const n = FIRST + ((a * BigInt(index) + b) % SPACE);
  return `+91${n}`;
}

export const MOBILE_PATTERN = /^\+91[6-9]\d{9}$/;
