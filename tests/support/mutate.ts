// Deterministic page mutator for fuzzing the extraction pipeline: a seeded PRNG rewrites real pages (the
// seeds in their site templates, gov.cn pages, page fixtures) into broken, huge and hostile ones.
// Nothing here invents document text: payloads are built from the source page's own lines or are
// deliberately meaningless (runs of one character, markup, control characters).
import { encodeLegacy } from '../../lib/text/decode';
import { mulberry32 } from './prng';

/** Small seeded PRNG (mulberry32): the same mutants for the same seed on every machine. */
export class Rng {
  private readonly rnd: () => number;
  constructor(seed: number) {
    this.rnd = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.rnd();
  }
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}

export type MutationKind =
  | 'truncate' // cut at a random UTF-8 byte (may split a character: the rest decodes to U+FFFD)
  | 'delete-range' // a run between two tag starts (lines, for text) removed
  | 'duplicate-range' // such a run copied to another place
  | 'shuffle-ranges' // the page cut at tag starts into chunks, put back in random order
  | 'tag-soup' // random tags, attributes, comments, CDATA, entities, stray < & > inserted
  | 'unclosed-tags' // closing tags dropped, runs of openers that never close
  | 'deep-nesting' // 10,000 nested elements around a line of the page
  | 'huge-table' // a 5,000-row table of label/value cells and page lines
  | 'huge-page' // the body repeated until the page is ≥ 5 MB of UTF-8
  | 'control-chars' // C0/C1 controls, zero-width, bidi overrides, BOM, U+2028, noncharacters
  | 'lone-surrogates' // unpaired UTF-16 surrogates, also as character references
  | 'nul' // NUL characters and &#0;
  | 'gbk-misread' // a line's GBK bytes read as UTF-8 / Latin-1 / Big5 / out of phase; raw in the bytes
  | 'big5-bytes' // a line's Big5 bytes read as UTF-8 / GBK; raw in the bytes
  | 'regex-brackets' // 10^5 〔 and 文号-like prefixes that never close
  | 'regex-book-titles' // 《 without 》, 〈 runs
  | 'regex-di-digits' // 第 + 10^5 digits, 令第…, 第 runs
  | 'regex-parens' // ( nesting, (一) runs, responsibility notes that never close
  | 'regex-guanyu' // 关于 repeated, 关于印发… without 的通知
  | 'regex-fullwidth-digits' // long runs of full-width digits and Chinese numerals, 年 runs
  | 'regex-separators' // long runs of 、 ： 　 and labels with nothing after
  | 'markup-metadata' // <script>, <img onerror>, javascript: as TEXT of title, meta tags, metadata cells, body
  | 'overlay-names'; // custom elements, globals and CSS with the overlay's names

export const MUTATION_KINDS: readonly MutationKind[] = [
  'truncate', 'delete-range', 'duplicate-range', 'shuffle-ranges', 'tag-soup', 'unclosed-tags', 'deep-nesting',
  'huge-table', 'huge-page', 'control-chars', 'lone-surrogates', 'nul', 'gbk-misread', 'big5-bytes',
  'regex-brackets', 'regex-book-titles', 'regex-di-digits', 'regex-parens', 'regex-guanyu',
  'regex-fullwidth-digits', 'regex-separators', 'markup-metadata', 'overlay-names',
];

/** Mutations that make a page large (≥ 100k characters or 10k elements): at most one per mutant. */
export const HEAVY_KINDS: ReadonlySet<MutationKind> = new Set<MutationKind>([
  'deep-nesting', 'huge-table', 'huge-page', 'regex-brackets', 'regex-book-titles', 'regex-di-digits',
  'regex-parens', 'regex-guanyu', 'regex-fullwidth-digits', 'regex-separators',
]);

/** Mutations whose result exists as bytes (split or foreign-encoded characters): applied last. */
export const BYTE_KINDS: ReadonlySet<MutationKind> = new Set<MutationKind>(['truncate', 'gbk-misread', 'big5-bytes']);

