import { describe, expect, it } from 'vitest';
import { readOpenApi } from '../../../src/init/openapi.js';
import { modelFromOpenApi, linkCapture } from '../../../src/init/from-openapi.js';
import { emitScenario } from '../../../src/init/emit.js';

const doc = {
  openapi: '3.0.3', info: { title: 'tickets' }, servers: [{ url: 'https://staging.example.in/v2' }],
  components: {
    schemas: { Ticket: { type: 'object', properties: { ref: { type: 'string' }, seats: { type: 'integer' } }, required: ['ref'] } },
    securitySchemes: { user: { type: 'http', scheme: 'bearer' } },
  },
  paths: {
    '/sessions': { post: { operationId: 'login', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } } } } },
      responses: { 201: { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { accessToken: { type: 'string' } } } } } } } } },
    '/tickets': { post: { operationId: 'book', security: [{ user: [] }], requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['seats'], properties: { seats: { type: 'integer', minimum: 2 } } } } } },
      responses: { 201: { description: 'booked', content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } },
        links: { show: { operationId: 'show', parameters: { code: '$response.body#/ref' } } } } } } },
    '/tickets/{code}': { get: { operationId: 'show', security: [{ user: [] }], parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: { description: 'ok' } } } },
  },
};

describe('OpenAPI → journeys', () => {
  const model = modelFromOpenApi(readOpenApi(doc, 'doc.json'), { source: 'doc.json' });
  const text = emitScenario(model, 'capacity-test init --openapi doc.json');
  it('follows a link to fill a path parameter, and the bearer from the token an operation returns', () => {
    expect(text).toContain('v.code = fromJson(res, ["ref"]);');
    expect(text).toContain('`${BASE}/v2/tickets/${encodeURIComponent(String(v.code))}`');
    expect(text).toContain("'authorization': `Bearer ${v.accessToken}`");
    expect(text).toContain('json: { seats: 2 }');
    expect(text).toContain('json: { email: p.email }');
    expect(model.origin).toBe('https://staging.example.in');
    expect(model.journeys.map((j) => j.name)).toEqual(['sessions']);
  });
  it('reads link expressions', () => {
    expect(linkCapture('$response.body#/items/0/id')).toEqual({ from: 'json', path: ['items', 0, 'id'] });
    expect(linkCapture('$response.header.X-Order')).toEqual({ from: 'header', name: 'x-order' });
  });
  it('refuses a document that is not OpenAPI 3, naming the field', () => {
    expect(() => readOpenApi({ swagger: '2.0', paths: {} }, 'old.json')).toThrow(/invalid OpenAPI document old.json: expected openapi/);
  });
});
