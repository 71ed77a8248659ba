/** The seeded generator is the portal's (mock-portal imports nothing from src/; src reads its facts, as for districts). */
export { seededRandom as mulberry32 } from '../../mock-portal/src/seeded-random.js';
