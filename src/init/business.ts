/**
 * The business counters a written scenario emits, by the endpoint a request calls: the names the
 * launch-day report reads (`registrations`, `orders_placed`; scenarios/README.md). A successful POST
 * to a sign-up endpoint is a registration; one to an order, booking, appointment, reservation,
 * ticket or checkout endpoint (not a sub-action such as …/{id}/confirm) is an order placed.
 */
export const BUSINESS_COUNTERS = { registrations: 'registrations', ordersPlaced: 'orders_placed' } as const;

const REGISTER = /\/(register|registration|registrations|signup|sign-up|sign_up|users|accounts)$/i;
const ORDER = /\/(orders?|bookings?|appointments?|reservations?|tickets?|checkout|purchases?)$/i;

export function businessCounter(method: string, route: string, status: number): string | undefined {
  if (method !== 'POST' || status < 200 || status >= 400) return undefined;
  if (REGISTER.test(route)) return BUSINESS_COUNTERS.registrations;
  if (ORDER.test(route)) return BUSINESS_COUNTERS.ordersPlaced;
  return undefined;
}