export const LIGHT_KINDS: readonly MutationKind[] = MUTATION_KINDS.filter((k) => !HEAVY_KINDS.has(k));

/** A page as HTML markup or as a plain-text copy. */
export type PageForm = 'html' | 'text';

export interface Mutant {
  /** `source#n:kind+kind`, to name a failing case. */
  id: string;
  form: PageForm;
  kinds: MutationKind[];
  /** The page as a string (what a parser, or extractFromText, is given). */
  page: string;
  /** The page's bytes when they are not simply the UTF-8 of `page` (cut or foreign-encoded characters). */
  bytes: Uint8Array | null;
}

/** Overlay names the content scripts use (entrypoints/*.content.ts, components/Panel.tsx). */
export const OVERLAY_NAMES = {
  overlayTag: 'policy-lens-overlay',
  rootTag: 'policy-lens-root',
  global: '__policyLensOverlay',
  panelClass: 'pl-panel',
} as const;

/** Script and markup a hostile page puts into values it shows as text. */
export const HOSTILE_STRINGS: readonly string[] = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(document.cookie)',
  '"><svg onload=alert(1)>',
  '</title><script>alert(2)</script>',
  '<iframe src="javascript:alert(3)"></iframe>',
  "'-alert(4)-'",
  '{{constructor.constructor("alert(5)")()}}',
];

// ---------------------------------------------------------------------------------------------
// Helpers

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Non-empty lines of the page's visible text with CJK in them (tags stripped crudely, entities left). */
export function pageLines(page: string, form: PageForm): string[] {
  const text = form === 'html' ? page.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]*>/g, '\n') : page;
  const lines = text
    .split(/\n/)
    .map((l) => l.trim())
    .filter((l) => /[\u4e00-\u9fff]/.test(l) && !/[<>]/.test(l));
  return lines.length ? lines : ['第一条'];
}

/** Where text can go without breaking a tag: right after a '>' inside the body (html) or at a line start (text). */
function textSlot(page: string, form: PageForm, rng: Rng): number {
  if (form === 'text') {
    if (!page.length) return 0;
    const at = rng.int(0, page.length);
    const nl = page.lastIndexOf('\n', at);
    return nl < 0 ? 0 : nl + 1;
  }
  const body = Math.max(0, page.search(/<body[\s>]/i));
  if (rng.chance(0.6)) {
    // Mostly into the document body: at the end of a paragraph, or just after it.
    const close = page.toLowerCase().indexOf('</p>', rng.int(body, page.length));
    if (close >= 0) return rng.chance(0.5) ? close : close + 4;
  }
  for (let tries = 0; tries < 20; tries++) {
    const at = rng.int(body, page.length);
    const gt = page.indexOf('>', at);
    if (gt >= 0 && page[gt + 1] !== undefined) return gt + 1;
  }
  return page.length;
}

const insertAt = (s: string, at: number, ins: string): string => s.slice(0, at) + ins + s.slice(at);

/** Positions where a tag starts (html) or a line starts (text). */
function cutPoints(page: string, form: PageForm): number[] {
  const out: number[] = [0];
  const ch = form === 'html' ? '<' : '\n';
  for (let i = page.indexOf(ch); i >= 0 && out.length < 20000; i = page.indexOf(ch, i + 1)) out.push(form === 'html' ? i : i + 1);
  out.push(page.length);
  return out;
}

/** A block of text put into the page as its own paragraph (html) or line (text). */
function asBlock(payload: string, form: PageForm, tag = 'p'): string {
  return form === 'html' ? `<${tag}>${escapeHtml(payload)}</${tag}>` : `\n${payload}\n`;
}

function insertBlock(page: string, form: PageForm, rng: Rng, payload: string): string {
  return insertAt(page, textSlot(page, form, rng), asBlock(payload, form));
}

/** Inner HTML of the body (whole page when there is no body tag). */
function bodyInner(page: string): { before: string; inner: string; after: string } {
  const open = /<body[^>]*>/i.exec(page);
  const start = open ? open.index + open[0].length : 0;
  const close = page.toLowerCase().lastIndexOf('</body>');
  const end = close >= start ? close : page.length;
  return { before: page.slice(0, start), inner: page.slice(start, end), after: page.slice(end) };
}

