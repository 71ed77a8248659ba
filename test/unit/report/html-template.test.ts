import { describe, expect, it } from 'vitest';
import { html, joinHtml, trusted } from '../../../src/report/html-template.js';

describe('the escape-by-default HTML template', () => {
  it('escapes every value put in it, in text and in attributes, numbers included', () => {
    const name = `<img src=x onerror="a('b')">&`;
    expect(html`<td title="${name}">${name}</td><td>${1.5}</td>`.text)
      .toBe('<td title="&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;</td><td>1.5</td>');
  });

  it('puts fragments built with it, and text marked trusted, in as they are, once escaped and never twice', () => {
    const row = html`<tr><td>${'a<b'}</td></tr>`;
    expect(html`<tbody>${row}</tbody>`.text).toBe('<tbody><tr><td>a&lt;b</td></tr></tbody>');
    expect(html`<style>${trusted('a > b { }')}</style>`.text).toBe('<style>a > b { }</style>');
  });

  it('renders arrays item by item and null, undefined and false as nothing', () => {
    expect(html`<ul>${['<', html`<li>x</li>`]}</ul>${null}${undefined}${false}`.text).toBe('<ul>&lt;<li>x</li></ul>');
    expect(joinHtml([html`<a>`, html`${'&'}`]).text).toBe('<a>\n&amp;');
  });
});
