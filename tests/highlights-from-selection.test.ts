// @vitest-environment happy-dom
// DOM selections → selectors in ExtractedDoc.text and back to DOM ranges, on the seeds laid out as their
// sites' pages and on real gov.cn pages: across bold runs and paragraphs, table cells, pinyin the cleaning
// removed, chrome around the text, hidden and script text.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { extractFromDocument } from '../lib/extract/pipeline';
import { PageTextMap, selectorFromSelection, type BoundaryRange } from '../lib/highlights/from-selection';
import { pageForSeed } from '../scripts/site-templates';
import { GOVCN_DIR, SEEDS_DIR } from './support/paths';

function seedHtml(prefix: string): { html: string; url: string } {
  const file = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix))!;
  const p = pageForSeed(file, fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8'));
  return { html: p.html, url: p.url };
}

/**
 * The page in the test window's document (happy-dom's Ranges work only there), without running its scripts
 * or loading its frames (an iframe's page is never the document's text).
 */
function load(html: string, url: string) {
  const inner = (/<html[^>]*>([\s\S]*)<\/html>/i.exec(html)?.[1] ?? html).replace(/<iframe\b[^>]*>/gi, '<iframe>');
  document.documentElement.innerHTML = inner;
  const { elements, ...doc } = extractFromDocument(document, url);
  return { document, doc, elements };
}

/** The text node holding `needle` (the `nth` one) and the offset `k` characters into the needle. */
function point(root: Node, needle: string, k = 0, nth = 0): { node: Text; offset: number } {
  const walker = root.ownerDocument!.createTreeWalker(root, 4);
  let seen = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = (n as Text).data.indexOf(needle);
    if (at >= 0 && seen++ === nth) return { node: n as Text, offset: at + k };
  }
  throw new Error(`not on the page: ${needle}`);
}

const range = (a: { node: Node; offset: number }, b: { node: Node; offset: number }): BoundaryRange => ({
  startContainer: a.node,
  startOffset: a.offset,
  endContainer: b.node,
  endOffset: b.offset,
});

const squash = (s: string) => s.replace(/\s+/g, '');

describe('selectorFromSelection on seed 001 (首都之窗 template)', () => {
  const { html, url } = seedHtml('001');
  // A bold run inside a paragraph, as pages mark key phrases.
  const page = load(html.replace('融合创新。充分发挥首都', '融合创新。<b>充分发挥首都</b>'), url);
  const body = page.document.body;

  it('a selection from inside a <b> into the next paragraph covers both blocks, joined by \\n', () => {
    const start = point(body, '充分发挥首都', 2);
    const end = point(body, '完善机制。', 4);
    const sel = selectorFromSelection(page.doc, page.elements, range(start, end))!;
    expect(sel).not.toBeNull();
    expect(sel.quote).toBe(page.doc.text.slice(sel.start, sel.end));
    expect(sel.quote.startsWith('发挥首都互联网人才、技术、产业优势')).toBe(true);
    expect(sel.quote.endsWith('形成经济社会发展新动力。\n完善机制')).toBe(true);
    expect(sel.prefix.endsWith('融合创新。充分')).toBe(true);
    expect(sel.suffix.startsWith('。破除制约互联网')).toBe(true);
  });

  it('maps offsets back to one DOM range per block piece with exactly that text', () => {
    const map = PageTextMap.build(page.doc, page.elements)!;
    const sel = map.selectorFromRange(range(point(body, '充分发挥首都', 2), point(body, '完善机制。', 4)))!;
    const ranges = map.rangesFor(sel.start, sel.end);
    expect(ranges).toHaveLength(2);
    expect(squash(ranges.map((r) => r.toString()).join('\n'))).toBe(squash(sel.quote));
    expect(ranges[1].toString()).toBe('完善机制');
    // The first piece starts inside the bold run.
    expect(ranges[0].startContainer.parentElement!.tagName).toBe('B');
  });

  it('a selection starting in the breadcrumb starts at the first extracted text after it', () => {
    const crumb = body.querySelector('.bread-crumbs a')!.firstChild as Text;
    const end = point(body, '各区人民政府,市政府各委', 6);
    const sel = selectorFromSelection(page.doc, page.elements, range({ node: crumb, offset: 1 }, end))!;
    expect(sel.quote).not.toContain('政务公开');
    expect(sel.quote.endsWith('各区人民政府')).toBe(true);
    // It begins where the first block after the breadcrumb begins.
    const first = page.doc.blocks.find((b) => crumb.compareDocumentPosition(page.elements[b.source]) & 4)!;
    expect(sel.start).toBe(first.start);
  });

  it('a selection only in page chrome (the footer) or in our own UI is no highlight', () => {
    const footer = body.querySelector('#footer p')!.firstChild as Text;
    expect(selectorFromSelection(page.doc, page.elements, range({ node: footer, offset: 0 }, { node: footer, offset: 6 }))).toBeNull();
    const ui = page.document.createElement('policy-lens-overlay');
    ui.textContent = '划线';
    page.document.documentElement.append(ui);
    const t = ui.firstChild as Text;
    expect(selectorFromSelection(page.doc, page.elements, range({ node: t, offset: 0 }, { node: t, offset: 2 }))).toBeNull();
  });

  it('element boundary points (a paragraph, offset as a child index) work like text points', () => {
    const a = point(body, '完善机制。', 0).node.parentElement!;
    const b = point(body, '安全可控。', 0).node.parentElement!;
    const sel = selectorFromSelection(page.doc, page.elements, range({ node: a, offset: 0 }, { node: b, offset: 0 }))!;
    // From the start of 完善机制 to just before 安全可控: the whole paragraph.
    expect(sel.quote.startsWith('完善机制。破除制约')).toBe(true);
    expect(page.doc.text.slice(sel.end, sel.end + 6)).toBe('\n安全可控。');
  });
});

