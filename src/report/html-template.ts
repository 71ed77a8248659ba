import { escapeHtml } from './format.js';

/**
 * HTML built by a tagged template that escapes by default: every value put into `html\`…\`` is
 * escaped (text from data, from the string tables, numbers alike), unless it is itself Html — a
 * fragment built the same way, or text marked trusted with `trusted()` (the page's own CSS, scripts
 * and JSON made safe for a <script>). Arrays are rendered item by item; null, undefined and false
 * render as nothing. So no call site places an escape by hand, and forgetting one cannot happen.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string { return this.text; }
}

/** Text the page itself produced and that is safe where it is put (CSS, script bodies, JSON for a script). */
export function trusted(text: string): Html {
  return new Html(text);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Fragments joined by `sep` (a newline by default), as one fragment. */
export function joinHtml(parts: readonly Html[], sep = '\n'): Html {
  return new Html(parts.map((p) => p.text).join(sep));
}