// ---------------------------------------------------------------------------------------------
// Mutations

const SOUP_TAGS = [
  'p', 'div', 'span', 'table', 'tr', 'td', 'th', 'tbody', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'br', 'a', 'b', 'font',
  'h1', 'h2', 'pre', 'script', 'style', 'title', 'meta', 'textarea', 'template', 'svg', 'math', 'iframe', 'noscript',
  'select', 'option', 'form', 'frameset', 'body', 'html', 'head', 'o:p', 'st1:chsdate', 'x-y', 'img', 'input', 'plaintext',
];
const SOUP_ATTRS = [
  'class="bd1"', 'class="doc-info"', 'id="UCAP-CONTENT"', 'id="mainText"', 'class="pages_content"', 'hidden',
  'style="display:none"', 'aria-hidden="true"', 'class="nav"', 'class="footer"', 'role="navigation"', 'name="ArticleTitle"',
  'content="<b>x</b>"', 'href="javascript:void(0)"', 'onclick="alert(1)"', 'class', 'id=', "style='", 'x="unterminated',
];
const SOUP_BITS = [
  '<!--', '-->', '<!-- 注释 -->', '<![CDATA[', ']]>', '<!DOCTYPE html>', '<?xml version="1.0"?>', '&', '&nbsp;', '&#0;',
  '&#xD800;', '&#99999999;', '&#x110000;', '&amp', '&lt;script&gt;', '<', '>', '</', '< p>', '<<p>>', '</>', '<p/>',
  '\u3000', '\t', '\r\n', '发文字号：', '成文日期：', '标　　题：', '【索引号】', '[主题分类]', '第一条', '一、', '(一)', '1.',
];

function tagSoup(rng: Rng, lines: string[], n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.35) {
      const tag = rng.pick(SOUP_TAGS);
      const attrs = rng.chance(0.5) ? ' ' + rng.pick(SOUP_ATTRS) : '';
      out += rng.chance(0.7) ? `<${tag}${attrs}>` : `</${tag}>`;
    } else if (r < 0.6) out += rng.pick(SOUP_BITS);
    else {
      const line = rng.pick(lines);
      const a = rng.int(0, line.length);
      out += line.slice(a, a + rng.int(1, 40));
    }
  }
  return out;
}

function mutTagSoup(page: string, form: PageForm, rng: Rng): string {
  const lines = pageLines(page, form);
  let out = page;
  const k = rng.int(1, 6);
  for (let i = 0; i < k; i++) {
    // Anywhere, even inside a tag or an attribute: real breakage does not respect tag boundaries.
    const at = rng.chance(0.7) ? textSlot(out, form, rng) : rng.int(0, out.length);
    out = insertAt(out, at, tagSoup(rng, lines, rng.int(5, 200)));
  }
  return out;
}

function mutUnclosed(page: string, form: PageForm, rng: Rng): string {
  let out = page;
  if (form === 'html' && rng.chance(0.6)) {
    // Drop a share of closing tags.
    const p = rng.next();
    out = out.replace(/<\/(p|div|td|tr|table|li|ul|span|a|b|font|h\d|title|script|style)>/gi, (m) => (rng.next() < p ? '' : m));
  }
  const openers = ['<p>', '<div>', '<table>', '<td>', '<tr>', '<li>', '<b>', '<a href="#">', '<font>', '<pre>', '<ul>', '<h1>', '<span>'];
  const n = rng.int(5, 500);
  let run = '';
  for (let i = 0; i < n; i++) run += rng.pick(openers) + (rng.chance(0.3) ? rng.pick(pageLines(page, form)).slice(0, 20) : '');
  if (rng.chance(0.2)) run += rng.pick(['<script>', '<style>', '<textarea>', '<title>', '<!--', '<xmp>', '<noscript>', '<template>']);
  return insertAt(out, textSlot(out, form, rng), run);
}

