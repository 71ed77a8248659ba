/**
 * What `init` writes, before it is code: journeys of steps of requests whose URL, headers and body
 * are templates (literal text, a captured variable, a seeded personal field, an env value). The HAR
 * and OpenAPI readers build it; `emit.ts` turns it into a scenario file.
 */
import type { JsonPath } from '../scenario-api/capture.js';
import type { SeededPerson } from '../data/person.js';

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; encode?: boolean }
  | { kind: 'person'; field: keyof SeededPerson; encode?: boolean }
  | { kind: 'env'; name: string; fallback: string };

/** Parts concatenated; a template of one var part keeps the captured value's type (a number stays a number). */
export type Template = Part[];

export type Capture =
  | { var: string; from: 'json'; path: JsonPath }
  | { var: string; from: 'header'; name: string; pattern?: string }
  | { var: string; from: 'cookie'; name: string }
  | { var: string; from: 'form'; name: string };

/** Where a capture reads its value (a Capture without its variable). */
export type CaptureFrom = Capture extends infer C ? (C extends Capture ? Omit<C, 'var'> : never) : never;

export type JsonTemplate =
  | { t: 'value'; value: null | boolean | number | string }
  | { t: 'template'; template: Template }
  | { t: 'array'; items: JsonTemplate[] }
  | { t: 'object'; entries: [string, JsonTemplate][] };

export type Body =
  | { kind: 'json'; value: JsonTemplate }
  | { kind: 'form'; fields: [string, Template][] }
  | { kind: 'text'; mime: string; text: Template };

export interface RequestSpec {
  method: string;
  /** path and query, after the base URL */
  path: Template;
  headers: [string, Template][];
  body: Body | null;
  /** the endpoint template, the request's `name` tag: `GET /api/v2/tickets/{id}` */
  name: string;
  /** statuses the check accepts */
  expect: number[];
  captures: Capture[];
  /** k6 redirects param: 0 when the recording followed each hop as a request of its own */
  redirects?: number;
  /** a business counter to add 1 to when the check passes (documented names: registrations, orders_placed) */
  counter?: string;
}

export interface Step {
  title: string;
  /** think time before the step, seconds */
  thinkSeconds: number;
  requests: RequestSpec[];
}

export interface Journey { name: string; steps: Step[] }

export interface ScenarioModel {
  /** where it came from, for the header comment */
  source: string;
  origin: string;
  journeys: Journey[];
  /** comment lines: what was left out and why, what a person should look at */
  notes: string[];
}

export const text = (t: string): Part => ({ kind: 'text', text: t });
