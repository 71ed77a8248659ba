import { z } from 'zod';
import { DISTRICTS } from '../data/chhattisgarh.js';
import { ORDER_STATUSES } from '../domain/orders.js';

/** Input and output schemas of the API: they validate requests and generate /openapi.json. */
const MAX_PAISE = 1_000_000_000; // ₹1 crore: anything larger in one call is an input error

export const Mobile = z.string().regex(/^\+91[6-9]\d{9}$/, 'expected "+91" then 10 digits starting 6–9');
/** bidirectional controls (LRM, RLM, ALM, embeddings, overrides, isolates): they make a name display as another */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const Name = z.string()
  .refine((s) => [...s.trim()].length >= 1 && [...s].length <= 100, 'expected 1–100 characters')
  .refine((s) => !/\p{Cc}/u.test(s), 'expected no control characters')
  // a lone surrogate would be stored as invalid UTF-8
  .refine((s) => !/\p{Cs}/u.test(s), 'expected well-formed Unicode (no unpaired surrogate)')
  .refine((s) => !BIDI_CONTROLS.test(s), 'expected no bidirectional control characters (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069)')
  // zero-width spaces, joiners and marks alone are not a name
  .refine((s) => /\p{L}/u.test(s), 'expected at least one visible letter');
export const District = z.enum(DISTRICTS, { error: `expected one of the districts of Chhattisgarh (GET /api/v1/districts)` });
const Paise = z.int('expected a positive integer of paise').positive('expected a positive integer of paise').max(MAX_PAISE, `expected at most ${MAX_PAISE} paise`);

export const RegisterBody = z.strictObject({ mobile: Mobile, name: Name, district: District });
export const OtpSendBody = z.strictObject({ mobile: Mobile });
export const OtpVerifyBody = z.strictObject({
  mobile: Mobile, otp: z.string().regex(/^\d{6}$/, 'expected 6 digits'),
  /** a new login can end the user's other sessions: their bearer tokens stop working */
  revokeOthers: z.boolean('expected true or false').optional(),
});
/** A top-up body under the configured limit, named in the refusal (maxTopupPaise). */
export const topupBody = (maxTopupPaise: number) => z.strictObject({
  amountPaise: Paise.max(maxTopupPaise, `expected at most ${maxTopupPaise} paise (₹${(maxTopupPaise / 100).toLocaleString('en-IN')}, the configured maxTopupPaise)`),
});
const Qty = z.int('expected a positive integer').positive('expected a positive integer').max(1000, 'expected at most 1000');
export const OrderBody = z.strictObject({
  shopId: z.string().min(1).max(64),
  items: z.array(z.strictObject({ sku: z.string().min(1).max(64), qty: Qty })).min(1, 'expected at least one item').max(50, 'expected at most 50 items'),
});
export const ShopsQuery = z.strictObject({ district: District.optional() });
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'expected 1–200 visible ASCII characters');

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export const OrderView = z.object({
  orderId: z.string(), status: z.enum(ORDER_STATUSES), totalPaise: z.int(), shopId: z.string(),
  items: z.array(z.object({ sku: z.string(), qty: z.int() })), money: z.enum(['open', 'captured', 'released']), reason: z.string().nullable(),
});
export const Shop = z.object({ id: z.string(), name: z.string(), district: z.string(), kind: z.enum(['desi', 'premium', 'english', 'composite']), open: z.boolean() });
export const CatalogueItem = z.object({ sku: z.string(), name: z.string(), pricePaise: z.int(), stock: z.int() });
export const Wallet = z.object({ balancePaise: z.int(), heldPaise: z.int() });
export const Clock = z.object({ time: z.string(), simulatedMs: z.number(), speed: z.number(), bookingOpen: z.boolean(), opens: z.string(), closes: z.string(), deliveryCutoff: z.string() });
export const CancelBody = z.strictObject({ reason: z.string().max(200).optional() });
