/** The reference portal's admin calls the run makes while it goes (faults, clock). */

/** A `POST {path}` with the admin token; a refusal is an error naming the status and the portal's message. */
export function adminPost<T>(target: string, adminToken: string, path: string): (body: T) => Promise<void> {
  return async (body) => {
    const res = await fetch(`${target}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    await res.arrayBuffer().catch(() => undefined);
  };
}
