import { describe, expect, it } from 'vitest';
import { District } from '../../../mock-portal/src/http/schemas.js';
import { DISTRICTS } from '../../../mock-portal/src/data/chhattisgarh.js';
import { generateUsers, DISTRICT_NAMES } from '../../../src/data/index.js';

describe('one list of districts for the portal, the data generator and the scenarios', () => {
  it("holds Chhattisgarh's 33 districts, Sakti and the other 2022 districts among them", () => {
    expect(new Set(DISTRICTS).size).toBe(33);
    for (const d of ['Sakti', 'Sarangarh-Bilaigarh', 'Manendragarh-Chirmiri-Bharatpur', 'Khairagarh-Chhuikhadan-Gandai', 'Mohla-Manpur-Ambagarh Chowki']) {
      expect(DISTRICTS).toContain(d);
    }
    expect([...DISTRICT_NAMES]).toEqual([...DISTRICTS]);
  });

  it('the portal accepts the district of every generated user', () => {
    const users = [...generateUsers({ count: 3000, seed: 7 })];
    expect(new Set(users.map((u) => u.district)).size).toBe(33);
    for (const u of users) expect(District.safeParse(u.district).success).toBe(true);
  });
});
