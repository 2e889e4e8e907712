// Tests for lib/page/blocks.ts: blocks from seed text, from the seeds laid out as site pages, from gov.cn pages.
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { blocksFromDocument, blocksFromText, elementText } from '../lib/page/blocks';
import { isChromeLine } from '../lib/page/chrome';
import { genericProfile } from '../lib/sites/generic';
import { profileFor, type SiteProfile } from '../lib/sites/profile';
import { squashSpace, stripSpace } from '../lib/text/width';
import { pageForSeed } from '../scripts/site-templates';
import { GOVCN_DIR, SEEDS_DIR } from './support/paths';

const hasFixtures = fs.existsSync(GOVCN_DIR);

const seedFiles = fs.readdirSync(SEEDS_DIR).filter((f) => /^\d{3}.*\.txt$/.test(f)).sort();
const readSeed = (f: string): string => fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8');

/** Chrome lines of each seed (0-based), as seeds/QUIRKS.md describes them; see tests/page-chrome.test.ts. */
const SEED_CHROME: Record<string, number[]> = {
  '000': [0, 14, 179, 180, 181, 183],
  '001': [],
  '002': [],
  '003': [1, 2, 3, 4],
  '004': [0, 2, 3, 122, 124, 125],
};
/** 首都之窗's numbered metadata items (`  1. [主題分類] …`): fields, not content. */
const META_ITEM = /^\s*\d{1,2}\.\s*\[[^\]]+\]/;

/** The seed's body lines: non-empty, squashed, without chrome and metadata items. */
function bodyLines(file: string): string[] {
  const chrome = new Set(SEED_CHROME[file.slice(0, 3)]);
  return readSeed(file)
    .split('\n')
    .map((l, i) => ({ l: squashSpace(l), i }))
    .filter(({ l, i }) => l.length > 0 && !chrome.has(i) && !META_ITEM.test(l))
    .map(({ l }) => l);
}

