/** k6's `k6/metrics`: the same four kinds the engine records. */
import { Counter, Gauge, Rate, Trend } from '../../scenario-api/index.js';

export { Counter, Gauge, Rate, Trend };
export default { Counter, Gauge, Rate, Trend };
