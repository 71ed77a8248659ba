import { Faker, en_IN, en, base } from '@faker-js/faker';
import { CHHATTISGARH_DISTRICTS, weightedPicker } from './districts.js';
import { mobileFor } from './mobile.js';
import { DEVANAGARI_FIRST_NAMES, DEVANAGARI_LAST_NAMES } from './names.js';

/** One synthetic citizen. The file is what scenarios load once per worker (no faker in scenarios). */
export interface User { mobile: string; name: string; district: string; address: string }

export interface UsersFile { format: 'capacity-test-users/1'; seed: number; count: number; devanagariShare: number; users: User[] }

export interface UsersOptions { count: number; seed: number; devanagariShare?: number }

/** The Raipur-style PIN codes of Chhattisgarh start with 49. */
const PIN_PREFIX = '49';

/** Seeded users: same count + seed → the same users, in the same order. Pure (faker is seeded, no I/O). */
export function* generateUsers(opts: UsersOptions): Generator<User> {
  const faker = new Faker({ locale: [en_IN, en, base] });
  faker.seed(opts.seed);
  const share = opts.devanagariShare ?? 0.2;
  const pickDistrict = weightedPicker(CHHATTISGARH_DISTRICTS);
  for (let i = 0; i < opts.count; i++) {
    const hindi = faker.number.float() < share;
    const name = hindi
      ? `${faker.helpers.arrayElement(DEVANAGARI_FIRST_NAMES)} ${faker.helpers.arrayElement(DEVANAGARI_LAST_NAMES)}`
      : `${faker.person.firstName()} ${faker.person.lastName()}`;
    const district = pickDistrict(faker.number.float()).name;
    const pin = `${PIN_PREFIX}${faker.string.numeric(4)}`;
    const address = `${faker.location.buildingNumber()}, ${faker.location.street()}, ${district}, Chhattisgarh ${pin}`;
    yield { mobile: mobileFor(opts.seed, i), name, district, address };
  }
}

/** The whole file as JSON text chunks (streamed: 3 lakh users are ~40 MB). */
export function* usersFileChunks(opts: UsersOptions): Generator<string> {
  const head = { format: 'capacity-test-users/1', seed: opts.seed, count: opts.count, devanagariShare: opts.devanagariShare ?? 0.2 };
  yield JSON.stringify(head).slice(0, -1) + ',"users":[\n';
  let k = 0;
  let buf: string[] = [];
  for (const u of generateUsers(opts)) {
    buf.push((k++ === 0 ? '' : ',\n') + JSON.stringify(u));
    if (buf.length >= 5000) { yield buf.join(''); buf = []; }
  }
  yield buf.join('') + '\n]}\n';
}

/** Read a users file's text (what scenarios do with open(DATA_FILE)). */
export function parseUsersFile(text: string): UsersFile {
  const f = JSON.parse(text) as UsersFile;
  if (f.format !== 'capacity-test-users/1' || !Array.isArray(f.users)) throw new Error('not a capacity-test users file (format capacity-test-users/1)');
  return f;
}
