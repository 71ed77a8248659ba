import type { RequestParams, Response, VU } from '../../src/scenario-api/types.js';
import { districtsFor, weightedPicker } from '../../src/data/districts.js';
import { MOBILE_SPACES, mobileFor } from '../../src/data/mobile.js';
import { DEVANAGARI_FIRST_NAMES, DEVANAGARI_LAST_NAMES, LATIN_FIRST_NAMES, LATIN_LAST_NAMES } from '../../src/data/names.js';
import type { User } from '../../src/data/users.js';
import { withRetries, type RetryPolicy } from './retry.js';
import { header, rngFor, safeJson, type Toolkit } from './toolkit.js';

/**
 * The citizens of launch day, as flows against the portal API (docs/contracts.md#portal-api):
 *   newUser        register → OTP verify (X-Test-Otp) → shops → catalogue → [top up → order → poll status]
 *   returningUser  otp/send → verify → top up → order → poll status
 *   statusChecker  GET /orders/{id}, again, because the delivery did not come
 *   browser        districts → shops → catalogue, no login
 * Before booking opens shops are closed: new users register and leave (to come back), browsers look.
 * Every write carries an Idempotency-Key kept across retries; every request a `name` tag; retries a
 * `retry` tag; a person gives up (journey_abandoned) when a step fails for good or failures pile up.
 */
export interface JourneyConfig {
  target: string;
  seed: number;
  /** simulated seconds per real second: think times shrink with it */
  timeScale: number;
  thinkSeconds: number;
  clientTimeoutSeconds: number;
  retry: RetryPolicy;
  abandonAfterFailures: number;
  statusPolls: number;
  /** chance that a new user goes on to order */
  orderProbability: number;
  orderValuePaise: number;
}

export interface SharedData { districts?: string[]; users?: User[] }

interface Registered { mobile: string; district: string; shopId?: string; items?: Line[] }
interface Placed { token: string; orderId: string }

/** Per-worker pools (module scope in a scenario): people who registered, orders to check on. */
export class Pools {
  readonly registered: Registered[] = [];
  readonly orders: Placed[] = [];
  constructor(readonly limit = 10_000) {}
  addRegistered(r: Registered): void { this.registered.push(r); if (this.registered.length > this.limit) this.registered.shift(); }
  addOrder(o: Placed): void { this.orders.push(o); if (this.orders.length > this.limit) this.orders.shift(); }
}

export type JourneyName = 'newUser' | 'returningUser' | 'statusChecker' | 'browser';
export type Outcome = 'completed' | 'abandoned' | 'skipped';

class Abandon extends Error { constructor(readonly step: string) { super(`abandoned at ${step}`); } }

const P = '/api/v1';

/** One person's visit: their requests, failures, randomness and login. */
class Visit {
  readonly random: () => number;
  failures = 0;
  token?: string;
  constructor(readonly vu: VU, readonly tk: Toolkit, readonly cfg: JourneyConfig, readonly journey: JourneyName) {
    this.random = rngFor(cfg.seed, journey, vu.iterationInTest);
  }

  private params(name: string, write: boolean, step: string): RequestParams {
    const headers: Record<string, string> = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (write) headers['Idempotency-Key'] = `ct-${this.cfg.seed}-${this.journey}-${this.vu.iterationInTest}-${step}`;
    return { headers, tags: { name, journey: this.journey }, timeout: `${this.cfg.clientTimeoutSeconds}s` };
  }

  /** A step with retries; a final failure (or too many failures) ends the visit. */
  async call(method: 'GET' | 'POST', path: string, name: string, step: string, body?: unknown, ok: (r: Response) => boolean = (r) => r.status >= 200 && r.status < 300): Promise<Response> {
    const url = `${this.cfg.target}${P}${path}`;
    const send = (params: RequestParams) => method === 'GET'
      ? this.vu.http.get(url, params)
      : this.vu.http.post(url, { json: body }, params);
    const { res, failures } = await withRetries(this.tk, this.cfg.retry, this.random, send, this.params(name, method === 'POST', step), step, this.cfg.abandonAfterFailures - this.failures);
    this.failures += failures;
    const passed = this.tk.check(res, { [`${name} ok`]: ok }, { journey: this.journey });
    // Impatience: even a step that finally worked ends the visit once failures have piled up.
    if (!passed || this.failures >= this.cfg.abandonAfterFailures) throw new Abandon(step);
    return res;
  }

