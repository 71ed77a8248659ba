import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { writeTransaction, type Db } from '../infra/db.js';
import { DomainError, refuse } from './errors.js';
import type { Ledger } from './ledger.js';

export interface OtpRules {
  ttlMs: number; maxWrong: number; lockMs: number; sendsPerWindow: number; sendWindowMs: number;
  /** a bearer token stops working this long after its login (0 = never) */
  tokenTtlMs: number;
  /** otp/send answers an unknown mobile as a registered one (an OTP is kept for it; verify still fails) */
  otpSendUniform: boolean;
}

export interface Users {
  register(input: { mobile: string; name: string; district: string }): { userId: string; otp: string };
  sendOtp(mobile: string): { otp: string };
  /** `revokeOthers`: the user's other bearer tokens stop working */
  verifyOtp(mobile: string, otp: string, revokeOthers?: boolean): { token: string; userId: string };
  /** the user a bearer token belongs to, or null */
  authenticate(token: string): string | null;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

interface OtpRow { mobile: string; code_hash: string | null; expires_at: number; wrong: number; locked_until: number; sends_window_start: number; sends: number }

/**
 * Registration, OTP login and bearer tokens. OTPs and tokens are stored hashed; tokens live in the
 * database so they survive a restart. Times here are wall-clock (an OTP's 5 minutes are a person's).
 */
export function createUsers(db: Db, ledger: Ledger, rules: OtpRules, now: () => number = Date.now): Users {
  const byMobile = db.prepare<[string], { id: string }>('SELECT id FROM users WHERE mobile = ?');
  const insUser = db.prepare('INSERT INTO users (id, mobile, name, district, created_at) VALUES (?, ?, ?, ?, ?)');
  const getOtp = db.prepare<[string], OtpRow>('SELECT * FROM otps WHERE mobile = ?');
  const putOtp = db.prepare(`INSERT INTO otps (mobile, code_hash, expires_at, wrong, locked_until, sends_window_start, sends)
    VALUES (@mobile, @code_hash, @expires_at, @wrong, @locked_until, @sends_window_start, @sends)
    ON CONFLICT(mobile) DO UPDATE SET code_hash=@code_hash, expires_at=@expires_at, wrong=@wrong,
      locked_until=@locked_until, sends_window_start=@sends_window_start, sends=@sends`);
  const insSession = db.prepare('INSERT INTO sessions (token_hash, user_id, created_at) VALUES (?, ?, ?)');
  const getSession = db.prepare<[string], { user_id: string; created_at: number }>('SELECT user_id, created_at FROM sessions WHERE token_hash = ?');
  const dropSession = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const dropOthers = db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?');

  const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

  function issue(mobile: string): string {
    const t = now();
    const row = getOtp.get(mobile) ?? { mobile, code_hash: null, expires_at: 0, wrong: 0, locked_until: 0, sends_window_start: t, sends: 0 };
    if (t - row.sends_window_start >= rules.sendWindowMs) { row.sends_window_start = t; row.sends = 0; }
    if (row.sends >= rules.sendsPerWindow) {
      const wait = (row.sends_window_start + rules.sendWindowMs - t) / 1000;
      throw refuse.tooMany(`too many OTPs sent to mobile: try again in ${Math.ceil(wait)} s`, wait);
    }
    const code = newCode();
    putOtp.run({ ...row, code_hash: sha256(`${mobile}:${code}`), expires_at: t + rules.ttlMs, sends: row.sends + 1 });
    return code;
  }

  return {
    register({ mobile, name, district }) {
      return writeTransaction(db, () => {
        if (byMobile.get(mobile)) throw refuse.conflict('mobile_taken', `invalid mobile: ${mobile} is already registered`);
        const userId = `usr_${randomUUID()}`;
        insUser.run(userId, mobile, name, district, now());
        ledger.ensureUserAccounts(userId);
        return { userId, otp: issue(mobile) };
      })();
    },
    sendOtp(mobile) {
      return writeTransaction(db, () => {
        // uniform: the same 202 (and the same per-mobile limit) whether or not the mobile is registered
        if (!rules.otpSendUniform && !byMobile.get(mobile)) throw refuse.notFound('mobile', mobile);
        return { otp: issue(mobile) };
      })();
    },
    verifyOtp(mobile, otp, revokeOthers = false) {
      // the wrong-try counter must commit even though the call is refused: decide inside, throw outside
      const result = writeTransaction(db, (): { token: string; userId: string } | null => {
        const t = now();
        const row = getOtp.get(mobile);
        const user = byMobile.get(mobile);
        if (row && row.locked_until > t) {
          const wait = (row.locked_until - t) / 1000;
          throw refuse.tooMany(`too many wrong otp for mobile: locked for ${Math.ceil(wait)} s`, wait);
        }
        const expected = row?.code_hash ? Buffer.from(row.code_hash, 'hex') : null;
        const given = Buffer.from(sha256(`${mobile}:${otp}`), 'hex');
        const ok = !!user && !!row && !!expected && row.expires_at > t && timingSafeEqual(expected, given);
        if (!ok) {
          if (row) {
            const wrong = row.wrong + 1;
            const locked = wrong >= rules.maxWrong;
            putOtp.run({ ...row, wrong: locked ? 0 : wrong, locked_until: locked ? t + rules.lockMs : row.locked_until });
          }
          return null;
        }
        // an OTP works once
        putOtp.run({ ...row, code_hash: null, wrong: 0 });
        const token = randomBytes(32).toString('base64url');
        insSession.run(sha256(token), user.id, t);
        if (revokeOthers) dropOthers.run(user.id, sha256(token));
        return { token, userId: user.id };
      })();
      if (!result) throw new DomainError(401, 'wrong_otp', 'invalid otp: wrong, expired or already used');
      return result;
    },
    authenticate(token) {
      const hash = sha256(token);
      const s = getSession.get(hash);
      if (!s) return null;
      if (rules.tokenTtlMs > 0 && now() - s.created_at >= rules.tokenTtlMs) { dropSession.run(hash); return null; }
      return s.user_id;
    },
  };
}