function mutDeepNesting(page: string, form: PageForm, rng: Rng): string {
  const depth = 10_000;
  const tag = rng.pick(['div', 'span', 'section', 'blockquote', 'b', 'font', 'li', 'td', 'a', 'dl', 'p', 'mixed']);
  const line = escapeHtml(rng.pick(pageLines(page, form)));
  const close = rng.chance(0.7);
  let open = '';
  let shut = '';
  if (tag === 'mixed') {
    const tags = ['div', 'span', 'ul', 'li', 'table', 'tr', 'td', 'b', 'p'];
    const chosen: string[] = [];
    for (let i = 0; i < depth; i++) chosen.push(rng.pick(tags));
    open = chosen.map((t) => `<${t}>`).join('');
    if (close) shut = chosen.reverse().map((t) => `</${t}>`).join('');
  } else {
    // Every 100th level holds a page line, so there is text all the way down.
    const parts: string[] = [];
    for (let i = 0; i < depth; i++) parts.push(i % 100 === 0 ? `<${tag}>${line}` : `<${tag}>`);
    open = parts.join('');
    if (close) shut = `</${tag}>`.repeat(depth);
  }
  return insertAt(page, textSlot(page, form, rng), open + line + shut);
}

const TABLE_LABELS = ['索 引 号', '发文机关', '发文字号', '成文日期', '发布日期', '标　　题', '主题分类', '主 题 词', '有效性', '文件来源', '实施日期'];

function mutHugeTable(page: string, form: PageForm, rng: Rng): string {
  const rows = 5_000;
  const lines = pageLines(page, form);
  const cls = rng.pick(['bd1', 'xxgk-info', '', 'layout']);
  const parts: string[] = [];
  for (let i = 0; i < rows; i++) {
    const r = rng.next();
    const cells =
      r < 0.4
        ? [`${rng.pick(TABLE_LABELS)}：`, rng.pick(lines).slice(0, rng.int(1, 60))]
        : r < 0.8
          ? [rng.pick(lines)]
          : [String(i + 1), rng.pick(lines).slice(0, 30), rng.pick(lines).slice(0, 30), `${rng.pick(TABLE_LABELS)}：${rng.pick(lines).slice(0, 20)}`];
    parts.push(form === 'html' ? `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>` : cells.join('\t'));
  }
  const table = form === 'html' ? `<table${cls ? ` class="${cls}"` : ''}><tbody>${parts.join('\n')}</tbody></table>` : `\n${parts.join('\n')}\n`;
  return insertAt(page, textSlot(page, form, rng), table);
}

/** At least 5 MB of UTF-8: the body (text: the whole text) repeated. */
export const HUGE_PAGE_BYTES = 5 * 1024 * 1024;

function mutHugePage(page: string, form: PageForm): string {
  if (form === 'text') {
    const unit = page + '\n';
    const n = Math.ceil(HUGE_PAGE_BYTES / Math.max(1, utf8.encode(unit).length));
    return unit.repeat(n);
  }
  const { before, inner, after } = bodyInner(page);
  const n = Math.ceil(HUGE_PAGE_BYTES / Math.max(1, utf8.encode(inner).length));
  return before + inner.repeat(n) + after;
}

const CONTROL_POOL = [
  '\u0000', '\u0001', '\u0007', '\b', '\u000b', '\f', '\r', '\u000e', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085',
  '\u009f', '\u00ad', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2028', '\u2029',
  '\u2060', '\u2066', '\ufeff', '\ufffe', '\uffff', '\ufffd', '\ue000', '\u3000', '\u00a0',
];

function sprinkle(page: string, rng: Rng, pool: readonly string[], n: number, anywhere: boolean, form: PageForm): string {
  const at: Array<[number, string]> = [];
  for (let i = 0; i < n; i++) {
    const pos = anywhere ? rng.int(0, page.length) : textSlot(page, form, rng) + rng.int(0, 8);
    let s = rng.pick(pool);
    if (rng.chance(0.1)) s = s.repeat(rng.int(2, 2000));
    at.push([Math.min(pos, page.length), s]);
  }
  at.sort((a, b) => b[0] - a[0]);
  let out = page;
  for (const [pos, s] of at) out = insertAt(out, pos, s);
  return out;
}

