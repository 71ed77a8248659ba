/** A refusal the API reports as `{ error: { code, message } }` with this status. Rules throw it; routes map it. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const refuse = {
  invalid: (field: string, expected: string, got: unknown) =>
    new DomainError(400, 'invalid_input', `invalid ${field}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`),
  unauthorized: (message = 'missing or invalid bearer token in Authorization') => new DomainError(401, 'unauthorized', message),
  notFound: (what: string, id: unknown) => new DomainError(404, 'not_found', `unknown ${what}: ${JSON.stringify(id)}`),
  conflict: (code: string, message: string) => new DomainError(409, code, message),
  insufficient: (need: number, have: number) =>
    new DomainError(402, 'insufficient_balance', `insufficient balancePaise: order needs ${need}, wallet has ${have}`),
  tooMany: (message: string, retryAfterS: number, extra: Record<string, unknown> = {}) =>
    new DomainError(429, 'too_many_requests', message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterS))) }, extra),
  unavailable: (code: string, message: string, retryAfterS: number, extra: Record<string, unknown> = {}) =>
    new DomainError(503, code, message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterS))) }, extra),
};