function doc(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

const bodyProfile = (root: string): SiteProfile => ({
  ...genericProfile,
  contentRoot: (d) => d.querySelector(root),
});

describe('blocksFromText on the seeds', () => {
  it('has five seeds to work on', () => expect(seedFiles.length).toBe(5));
  for (const file of seedFiles) {
    it(`${file}: one block per non-empty non-chrome line, source = line index`, () => {
      const text = readSeed(file);
      const lines = text.split('\n');
      const chrome = new Set(SEED_CHROME[file.slice(0, 3)]);
      const blocks = blocksFromText(text);
      const expected = lines
        .map((l, i) => ({ text: squashSpace(l), source: i, tag: 'line' }))
        .filter((b) => b.text.length > 0 && !chrome.has(b.source));
      expect(blocks).toEqual(expected);
      for (const b of blocks) expect(lines[b.source]).toContain(b.text.slice(0, 10));
    });
  }

  it('handles CRLF, empty input and control characters', () => {
    expect(blocksFromText('')).toEqual([]);
    expect(blocksFromText('一、总体要求\r\n\r\n(一)指导思想\r\n').map((b) => [b.text, b.source])).toEqual([
      ['一、总体要求', 0],
      ['(一)指导思想', 2],
    ]);
    const hostile = blocksFromText('第一条\u0000 内容\u0007\n' + 'x'.repeat(1_000_000));
    expect(hostile.length).toBe(2);
  });
});

describe('blocksFromDocument on the seeds laid out as their sites’ pages', () => {
  for (const file of seedFiles) {
    it(`${file}: blocks are exactly the body lines, in order, no chrome`, () => {
      const page = pageForSeed(file, readSeed(file));
      const d = doc(page.html);
      const { blocks, elements } = blocksFromDocument(d, profileFor(page.site));
      expect(blocks.map((b) => b.text)).toEqual(bodyLines(file));
      const chromeTexts = SEED_CHROME[file.slice(0, 3)].map((i) => squashSpace(readSeed(file).split('\n')[i]));
      for (const b of blocks) {
        expect(isChromeLine(b.text)).toBe(false);
        expect(chromeTexts).not.toContain(b.text);
        const el = elements[b.source];
        expect(squashSpace(el.textContent || '')).toContain(b.text);
        expect(b.tag).toBe(el.localName.toLowerCase());
      }
    });

    it(`${file}: the generic profile finds the body too (no chrome, at most the title missed)`, () => {
      const page = pageForSeed(file, readSeed(file));
      const { blocks } = blocksFromDocument(doc(page.html), genericProfile);
      const body = bodyLines(file);
      const got = blocks.map((b) => b.text);
      for (const t of got) expect(body).toContain(t);
      expect(got.length).toBeGreaterThanOrEqual(body.length - 1);
    });
  }
});

describe('blocksFromDocument on element structure', () => {
  it('skips hidden elements, scripts and the like; inline formatting does not split', () => {
    const d = doc(`<html><body><div id="c">
      <p>第一条　为了<b>规范</b>专利<span style="color:red">代理</span><font>行为</font>，制定本条例。</p>
      <p hidden>隐藏一</p><p style="DISPLAY: none">隐藏二</p><div aria-hidden="true"><p>隐藏三</p></div>
      <p style="visibility:hidden">隐藏四</p>
      <script>var 脚本 = 1;</script><style>p{}</style><noscript>请启用脚本</noscript>
      <template><p>模板</p></template><iframe src="x"></iframe>
      <p>第二条　本条例所称专利代理。</p></div></body></html>`);
    const { blocks } = blocksFromDocument(d, bodyProfile('#c'));
    expect(blocks.map((b) => b.text)).toEqual(['第一条 为了规范专利代理行为，制定本条例。', '第二条 本条例所称专利代理。']);
    expect(blocks.map((b) => b.tag)).toEqual(['p', 'p']);
  });

  it('keeps full-width characters and splits <br> and <pre> lines (same source element)', () => {
    const d = doc(`<html><body><div id="c"><p>（一）基本原则<br>１．市场主导、政府带头。</p>
      <pre>第一行
第二行</pre></div></body></html>`);
    const { blocks, elements } = blocksFromDocument(d, bodyProfile('#c'));
    expect(blocks.map((b) => b.text)).toEqual(['（一）基本原则', '１．市场主导、政府带头。', '第一行', '第二行']);
    expect(blocks[0].source).toBe(blocks[1].source);
    expect(blocks[2].source).toBe(blocks[3].source);
    expect(elements.map((e) => e.localName)).toEqual(['p', 'pre']);
  });

  it('keeps a title broken over two <p> as two blocks; a div’s own text is its own block', () => {
    const d = doc(`<html><body><div id="c">
      <p>国务院办公厅转发国家教委</p><p>关于内地西藏班（校）扩大规模</p>
      <div>直接文本<p>段落</p>尾部文本</div></div></body></html>`);
    const { blocks, elements } = blocksFromDocument(d, bodyProfile('#c'));
    expect(blocks.map((b) => [b.text, b.tag])).toEqual([
      ['国务院办公厅转发国家教委', 'p'],
      ['关于内地西藏班（校）扩大规模', 'p'],
      ['直接文本', 'div'],
      ['段落', 'p'],
      ['尾部文本', 'div'],
    ]);
    expect(blocks[2].source).toBe(blocks[4].source);
    expect(elements.length).toBe(4);
  });

  it('joins a data row’s cells with a tab; layout rows are walked instead', () => {
    const d = doc(`<html><body><div id="c"><table>
      <tr><th>省（市）</th><th>1995年招生人数</th><td></td><th>扩招</th></tr>
      <tr><td><p>江苏</p></td><td><p>100</p></td><td><p>100</p></td></tr>
      <tr><td><table><tr><td>内层</td><td>单元</td></tr></table></td><td><p>外层段落</p></td></tr>
      </table></div></body></html>`);
    const { blocks } = blocksFromDocument(d, bodyProfile('#c'));
    expect(blocks.map((b) => [b.text, b.tag])).toEqual([
      ['省（市）\t1995年招生人数\t扩招', 'tr'],
      ['江苏\t100\t100', 'tr'],
      ['内层\t单元', 'tr'],
      ['外层段落', 'p'],
    ]);
  });

  it('skips the profile’s chrome selectors, its metadata block, chrome lines and caller-hidden elements', () => {
    const d = doc(`<html><body><div id="c">
      <ol class="doc-info"><li>[发文机构] 北京市人民政府</li><li>[发文字号] 京政发〔2016〕57号</li><li>[成文日期] 2016-12-01</li></ol>
      <div class="share">分享到微信</div><p class="ad">广告位</p>
      <p>- 打印 - 小 - 中 - 大</p><p>京政发〔2016〕57号</p><p>各区人民政府：</p></div></body></html>`);
    const profile = { ...profileFor('beijing'), contentRoot: (x: Document) => x.querySelector('#c') };
    const { blocks } = blocksFromDocument(d, profile, { isHidden: (el) => el.getAttribute('class') === 'ad' });
    expect(blocks.map((b) => b.text)).toEqual(['京政发〔2016〕57号', '各区人民政府：']);
  });

  it('walks 5,000 levels of nesting without overflowing the stack', () => {
    const depth = 5000;
    const html = `<html><body><div id="c">${'<div>'.repeat(depth)}<p>深层文本</p>${'<span>'.repeat(depth)}行内${'</span>'.repeat(depth)}${'</div>'.repeat(depth)}</div></body></html>`;
    const d = doc(html);
    const { blocks } = blocksFromDocument(d, bodyProfile('#c'));
    expect(blocks.map((b) => b.text)).toEqual(['深层文本', '行内']);
    expect(elementText(d.body)).toBe('深层文本 行内');
    // and through the generic heuristics (content root search, metadata scan)
    expect(blocksFromDocument(d, genericProfile).blocks.map((b) => b.text)).toEqual(['深层文本', '行内']);
  });

  it('returns nothing for an empty document', () => {
    expect(blocksFromDocument(doc('<html><body></body></html>'), genericProfile).blocks).toEqual([]);
  });
});

describe.skipIf(!hasFixtures)('blocksFromDocument on gov.cn pages (fixtures absent: skipped)', () => {
  const files = hasFixtures ? fs.readdirSync(GOVCN_DIR).filter((f) => f.endsWith('.html')).sort() : [];
  const load = (f: string): Document => doc(fs.readFileSync(path.join(GOVCN_DIR, f), 'utf8'));

  it('loses no text of #UCAP-CONTENT and adds none (all 20 pages)', () => {
    expect(files.length).toBe(20);
    for (const f of files) {
      const d = load(f);
      const { blocks } = blocksFromDocument(d, profileFor('govcn'));
      const root = d.querySelector('#UCAP-CONTENT') as Element;
      expect(stripSpace(blocks.map((b) => b.text).join('')), f).toBe(stripSpace(root.textContent || ''));
      for (const b of blocks) expect(b.text.length).toBeGreaterThan(0);
    }
  });

  it('starts at the document, not the metadata table (国令第706号)', () => {
    const { blocks } = blocksFromDocument(load('govcn-5341736.html'), profileFor('govcn'));
    expect(blocks.slice(0, 2).map((b) => b.text)).toEqual(['中华人民共和国国务院令', '第706号']);
    expect(blocks.some((b) => b.text.includes('索 引 号'))).toBe(false);
    expect(blocks.some((b) => b.text.includes('扫一扫'))).toBe(false);
  });

  it('handles the 300 KB page with its tables (one block per row)', () => {
    const d = load('govcn-5362266.html');
    const { blocks, elements } = blocksFromDocument(d, profileFor('govcn'));
    const rows = blocks.filter((b) => b.tag === 'tr');
    expect(blocks.length).toBeGreaterThan(100);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.some((b) => b.text.includes('\t'))).toBe(true);
    expect(elements.length).toBeLessThanOrEqual(blocks.length);
  });
});
