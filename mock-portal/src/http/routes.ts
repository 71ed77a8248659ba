import { Router, type Request, type Response } from 'express';
import { DISTRICTS } from '../data/chhattisgarh.js';
import { refuse } from '../domain/errors.js';
import { fingerprint, type Outcome } from '../infra/idempotency.js';
import type { IdempotencyStore } from '../infra/idempotency.js';
import type { Services } from '../services.js';
import { formatHHMMSS } from '../clock.js';
import * as S from './schemas.js';
import { parse } from './validate.js';

export function send(res: Response, o: Outcome): void {
  for (const [k, v] of Object.entries(o.headers)) res.setHeader(k, v);
  res.status(o.status).json(o.body);
}

/** The user behind `Authorization: Bearer <token>`, or a 401 refusal. */
function userOf(req: Request, svc: Services): string {
  const m = /^Bearer ([A-Za-z0-9_\-.~+/=]{1,512})$/.exec(req.get('authorization') ?? '');
  const userId = m ? svc.authenticate(m[1]) : null;
  if (!userId) throw refuse.unauthorized();
  return userId;
}

/**
 * With an Idempotency-Key: the stored first response, or run once. Without: just run. `exec` gets the
 * function to store its outcome inside its own transaction.
 */
async function once(req: Request, idem: IdempotencyStore, scope: string, body: unknown, exec: (save: (o: Outcome) => void) => Promise<Outcome>): Promise<Outcome> {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return exec(() => {});
  const key = parse(S.IdempotencyKey, raw, 'Idempotency-Key');
  return idem.run(scope, key, fingerprint(req.method, req.path, body), exec);
}

/** Routes parse and delegate: validation here, rules in services and domain. */
export function apiRoutes(svc: Services, idem: IdempotencyStore, clockInfo: { speed: number; opens: string; closes: string; cutoff: string }, limits: { maxTopupPaise: number }): Router {
  const r = Router();
  const TopupBody = S.topupBody(limits.maxTopupPaise);

  r.get('/districts', (_req, res) => { res.json({ districts: [...DISTRICTS] }); });

  r.get('/clock', (_req, res) => {
    const t = svc.simNow();
    res.json({ time: formatHHMMSS(t), simulatedMs: Math.round(t), speed: clockInfo.speed, bookingOpen: svc.open(), opens: clockInfo.opens, closes: clockInfo.closes, deliveryCutoff: clockInfo.cutoff });
  });

  r.post('/register', async (req, res) => {
    const body = parse(S.RegisterBody, req.body);
    send(res, await once(req, idem, `mobile:${body.mobile}`, body, (save) => svc.register(body, save)));
  });

  r.post('/otp/send', async (req, res) => {
    const body = parse(S.OtpSendBody, req.body);
    send(res, await once(req, idem, `mobile:${body.mobile}`, body, (save) => svc.sendOtp(body.mobile, save)));
  });

  r.post('/otp/verify', async (req, res) => {
    const body = parse(S.OtpVerifyBody, req.body);
    send(res, await once(req, idem, `mobile:${body.mobile}`, body, (save) => svc.verifyOtp(body.mobile, body.otp, body.revokeOthers === true, save)));
  });

  r.get('/shops', async (req, res) => {
    const q = parse(S.ShopsQuery, req.query, 'query');
    res.json(await svc.shops(q.district));
  });

  r.get('/shops/:id/catalogue', async (req, res) => {
    res.json(await svc.catalogueOf(req.params.id));
  });

  r.post('/wallet/topup', async (req, res) => {
    const userId = userOf(req, svc);
    const body = parse(TopupBody, req.body);
    send(res, await once(req, idem, userId, body, (save) => svc.topup(userId, body.amountPaise, save)));
  });

  r.get('/wallet', async (req, res) => { res.json(await svc.wallet(userOf(req, svc))); });
  r.get('/wallet/ledger', async (req, res) => { res.json(await svc.walletLedger(userOf(req, svc))); });

  r.post('/orders', async (req, res) => {
    const userId = userOf(req, svc);
    const body = parse(S.OrderBody, req.body);
    send(res, await once(req, idem, userId, body, (save) => svc.placeOrder(userId, body.shopId, body.items, save)));
  });

  r.get('/orders', async (req, res) => { res.json(await svc.listOrders(userOf(req, svc))); });
  r.get('/orders/:id', async (req, res) => { res.json(await svc.order(userOf(req, svc), req.params.id)); });

  r.post('/orders/:id/cancel', async (req, res) => {
    const userId = userOf(req, svc);
    const body = parse(S.CancelBody, req.body ?? {});
    send(res, await once(req, idem, userId, { orderId: req.params.id, ...body }, (save) => svc.cancelOrder(userId, req.params.id, save)));
  });

  r.get('/waiting-room', (_req, res) => {
    res.json({ size: svc.room.size, etaSeconds: Math.round(svc.room.etaSeconds() * 10) / 10, admitted: svc.room.admitted, refused: svc.room.refused });
  });

  // the helpline rides on the same server (as on launch day); in resilient mode it never waits for a pool
  r.get('/helpline', async (_req, res) => { res.json(await svc.helpline()); });

  return r;
}