function mutControl(page: string, form: PageForm, rng: Rng): string {
  return sprinkle(page, rng, CONTROL_POOL, rng.int(1, 300), rng.chance(0.3), form);
}

function mutSurrogates(page: string, form: PageForm, rng: Rng): string {
  const pool = ['\ud800', '\udbff', '\udc00', '\udfff', '\udfff\ud800', '\ud83d', '\ude00', '\ud800A'];
  let out = sprinkle(page, rng, pool, rng.int(1, 100), rng.chance(0.3), form);
  if (form === 'html' && rng.chance(0.5)) out = sprinkle(out, rng, ['&#xD800;', '&#56320;', '&#xDFFF;&#xD800;'], rng.int(1, 20), false, form);
  return out;
}

function mutNul(page: string, form: PageForm, rng: Rng): string {
  const pool = form === 'html' ? ['\u0000', '&#0;', '&#x0;', '\u0000\u0000\u0000', '<\u0000p>', '<p\u0000>'] : ['\u0000', '\u0000\u0000'];
  return sprinkle(page, rng, pool, rng.int(1, 100), rng.chance(0.4), form);
}

/** Foreign-encoded line: the page as a string (read wrongly) and as bytes (raw bytes spliced into UTF-8). */
function mutForeign(page: string, form: PageForm, rng: Rng, enc: 'gb18030' | 'big5'): { page: string; bytes: Uint8Array } {
  const lines = pageLines(page, form);
  const k = rng.int(1, 4);
  const chunks: Uint8Array[] = [];
  let last = 0;
  const slots: number[] = [];
  for (let i = 0; i < k; i++) slots.push(textSlot(page, form, rng));
  slots.sort((a, b) => a - b);
  let readWrongly = '';
  for (const at of slots) {
    const line = rng.pick(lines);
    const foreign = encodeLegacy(line, enc).bytes;
    const before = page.slice(last, at);
    chunks.push(utf8.encode(before));
    readWrongly += before;
    // Raw foreign bytes in a UTF-8 page (bytes); how a reader shows them (string).
    chunks.push(form === 'html' ? utf8.encode('<p>') : utf8.encode('\n'), foreign, form === 'html' ? utf8.encode('</p>') : utf8.encode('\n'));
    const misread = rng.pick(['utf-8', 'latin1', enc === 'gb18030' ? 'big5' : 'gb18030', 'phase'] as const);
    let shown: string;
    if (misread === 'latin1') shown = String.fromCharCode(...foreign);
    else if (misread === 'phase') shown = new TextDecoder(enc).decode(foreign.subarray(1));
    else shown = new TextDecoder(misread).decode(foreign);
    readWrongly += asBlock(shown, form);
    last = at;
  }
  chunks.push(utf8.encode(page.slice(last)));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.length;
  }
  return { page: readWrongly, bytes };
}

function mutTruncate(page: string, rng: Rng): { page: string; bytes: Uint8Array } {
  const all = utf8.encode(page);
  const cut = rng.int(0, all.length);
  const bytes = all.slice(0, Math.max(1, cut));
  return { page: utf8Decoder.decode(bytes), bytes };
}

