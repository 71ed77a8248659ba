import { z } from 'zod';
import * as S from './schemas.js';
import { DEFAULT_MAX_TOPUP_PAISE } from '../config.js';

type Json = Record<string, unknown>;
const schema = (s: z.ZodType): Json => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Json;
const json = (s: z.ZodType): Json => ({ content: { 'application/json': { schema: schema(s) } } });
const err = (description: string): Json => ({ description, ...json(S.ErrorBody) });
const user = [{ bearer: [] }];
const idemHeader = { name: 'Idempotency-Key', in: 'header', required: false, schema: schema(S.IdempotencyKey) };
/** --test-mode only: the OTP comes back in this header, so a load test can log in */
const testOtp = { 'X-Test-Otp': { description: 'the OTP, in --test-mode only', schema: { type: 'string', pattern: '^\\d{6}$' } } };
const retry = (d: string): Json => ({ ...err(d), headers: { 'Retry-After': { schema: { type: 'integer' } } } });

/** OpenAPI 3 of the whole API, generated from the zod schemas that validate the requests. */
export function buildOpenApi(limits: { maxTopupPaise: number } = { maxTopupPaise: DEFAULT_MAX_TOPUP_PAISE }): Json {
  const paths: Record<string, Record<string, Json>> = {
    '/api/v1/districts': { get: { summary: 'Districts of Chhattisgarh', responses: { 200: { description: 'ok', ...json(z.object({ districts: z.array(z.string()) })) } } } },
    '/api/v1/clock': { get: { summary: 'The simulated clock and booking window', responses: { 200: { description: 'ok', ...json(S.Clock) } } } },
    '/api/v1/register': { post: { summary: 'Register (an OTP is sent; X-Test-Otp in --test-mode)', parameters: [idemHeader], requestBody: json(S.RegisterBody),
      responses: { 201: { description: 'registered', headers: testOtp, ...json(z.object({ userId: z.string() })) }, 400: err('invalid'), 409: err('mobile taken or key reused'), 429: retry('slow down'), 503: retry('waiting room full') } } },
    '/api/v1/otp/send': { post: { summary: 'Send a new OTP to a registered mobile', parameters: [idemHeader], requestBody: json(S.OtpSendBody),
      responses: { 202: { description: 'sent', headers: testOtp }, 400: err('invalid'), 404: err('unknown mobile'), 429: retry('too many') } } },
    '/api/v1/otp/verify': { post: { summary: 'Exchange an OTP for a bearer token', parameters: [idemHeader], requestBody: json(S.OtpVerifyBody),
      responses: { 200: { description: 'ok', ...json(z.object({ token: z.string(), userId: z.string() })) }, 400: err('invalid'), 401: err('wrong otp'), 429: retry('locked after 5 wrong') } } },
    '/api/v1/shops': { get: { summary: 'Shops, optionally of one district', parameters: [{ name: 'district', in: 'query', required: false, schema: schema(S.District) }],
      responses: { 200: { description: 'ok', ...json(z.object({ shops: z.array(S.Shop) })) }, 400: err('unknown district') } } },
    '/api/v1/shops/{id}/catalogue': { get: { summary: 'A shop\'s catalogue', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: { description: 'ok', ...json(z.object({ items: z.array(S.CatalogueItem) })) }, 404: err('unknown shop') } } },
    '/api/v1/wallet/topup': { post: { summary: 'Top up through the simulated payment gateway', security: user, parameters: [idemHeader], requestBody: json(S.topupBody(limits.maxTopupPaise)),
      responses: { 201: { description: 'ok', ...json(z.object({ balancePaise: z.int() })) }, 400: err('invalid'), 401: err('no token'), 402: err('payment failed'), 409: err('key reused'), 429: retry('slow down'), 503: retry('busy') } } },
    '/api/v1/wallet': { get: { summary: 'Balance and held money', security: user, responses: { 200: { description: 'ok', ...json(S.Wallet) }, 401: err('no token') } } },
    '/api/v1/wallet/ledger': { get: { summary: 'The user\'s ledger entries (latest 200)', security: user, responses: { 200: { description: 'ok' }, 401: err('no token') } } },
    '/api/v1/orders': {
      post: { summary: 'Place an order: holds its total at once, then queues at the shop', security: user, parameters: [idemHeader], requestBody: json(S.OrderBody),
        responses: { 202: { description: 'queued', ...json(S.OrderView) }, 400: err('invalid'), 401: err('no token'), 402: err('insufficient balance'), 404: err('unknown shop or sku'),
          409: err('closed, out of stock or key reused'), 429: retry('slow down'), 503: retry('busy') } },
      get: { summary: 'The user\'s orders (latest 100)', security: user, responses: { 200: { description: 'ok', ...json(z.object({ orders: z.array(S.OrderView) })) }, 401: err('no token') } },
    },
    '/api/v1/orders/{id}': { get: { summary: 'Order status', security: user, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: { description: 'ok', ...json(S.OrderView) }, 401: err('no token'), 404: err('unknown (or another user\'s) order') } } },
    '/api/v1/orders/{id}/cancel': { post: { summary: 'Cancel a queued order (money released)', security: user, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, idemHeader],
      requestBody: { required: false, ...json(S.CancelBody) }, responses: { 200: { description: 'cancelled', ...json(S.OrderView) }, 401: err('no token'), 404: err('unknown order'), 409: err('not queued') } } },
    '/api/v1/waiting-room': { get: { summary: 'Waiting-room length and ETA', responses: { 200: { description: 'ok' } } } },
    '/api/v1/helpline': { get: { summary: 'Helpline', responses: { 200: { description: 'ok' } } } },
    '/api/v1/admin/config': { get: { summary: 'Configuration and capacity model, with the estimated knee', security: [{ admin: [] }], responses: { 200: { description: 'ok' }, 401: err('no admin token') } } },
    '/healthz': { get: { summary: 'Liveness, mode and capacity model', responses: { 200: { description: 'ok' } } } },
    '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format' } } } },
    '/admin/reconcile': { get: { summary: 'Money recomputed from the ledger', security: [{ admin: [] }], responses: { 200: { description: 'ok' }, 401: err('no admin token') } } },
    '/admin/clock': { post: { summary: 'Align the simulated clock: read simulatedMs at wall time atEpochMs', security: [{ admin: [] }], responses: { 200: { description: 'ok' }, 400: err('invalid'), 401: err('no admin token') } } },
    '/admin/faults': { post: { summary: 'Inject faults: latency, error rate, DB stall', security: [{ admin: [] }], responses: { 200: { description: 'ok' }, 400: err('invalid'), 401: err('no admin token') } } },
    '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'ok' } } } },
  };
  return {
    openapi: '3.0.3',
    info: { title: 'capacity-test reference booking portal', version: '1.0.0', description: 'Money in integer paise. Errors are { error: { code, message } }.' },
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, admin: { type: 'http', scheme: 'bearer' } } },
  };
}