  async think(): Promise<void> {
    const s = (this.cfg.thinkSeconds * (0.5 + this.random())) / this.cfg.timeScale;
    if (s > 0) await this.tk.sleep(s);
  }

  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.random() * xs.length)]; }
}

async function run(v: Visit, body: () => Promise<void>): Promise<Outcome> {
  try {
    await body();
    return 'completed';
  } catch (err) {
    if (err instanceof Abandon) {
      v.tk.count('journey_abandoned', 1, { journey: v.journey, step: err.step });
      return 'abandoned';
    }
    throw err;
  }
}

function identity(v: Visit, data: SharedData, space: number): { mobile: string; name: string; district: string } {
  const i = v.vu.iterationInTest;
  const mobile = mobileFor(v.cfg.seed, space + i);
  const districts = districtsFor(data.districts);
  const known = new Set(districts.map((d) => d.name));
  const fromFile = space === MOBILE_SPACES.newUser ? data.users?.[i] : undefined;
  const district = fromFile && known.has(fromFile.district) ? fromFile.district : weightedPicker(districts)(v.random()).name;
  const name = fromFile?.name ?? (v.random() < 0.2
    ? `${v.pick(DEVANAGARI_FIRST_NAMES)} ${v.pick(DEVANAGARI_LAST_NAMES)}`
    : `${v.pick(LATIN_FIRST_NAMES)} ${v.pick(LATIN_LAST_NAMES)}`);
  return { mobile, name, district };
}

async function login(v: Visit, mobile: string, otpFrom: Response): Promise<void> {
  const otp = header(otpFrom, 'x-test-otp');
  if (!otp) { v.tk.check(otpFrom, { 'OTP in X-Test-Otp (portal in --test-mode)': () => false }); throw new Abandon('otp'); }
  const res = await v.call('POST', '/otp/verify', 'POST /api/v1/otp/verify', 'verify', { mobile, otp }, (r) => r.status === 200);
  v.token = safeJson<{ token?: string }>(res)?.token;
  if (!v.token) throw new Abandon('verify');
}

type Line = { sku: string; qty: number; pricePaise: number };

/** Shops and a basket; undefined when every shop is closed (before 09:00 on the simulated clock). */
async function browse(v: Visit, district: string): Promise<{ shopId: string; basket: Line[] } | undefined> {
  const shopsRes = await v.call('GET', `/shops?district=${encodeURIComponent(district)}`, 'GET /api/v1/shops', 'shops', undefined, (r) => r.status === 200);
  const shops = (safeJson<{ shops?: { id: string | number; open?: boolean }[] }>(shopsRes)?.shops ?? []).filter((s) => s.open !== false);
  if (shops.length === 0) { v.tk.count('shops_closed', 1, { journey: v.journey }); return undefined; }
  const shop = v.pick(shops);
  await v.think();
  const catRes = await v.call('GET', `/shops/${encodeURIComponent(String(shop.id))}/catalogue`, 'GET /api/v1/shops/{id}/catalogue', 'catalogue', undefined, (r) => r.status === 200);
  const items = (safeJson<{ items?: { sku: string; pricePaise: number; stock: number }[] }>(catRes)?.items ?? []).filter((it) => it.stock > 0);
  if (items.length === 0) throw new Abandon('out-of-stock');
  // A basket near the launch day's average order (₹1,490): one or two lines, whole quantities.
  const first = v.pick(items);
  const qty = Math.max(1, Math.min(3, Math.round(v.cfg.orderValuePaise / Math.max(1, first.pricePaise))));
  return { shopId: String(shop.id), basket: [{ sku: first.sku, qty: Math.min(qty, first.stock), pricePaise: first.pricePaise }] };
}