function mutRanges(page: string, form: PageForm, rng: Rng, kind: 'delete-range' | 'duplicate-range' | 'shuffle-ranges'): string {
  const cuts = cutPoints(page, form);
  if (cuts.length < 3) return page + page;
  if (kind === 'shuffle-ranges') {
    const n = rng.int(2, Math.min(40, cuts.length - 1));
    const chosen = [...new Set(Array.from({ length: n }, () => rng.pick(cuts)))].sort((a, b) => a - b);
    const pieces: string[] = [];
    let last = 0;
    for (const c of chosen) {
      pieces.push(page.slice(last, c));
      last = c;
    }
    pieces.push(page.slice(last));
    return rng.shuffle(pieces).join('');
  }
  const i = rng.int(0, cuts.length - 2);
  const j = Math.min(cuts.length - 1, i + rng.int(1, Math.max(1, Math.floor(cuts.length / rng.pick([2, 5, 20, 100])))));
  const [a, b] = [cuts[i], cuts[j]];
  if (kind === 'delete-range') return page.slice(0, a) + page.slice(b);
  const copies = rng.chance(0.2) ? rng.int(2, 20) : 1;
  return insertAt(page, rng.pick(cuts), page.slice(a, b).repeat(copies));
}

/** 10^5-character payloads aimed at the pipeline's patterns (文号, 《》, 第N条, (一), 关于…的通知, dates). */
export function regexPayload(kind: MutationKind, rng: Rng, line: string): string {
  const N = 100_000;
  const rep = (s: string) => s.repeat(Math.ceil(N / s.length));
  const pool: Record<string, Array<() => string>> = {
    'regex-brackets': [
      () => rep('〔'),
      () => rep('京政发〔'),
      () => rep('〔2016'),
      () => rep('〔2016〕'),
      () => '京政发〔2016〕' + rep('5'),
      () => rep('['),
      () => rep('京政发[2016]'),
      () => rep('〔〕号'),
      () => rep('发〔') + '2016〕1号',
    ],
    'regex-book-titles': [
      () => rep('《'),
      () => '《' + rep(line || '关于'),
      () => rep('《关于'),
      () => rep('《〈'),
      () => rep('〈'),
      () => rep('》'),
      () => rep('印发《'),
      () => '以下简称《' + rep('行动计划'),
      () => rep('《》'),
    ],
    'regex-di-digits': [
      () => '第' + rep('1'),
      () => rep('第'),
      () => rep('第1'),
      () => '令第' + rep('9') + '号',
      () => '第' + rep('一') + '条',
      () => rep('第一'),
      () => '国令第' + rep('７'),
      () => rep('第十二条'),
      () => rep('第一章 '),
    ],
    'regex-parens': [
      () => rep('('),
      () => rep('（'),
      () => rep('(一)'),
      () => rep('(') + rep(')'),
      () => rep('（市金融局牵头，'),
      () => rep('（一'),
      () => rep('(1'),
      () => '(' + rep('市发展改革委、'),
      () => rep('（责任单位：'),
    ],
    'regex-guanyu': [
      () => rep('关于'),
      () => rep('关于印发') + '的通知',
      () => '关于' + rep(line || '推进') + '的通知',
      () => rep('的通知'),
      () => rep('北京市人民政府关于'),
      () => rep('關於印發《'),
      () => rep('关于印发的通知'),
    ],
    'regex-fullwidth-digits': [
      () => rep('１２３４５６７８９０'),
      () => rep('２０１６年'),
      () => rep('〇'),
      () => rep('二〇一六年十二月一日'),
      () => '2016年' + rep('1') + '月',
      () => rep('２０１６-'),
      () => rep('1.'),
      () => rep('一、'),
      () => rep('2016年12月'),
    ],
    'regex-separators': [
      () => rep('、'),
      () => rep('：'),
      () => rep('\u3000'),
      () => rep(' '),
      () => rep('发文字号：'),
      () => rep('，'),
      () => rep('市政府各委、办、局，'),
      () => rep('附件：'),
      () => rep('-'),
    ],
  };
  const gen = rng.pick(pool[kind]);
  let s = gen();
  // Sometimes broken into lines, so line-based patterns see many starts too.
  if (rng.chance(0.3)) {
    const every = rng.pick([50, 500, 5000]);
    const parts: string[] = [];
    for (let i = 0; i < s.length; i += every) parts.push(s.slice(i, i + every));
    s = parts.join('\n');
  }
  return s;
}

