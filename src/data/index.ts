export { CHHATTISGARH_DISTRICTS, DISTRICT_NAMES, weightedPicker, districtsFor } from './districts.js';
export { mobileFor, MOBILE_PATTERN, MOBILE_SPACES, SPACE_SIZE } from './mobile.js';
export { generateUsers, usersFileChunks, parseUsersFile, type User, type UsersFile, type UsersOptions } from './users.js';
export { CHHATTISGARH_SHOPS, SKUS, skusFor, shopsIn, type Shop, type Sku } from './shops.js';
