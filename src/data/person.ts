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