function mutRegex(page: string, form: PageForm, rng: Rng, kind: MutationKind): string {
  const payload = regexPayload(kind, rng, rng.pick(pageLines(page, form)).slice(0, 30));
  if (form === 'html') {
    // As paragraphs (each line its own <p>) or as one text node.
    const html = rng.chance(0.5) ? payload.split('\n').map((l) => `<p>${escapeHtml(l)}</p>`).join('') : `<p>${escapeHtml(payload)}</p>`;
    return insertAt(page, textSlot(page, form, rng), html);
  }
  return insertAt(page, textSlot(page, form, rng), `\n${payload}\n`);
}

function hostile(rng: Rng, value: string): string {
  const h = rng.pick(HOSTILE_STRINGS);
  const r = rng.next();
  return r < 0.33 ? h + value : r < 0.66 ? value + h : value.slice(0, value.length >> 1) + h + value.slice(value.length >> 1);
}

function mutMarkupMetadata(page: string, form: PageForm, rng: Rng): string {
  if (form === 'text') {
    // Labelled lines of a text copy, their values carrying markup; plus the first line (the title).
    const lines = page.split('\n');
    const first = lines.findIndex((l) => l.trim().length > 0);
    if (first >= 0) lines[first] = hostile(rng, lines[first]);
    const label = rng.pick(['标题', '发文字号', '发文机关', '成文日期', '主题词', '索引号', '主送机关']);
    lines.splice(first + 1, 0, `${label}：${hostile(rng, rng.pick(pageLines(page, form)).slice(0, 30))}`);
    return lines.join('\n');
  }
  let out = page;
  // <title> and meta content values: escaped, so the markup is the value's text.
  out = out.replace(/<title>([\s\S]*?)<\/title>/i, (_m, t: string) => `<title>${escapeHtml(hostile(rng, t))}</title>`);
  out = out.replace(/(<meta\s+name="(?:ArticleTitle|PubDate|ContentSource|Keywords|Description|ColumnName)"\s+content=")([^"]*)(")/gi, (m, a: string, v: string, b: string) =>
    rng.chance(0.7) ? a + escapeHtml(hostile(rng, v)) + b : m,
  );
  // Metadata cells / items: the text after a label.
  out = out.replace(/(<(td|li|span|div|dd)[^>]*>)([^<]{1,80})(<\/\2>)/gi, (m, open: string, _t: string, text: string, close: string) =>
    rng.chance(0.3) ? open + escapeHtml(hostile(rng, text)) + close : m,
  );
  // Visible headings and body paragraphs too; and a javascript: link around a line.
  out = insertBlock(out, form, rng, hostile(rng, rng.pick(pageLines(page, form))));
  out = insertAt(out, textSlot(out, form, rng), `<a href="javascript:alert(1)" onclick="alert(2)">${escapeHtml(rng.pick(pageLines(page, form)))}</a>`);
  if (rng.chance(0.5)) out = insertAt(out, textSlot(out, form, rng), '<h1>' + escapeHtml(hostile(rng, '关于印发《测试》的通知')) + '</h1>');
  return out;
}

/** What a page that imitates the overlay puts into its head and body. */
export function overlayImposter(line: string): { head: string; body: string } {
  const { overlayTag, rootTag, global, panelClass } = OVERLAY_NAMES;
  return {
    head:
      `<style>${overlayTag},${rootTag},.${panelClass},.pl-root,[data-testid="pl-panel"]{display:none!important;visibility:hidden!important}` +
      `:host{all:initial}${overlayTag}::part(panel){color:red}</style>` +
      `<script>window.${global}=true;window.${global}={mounted:true};` +
      `customElements.define('${overlayTag}',class extends HTMLElement{connectedCallback(){this.remove()}});` +
      `customElements.define('${rootTag}',class extends HTMLElement{constructor(){super();this.attachShadow({mode:'closed'})}});</script>`,
    body:
      `<${overlayTag}><div class="${panelClass}"><p>${escapeHtml(line)}</p></div></${overlayTag}>` +
      `<${rootTag} id="${rootTag}"><aside class="pl-root ${panelClass}" data-testid="pl-panel"><h2>${escapeHtml(line)}</h2></aside></${rootTag}>` +
      `<div id="${global}" class="${panelClass}">${escapeHtml(line)}</div>`,
  };
}

