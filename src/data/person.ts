/**
 * One seeded person per index: name, e-mail and mobile, unique per index (the mobile is `mobileFor`'s
 * bijection, the e-mail carries the index), the same for the same seed and index. Small and
 * dependency-free: scenarios written by `capacity-test init` call it (through 'capacity-test') for the
 * personal fields of a recording.
 */
import { mobileFor } from './mobile.js';
import { LATIN_FIRST_NAMES, LATIN_LAST_NAMES } from './names.js';

export interface SeededPerson {
  firstName: string;
  lastName: string;
  /** "First Last" */
  name: string;
  /** first.last.<index>.<seed>@example.test: unique per index and seed */
  email: string;
  /** +91 and ten digits starting 6–9 */
  mobile: string;
  /** the same ten digits without +91 */
  mobile10: string;
}

export function seededPerson(seed: number, index: number): SeededPerson {
  const mobile = mobileFor(seed, index);
  const mix = Number(BigInt(mobile.slice(3)) % 1_000_003n);
  const firstName = LATIN_FIRST_NAMES[mix % LATIN_FIRST_NAMES.length];
  const lastName = LATIN_LAST_NAMES[Math.floor(mix / LATIN_FIRST_NAMES.length) % LATIN_LAST_NAMES.length];
  return {
    firstName, lastName, name: `${firstName} ${lastName}`,
    email: `${firstName}.${lastName}.${index}.${seed}@example.test`.toLowerCase(),
    mobile, mobile10: mobile.slice(3),
  };
}

/** Scenarios of one test, each with a block of 10⁸ person indices (the scenario's name hashed into one of 40). */
const BLOCKS = 40;
const BLOCK_SIZE = 100_000_000;

/**
 * The person index of an iteration: unique across the scenarios of a test (launch-day runs one
 * journey under several scenarios) as long as their names fall in different blocks, and across
 * workers (iterationInTest). Against a target that already saw a run with this SEED, change SEED.
 */
export function personIndex(vu: { scenario: string; iterationInTest: number }): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < vu.scenario.length; i++) h = Math.imul(h ^ vu.scenario.charCodeAt(i), 0x01000193) >>> 0;
  return (h % BLOCKS) * BLOCK_SIZE + (vu.iterationInTest % BLOCK_SIZE);
}
