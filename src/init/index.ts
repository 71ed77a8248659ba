/**
 * `capacity-test init`: a runnable scenario from a browser recording (HAR) or an OpenAPI document.
 * Pure from the parsed input to the file's text; reading files and URLs is the CLI's.
 */
import { basename } from 'node:path';
import { UsageError } from '../contracts/errors.js';
import { parseHar } from './har.js';
import { modelFromHar, type HarInitOptions } from './from-har.js';
import { emitScenario } from './emit.js';
import type { ScenarioModel } from './model.js';
import type { OpenApiDoc } from './openapi.js';
import { modelFromOpenApi } from './from-openapi.js';

export { parseHar } from './har.js';
export { modelFromHar } from './from-har.js';
export { emitScenario } from './emit.js';
export type { ScenarioModel } from './model.js';

const RESERVED = new Set(['default', 'options', 'setup', 'teardown', 'function', 'class', 'delete', 'new', 'return', 'export', 'import', 'var', 'let', 'const']);

/** A journey's function name from a file name: "new-user.har" → newUser. */
export function journeyName(file: string): string {
  const words = basename(file).replace(/\.[^.]*$/, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  let name = words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join('');
  if (!name || /^\d/.test(name)) name = `journey${name}`;
  return RESERVED.has(name) ? `${name}Journey` : name;
}

/** Several recordings → one model, a journey each (names made unique). */
export function modelFromHars(files: readonly { file: string; text: string; journey?: string }[], o: Omit<HarInitOptions, 'journey'>): ScenarioModel {
  const models: ScenarioModel[] = [];
  const names = new Set<string>();
  for (const f of files) {
    let name = f.journey ?? journeyName(f.file);
    for (let k = 2; names.has(name); k++) name = `${f.journey ?? journeyName(f.file)}${k}`;
    names.add(name);
    const origin = o.origin ?? models[0]?.origin;
    models.push(modelFromHar(parseHar(f.text, f.file), basename(f.file), { ...o, origin, journey: name }));
  }
  return {
    source: models.map((m) => m.source).join(', '),
    origin: models[0].origin,
    journeys: models.flatMap((m) => m.journeys),
    notes: models.flatMap((m) => (models.length > 1 ? m.notes.map((n) => `${m.source}: ${n}`) : m.notes)),
  };
}

export function scenarioFromHars(files: readonly { file: string; text: string; journey?: string }[], o: Omit<HarInitOptions, 'journey'>, generatedBy: string): string {
  return emitScenario(modelFromHars(files, o), generatedBy);
}

export function scenarioFromOpenApi(doc: OpenApiDoc, o: { source: string; origin?: string }, generatedBy: string): string {
  const model = modelFromOpenApi(doc, o);
  if (model.journeys.length === 0) throw new UsageError(`invalid --openapi ${o.source}: expected operations a scenario can call, got none (${model.notes.join('; ')})`);
  return emitScenario(model, generatedBy);
}