async function order(v: Visit, pools: Pools, shopId: string, basket: Line[]): Promise<void> {
  const total = basket.reduce((s, it) => s + it.qty * it.pricePaise, 0);
  // People top up in round rupees: the next ₹100 above the basket.
  const amountPaise = Math.ceil(total / 10_000) * 10_000;
  await v.call('POST', '/wallet/topup', 'POST /api/v1/wallet/topup', 'topup', { amountPaise }, (r) => r.status === 201);
  await v.think();
  const res = await v.call('POST', '/orders', 'POST /api/v1/orders', 'order', { shopId, items: basket.map(({ sku, qty }) => ({ sku, qty })) }, (r) => r.status === 202);
  const orderId = safeJson<{ orderId?: string | number }>(res)?.orderId;
  if (orderId === undefined) throw new Abandon('order');
  v.tk.count('orders_placed', 1, { journey: v.journey });
  pools.addOrder({ token: v.token!, orderId: String(orderId) });
  for (let k = 0; k < v.cfg.statusPolls; k++) {
    await v.think();
    const st = await v.call('GET', `/orders/${encodeURIComponent(String(orderId))}`, 'GET /api/v1/orders/{id}', `poll${k}`, undefined, (r) => r.status === 200);
    const status = safeJson<{ status?: string }>(st)?.status;
    if (status === 'accepted' || status === 'delivered') { v.tk.count('orders_accepted', 1, { journey: v.journey }); return; }
    if (status && status !== 'queued') return;
  }
}

export async function newUser(vu: VU, tk: Toolkit, cfg: JourneyConfig, data: SharedData, pools: Pools): Promise<Outcome> {
  const v = new Visit(vu, tk, cfg, 'newUser');
  return run(v, async () => {
    const me = identity(v, data, MOBILE_SPACES.newUser);
    const reg = await v.call('POST', '/register', 'POST /api/v1/register', 'register', me, (r) => r.status === 201);
    tk.count('registrations', 1, { journey: 'newUser' });
    await login(v, me.mobile, reg);
    await v.think();
    const found = await browse(v, me.district);
    if (!found) {
      // Registered before booking opened: they will come back to order (a returning user).
      pools.addRegistered({ mobile: me.mobile, district: me.district });
      return;
    }
    const { shopId, basket } = found;
    if (v.random() >= cfg.orderProbability) {
      pools.addRegistered({ mobile: me.mobile, district: me.district, shopId, items: basket });
      return;
    }
    await v.think();
    await order(v, pools, shopId, basket);
  });
}

export async function returningUser(vu: VU, tk: Toolkit, cfg: JourneyConfig, data: SharedData, pools: Pools): Promise<Outcome> {
  const v = new Visit(vu, tk, cfg, 'returningUser');
  return run(v, async () => {
    let me = pools.registered.pop();
    if (!me) {
      // Nobody registered on this worker yet: this person registered earlier (their number from another space).
      const id = identity(v, data, MOBILE_SPACES.returningUser);
      await v.call('POST', '/register', 'POST /api/v1/register', 'register', id, (r) => r.status === 201 || r.status === 409);
      me = { mobile: id.mobile, district: id.district };
    }
    const sent = await v.call('POST', '/otp/send', 'POST /api/v1/otp/send', 'otp-send', { mobile: me.mobile }, (r) => r.status === 202);
    await login(v, me.mobile, sent);
    await v.think();
    let basket = me.items;
    let shopId = me.shopId;
    if (!basket || !shopId) {
      const found = await browse(v, me.district);
      if (!found) throw new Abandon('shops-closed');
      ({ shopId, basket } = found);
      await v.think();
    }
    await order(v, pools, shopId, basket);
  });
}

export async function statusChecker(vu: VU, tk: Toolkit, cfg: JourneyConfig, _data: SharedData, pools: Pools): Promise<Outcome> {
  const v = new Visit(vu, tk, cfg, 'statusChecker');
  if (pools.orders.length === 0) { tk.count('journey_skipped', 1, { journey: 'statusChecker', reason: 'no orders yet on this worker' }); return 'skipped'; }
  const o = v.pick(pools.orders);
  v.token = o.token;
  return run(v, async () => {
    await v.call('GET', `/orders/${encodeURIComponent(o.orderId)}`, 'GET /api/v1/orders/{id}', 'status', undefined, (r) => r.status === 200);
  });
}

export async function browser(vu: VU, tk: Toolkit, cfg: JourneyConfig, data: SharedData, _pools: Pools): Promise<Outcome> {
  const v = new Visit(vu, tk, cfg, 'browser');
  return run(v, async () => {
    const res = await v.call('GET', '/districts', 'GET /api/v1/districts', 'districts', undefined, (r) => r.status === 200);
    const listed = safeJson<{ districts?: string[] }>(res)?.districts;
    const district = weightedPicker(districtsFor(listed ?? data.districts))(v.random()).name;
    await v.think();
    await browse(v, district);
  });
}

export const JOURNEY_FUNCTIONS = { newUser, returningUser, statusChecker, browser } as const;
