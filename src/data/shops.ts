/**
 * The reference portal's shops at its defaults and what each sells: the one list is the portal's
 * (mock-portal/src/data/chhattisgarh.ts), read here by the data generator, the scenarios and the tests, as
 * the districts are (districts.ts). Against another target, scenarios list its shops (GET /shops) instead.
 */
export { CHHATTISGARH_SHOPS, SKUS, skusFor, type Shop, type Sku } from '../../mock-portal/src/data/chhattisgarh.js';
import { CHHATTISGARH_SHOPS, type Shop } from '../../mock-portal/src/data/chhattisgarh.js';

/** The default shops of one district (none for a district the portal does not know). */
export function shopsIn(district: string): Shop[] {
  return CHHATTISGARH_SHOPS.filter((s) => s.district === district);
}
