import { describe, expect, it } from 'vitest';
import { transformK6 } from '../../../src/k6/transform/index.js';

const HEAD = `import http from "k6/http";\nimport { check, sleep, group } from "k6";\n`;
const t = (body: string) => transformK6(HEAD + body);
const ok = (body: string) => {
  const r = t(body);
  expect(r.problems).toEqual([]);
  return r.code;
};

describe('the k6 transform: what becomes async and what is awaited', () => {
  it('awaits a helper two calls deep and makes both helpers and the default function async', () => {
    const code = ok(`function inner(u) { return http.get(u).status; }
function outer(u) { return inner(u) + 1; }
function main() { outer("x"); }
export { main as default };`);
    expect(code).toContain('async function inner(u) { return (await http.get(u)).status; }');
    expect(code).toContain('async function outer(u) { return (await inner(u)) + 1; }');
    expect(code).toContain('async function main() { (await outer("x")); }');
  });

  it('leaves functions that reach no request synchronous and their calls unawaited', () => {
    const code = ok(`function pure(a) { return a * 2; }
function main() { const x = pure(2); http.get("u" + x); }
export { main as default };`);
    expect(code).toContain('function pure(a)');
    expect(code).not.toContain('async function pure');
    expect(code).toContain('const x = pure(2);');
  });

  it('awaits inside loops (for, while, for…of) without changing the loop', () => {
    const code = ok(`function main() { for (let i = 0; i < 3; i++) { http.get("a"); } let n = 0; while (n++ < 2) sleep(0.1); for (const u of ["a"]) http.post(u, "b"); }
export { main as default };`);
    expect(code).toContain('for (let i = 0; i < 3; i++) { (await http.get("a")); }');
    expect(code).toContain('while (n++ < 2) (await sleep(0.1));');
    expect(code).toContain('for (const u of ["a"]) (await http.post(u, "b"));');
  });

  it('runs forEach/map/filter callbacks that make requests in turn, and leaves check callbacks synchronous', () => {
    const code = ok(`function main() {
  [1, 2].forEach((i) => http.get("a" + i));
  const codes = ["a", "b"].map(function (u) { return http.get(u).status; });
  const res = http.get("c");
  check(res, { "is 200": (r) => r.status === 200 });
}
export { main as default };`);
    expect(code).toContain('(await __k6seq("forEach", [1, 2], async (i) => (await http.get("a" + i))))');
    expect(code).toContain('(await __k6seq("map", ["a", "b"], async function (u) { return (await http.get(u)).status; }))');
    expect(code).toContain('check(res, { "is 200": (r) => r.status === 200 })');
  });

  it('awaits a callback made async inside the user function it is handed to (closures, higher-order helpers)', () => {
    const code = ok(`function retry(fn, n) { for (let i = 0; i < n; i++) { const r = fn(); if (r.status === 200) return r; } }
function main() { const base = "b"; const r = retry(() => http.get(base), 3); }
export { main as default };`);
    expect(code).toContain('async function retry(fn, n)');
    expect(code).toContain('const r = (await fn());');
    expect(code).toContain('const r = (await retry(async () => (await http.get(base)), 3));');
  });

  it('makes class methods async (this.method() and obj.method()), the constructor untouched', () => {
    const code = ok(`class Api { constructor(base) { this.base = base; } get(p) { return http.get(this.base + p); } login() { return this.get("/login").json("token"); } }
function main() { const api = new Api("x"); api.login(); }
export { main as default };`);
    expect(code).toContain('async get(p) { return (await http.get(this.base + p)); }');
    expect(code).toContain('async login() { return (await this.get("/login")).json("token"); }');
    expect(code).toContain('(await api.login());');
    expect(code).toContain('constructor(base)');
  });

  it('awaits group() when its callback makes requests, and sleep and batch', () => {
    const code = ok(`function main() { group("shop", function () { http.batch(["a", "b"]); sleep(1); }); group("pure", () => 1); }
export { main as default };`);
    expect(code).toContain('(await group("shop", async function () { (await http.batch(["a", "b"])); (await sleep(1)); }))');
    expect(code).toContain('group("pure", () => 1)');
  });

  it('wraps the module body into a per-VU init function and re-exports every export through it', () => {
    const code = ok(`var options = { vus: 1 };
let counter = 0;
function main() { counter++; http.get("a"); }
function setup() { return 1; }
export { main as default, options, setup };`);
    expect(code).toMatch(/^import http from "k6\/http"; import \{ check, sleep, group \} from "k6"; import \{ k6Instance as __k6Instance/);
    expect(code).toContain('return { "default": main, "options": options, "setup": setup };');
    expect(code).toContain('export { __k6_export_0 as default };');
    // lines of the script stay where they were, so its source map still holds
    expect(code.split('\n').findIndex((l) => l.includes('counter++'))).toBe(4);
  });
});

describe('the k6 transform: what it refuses, with the line', () => {
  it('refuses a request in a check callback', () => {
    const r = t(`function main() { check(1, {\n "x": () => http.get("a").status === 200 }); }\nexport { main as default };`);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].line).toBe(4);
    expect(r.problems[0].reason).toMatch(/check\(\) callback .* must stay synchronous/);
  });

  it('refuses a request at init, a getter that requests, and a constructor that requests', () => {
    const r = t(`const r0 = http.get("init");
class A { constructor() { http.get("c"); } get v() { return http.get("g"); } }
function main() { new A(); }
export { main as default };`);
    const reasons = r.problems.map((p) => `${p.line}: ${p.reason}`).join('\n');
    expect(reasons).toMatch(/3: an HTTP request, sleep\(\) or group\(\) around them in the init context/);
    expect(reasons).toMatch(/4: a class constructor makes an HTTP request/);
    expect(reasons).toMatch(/4: a getter makes an HTTP request/);
  });

  it('refuses a request callback handed to a function it does not know', () => {
    const r = t(`function main() { "abc".replace(/a/g, () => http.get("x").body); }\nexport { main as default };`);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].reason).toMatch(/passed to replace\(\) the transform does not know/);
  });
});
