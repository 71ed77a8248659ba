// One duration parser for the whole project (k6 forms, numbers are milliseconds).
export { parseDuration } from '../contracts/duration.js';