describe('text the cleaning changed, hidden and script text', () => {
  it('seed 002: pinyin notes on the page are not in the quote, and the range still spans them', () => {
    const { html, url } = seedHtml('002');
    const page = load(html, url);
    const body = page.document.body;
    const start = point(body, '包容的發(fā)展環(huán)境', 0);
    const end = point(body, '包容的發(fā)展環(huán)境', '包容的發(fā)展環(huán)境'.length);
    const map = PageTextMap.build(page.doc, page.elements)!;
    const sel = map.selectorFromRange(range(start, end))!;
    expect(sel.quote).toBe('包容的發展環境');
    const [r] = map.rangesFor(sel.start, sel.end);
    expect(r.toString()).toBe('包容的發(fā)展環(huán)境');
  });

  it('text in a hidden span or a script inside a paragraph is skipped, as extraction skips it', () => {
    const { html, url } = seedHtml('001');
    const page = load(
      html.replace('完善机制。破除制约', '完善机制。<span style="display:none">隐藏文字</span><script>var x="脚本";</script>破除制约'),
      url,
    );
    const body = page.document.body;
    const sel = selectorFromSelection(page.doc, page.elements, range(point(body, '完善机制。', 0), point(body, '破除制约', 4)))!;
    expect(sel.quote).toBe('完善机制。破除制约');
  });
});

describe.skipIf(!fs.existsSync(GOVCN_DIR))('real gov.cn pages (shared fixtures)', () => {
  it('a selection across two cells of a data table row becomes the row text between them', () => {
    const html = fs.readFileSync(path.join(GOVCN_DIR, 'govcn-5362266.html'), 'utf8');
    const page = load(html, 'http://www.gov.cn/zhengce/content/2019-03/29/content_5362266.htm');
    const body = page.document.body;
    const first = point(body, '一级指标', 0);
    const row = first.node.parentElement!.closest('tr')!;
    const cells = Array.from(row.querySelectorAll('td'));
    expect(cells.length).toBeGreaterThan(1);
    const lastCell = cells[cells.length - 1];
    const lastText = (lastCell.textContent ?? '').trim();
    const end = point(lastCell, lastText.slice(0, 2), 2);
    const sel = selectorFromSelection(page.doc, page.elements, range(first, end))!;
    expect(sel.quote.startsWith('一级指标')).toBe(true);
    expect(sel.quote).toContain('\t');
    expect(squash(sel.quote)).toBe(squash(cells.map((c) => c.textContent).join('')).slice(0, squash(sel.quote).length));
    expect(squash(sel.quote).endsWith(squash(lastText.slice(0, 2)))).toBe(true);
    // And back: one range for the row, from the first cell into the last.
    const ranges = PageTextMap.build(page.doc, page.elements)!.rangesFor(sel.start, sel.end);
    expect(ranges).toHaveLength(1);
    expect(squash(ranges[0].toString())).toBe(squash(sel.quote));
  });

  it('every block of every fixture maps to a range with its own text (whitespace aside), and back', () => {
    let checked = 0;
    for (const f of fs.readdirSync(GOVCN_DIR).filter((x) => x.endsWith('.html'))) {
      const page = load(fs.readFileSync(path.join(GOVCN_DIR, f), 'utf8'), `http://www.gov.cn/${f}`);
      const map = PageTextMap.build(page.doc, page.elements)!;
      for (const b of page.doc.blocks) {
        const ranges = map.rangesFor(b.start, b.end);
        expect(ranges, `${f} block at ${b.start}`).toHaveLength(1);
        expect(squash(ranges[0].toString()), `${f} block at ${b.start}`).toBe(squash(b.text));
        // And the range selected on the page gives the block's offsets back.
        expect(map.spanFromRange(ranges[0]), `${f} block at ${b.start}`).toEqual({ start: b.start, end: b.end });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