function mutOverlayNames(page: string, form: PageForm, rng: Rng): string {
  const line = rng.pick(pageLines(page, form));
  const { head, body } = overlayImposter(line);
  if (form === 'text') return insertAt(page, textSlot(page, form, rng), `\n${head}\n${body}\n`);
  const headAt = page.search(/<\/head>/i);
  const withHead = headAt >= 0 ? insertAt(page, headAt, head) : head + page;
  return insertAt(withHead, textSlot(withHead, form, rng), body);
}

/** One mutation of a page. Byte kinds return the bytes too. */
export function applyMutation(page: string, form: PageForm, kind: MutationKind, rng: Rng): { page: string; bytes: Uint8Array | null } {
  const s = (p: string) => ({ page: p, bytes: null });
  switch (kind) {
    case 'truncate':
      return mutTruncate(page, rng);
    case 'gbk-misread':
      return mutForeign(page, form, rng, 'gb18030');
    case 'big5-bytes':
      return mutForeign(page, form, rng, 'big5');
    case 'delete-range':
    case 'duplicate-range':
    case 'shuffle-ranges':
      return s(mutRanges(page, form, rng, kind));
    case 'tag-soup':
      return s(mutTagSoup(page, form, rng));
    case 'unclosed-tags':
      return s(mutUnclosed(page, form, rng));
    case 'deep-nesting':
      return s(mutDeepNesting(page, form, rng));
    case 'huge-table':
      return s(mutHugeTable(page, form, rng));
    case 'huge-page':
      return s(mutHugePage(page, form));
    case 'control-chars':
      return s(mutControl(page, form, rng));
    case 'lone-surrogates':
      return s(mutSurrogates(page, form, rng));
    case 'nul':
      return s(mutNul(page, form, rng));
    case 'markup-metadata':
      return s(mutMarkupMetadata(page, form, rng));
    case 'overlay-names':
      return s(mutOverlayNames(page, form, rng));
    default:
      return s(mutRegex(page, form, rng, kind));
  }
}

export interface MutateOptions {
  /** Kinds to draw from (default: the light ones). */
  kinds?: readonly MutationKind[];
  /** Largest number of mutations chained on one page (default 3). */
  maxSteps?: number;
  /** This kind always applies (first, or last for a byte kind). */
  force?: MutationKind;
}

/**
 * A mutant of `page`: 1..maxSteps mutations drawn from `kinds`, at most one heavy one, byte-level
 * mutations last (later string edits would lose their bytes).
 */
export function mutatePage(name: string, n: number, page: string, form: PageForm, rng: Rng, opts: MutateOptions = {}): Mutant {
  const pool = opts.kinds ?? LIGHT_KINDS;
  const steps = rng.int(1, opts.maxSteps ?? 3);
  const chosen: MutationKind[] = opts.force ? [opts.force] : [];
  for (let i = chosen.length; i < steps; i++) {
    const k = rng.pick(pool);
    if (HEAVY_KINDS.has(k) && chosen.some((c) => HEAVY_KINDS.has(c))) continue;
    if (BYTE_KINDS.has(k) && chosen.some((c) => BYTE_KINDS.has(c))) continue;
    chosen.push(k);
  }
  const ordered = [...chosen.filter((k) => !BYTE_KINDS.has(k)), ...chosen.filter((k) => BYTE_KINDS.has(k))];
  let cur = page;
  let bytes: Uint8Array | null = null;
  for (const k of ordered) {
    const r = applyMutation(cur, form, k, rng);
    cur = r.page;
    bytes = r.bytes;
  }
  return { id: `${name}#${n}:${ordered.join('+')}`, form, kinds: ordered, page: cur, bytes };
}

/** The bytes a mutant is read from: its own, else the UTF-8 of its page. */
export function mutantBytes(m: Mutant): Uint8Array {
  return m.bytes ?? utf8.encode(m.page);
}
