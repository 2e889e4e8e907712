// Generic government-site profile: standard meta tags, metadata tables/lists with known labels, densest text as body.
import { elementText, isSkippedElement, selectAll, tagOf, walkBlockTexts } from '../page/blocks';
import { toSimplifiedChars } from '../text/script';
import { squashSpace, stripSpace } from '../text/width';
import type { FieldPair, SiteProfile } from './profile';
import { bodyOrRoot } from '../page/doc-root';

// --- labels ------------------------------------------------------------------------------------

/**
 * Labels of the metadata blocks of Chinese government sites (政府信息公开 catalogue entries, gov.cn's
 * policy tables, provincial portals), in Simplified script without spaces.
 */
export const KNOWN_LABELS: ReadonlySet<string> = new Set([
  '索引号', '统一编号', '登记号', '规范性文件登记号',
  '主题分类', '信息分类', '分类', '体裁分类', '组配分类', '主题', '所属主题', '公文种类', '文种', '体裁',
  '发文机关', '发文机构', '发布机构', '发文单位', '发布单位', '制发机关', '制发机构', '联合发文单位', '联合发文机关',
  '成文日期', '生成日期', '发文日期', '印发日期', '发布日期', '公开日期', '发布时间',
  '实施日期', '施行日期', '生效日期', '废止日期', '失效日期', '有效期',
  '标题', '文件名称', '信息名称',
  '发文字号', '文号', '文件编号',
  '主题词', '关键词', '关键字',
  '有效性', '时效性', '效力状态', '是否有效', '效力级别',
  '文件来源', '信息来源', '来源',
  '公开方式', '公开范围', '公开形式', '公开属性', '公开时限', '内容概述',
]);

/** Label as shown minus its decoration: `[發文機構]` → `發文機構`, `索 引 号：` → `索 引 号`. */
export function cleanLabel(raw: string): string {
  return squashSpace(raw)
    .replace(/^[[【〔(（]\s*/, '')
    .replace(/\s*[:：]$/, '')
    .replace(/\s*[\]】〕)）]$/, '')
    .replace(/\s*[:：]$/, '')
    .trim();
}

/** Comparison key of a label: decoration and spaces removed, Simplified script (`標　　題：` → `标题`). */
export function fieldKey(label: string): string {
  const cached = keyCache.get(label);
  if (cached !== undefined) return cached;
  const key = toSimplifiedChars(stripSpace(cleanLabel(label)));
  if (keyCache.size > 2000) keyCache.clear();
  keyCache.set(label, key);
  return key;
}

/** Labels repeat across a page and across pages; the script conversion is the costly part. */
const keyCache = new Map<string, string>();

export function isKnownLabel(label: string): boolean {
  return KNOWN_LABELS.has(fieldKey(label));
}

/** `[label] value`, `【label】value`, `label：value` in one piece of text (label at most 16 characters). */
export function parseInlinePair(text: string): FieldPair | null {
  const s = squashSpace(text);
  if (s.length === 0 || s.length > 400) return null;
  let m = /^[[【]\s*([^\]】[【]{1,16}?)\s*[\]】]\s*[:：]?\s*([\s\S]*)$/.exec(s);
  if (m) return { label: cleanLabel(m[1]), value: m[2].trim() };
  m = /^([^:：\s[\]【】][^:：]{0,15}?)\s*[:：]\s*([\s\S]*)$/.exec(s);
  if (m) return { label: cleanLabel(m[1]), value: m[2].trim() };
  return null;
}

/** A cell that is a label only: ends with a colon or is bracketed, short, nothing after. */
function isColonLabel(text: string): boolean {
  const s = squashSpace(text);
  if (s.length === 0 || s.length > 16) return false;
  return (/[:：]$/.test(s) && !/[:：]/.test(s.slice(0, -1))) || /^[[【][^\]】]{1,14}[\]】]$/.test(s);
}

/**
 * Pairs from the cells of one row: a label cell followed by its value cell (`<td>索 引 号：</td><td>…</td>`),
 * or a cell holding both (`发文机关：国务院`). `labelOk` decides which labels count.
 */
export function pairsFromCells(cells: string[], labelOk: (label: string) => boolean): FieldPair[] {
  const out: FieldPair[] = [];
  for (let i = 0; i < cells.length; i++) {
    const t = squashSpace(cells[i]);
    if (t.length === 0) continue;
    const next = i + 1 < cells.length ? squashSpace(cells[i + 1]) : undefined;
    const nextIsLabel = next !== undefined && next.length > 0 && (isColonLabel(next) || isKnownLabel(next));
    if (isColonLabel(t) && labelOk(cleanLabel(t))) {
      if (next !== undefined && !nextIsLabel) {
        out.push({ label: cleanLabel(t), value: next });
        i++;
      } else out.push({ label: cleanLabel(t), value: '' });
      continue;
    }
    // A bare label (a <th>索引号</th>) needs a value beside it, else it is a column header.
    if (t.length <= 12 && isKnownLabel(t) && labelOk(cleanLabel(t)) && next && !nextIsLabel) {
      out.push({ label: cleanLabel(t), value: next });
      i++;
      continue;
    }
    const inline = parseInlinePair(t);
    if (inline && labelOk(inline.label)) out.push(inline);
  }
  return out;
}

// --- meta tags ---------------------------------------------------------------------------------

/** The meta tags government sites carry (国家政府网站集约化 conventions). */
export type GovMetaName =
  | 'SiteName' | 'SiteDomain' | 'SiteIDCode' | 'ColumnName' | 'ColumnType' | 'ColumnDescription'
  | 'ColumnKeywords' | 'ArticleTitle' | 'PubDate' | 'ContentSource' | 'Keywords' | 'Author' | 'Description'
  | 'Url';

const META_NAMES: ReadonlyArray<GovMetaName> = [
  'SiteName', 'SiteDomain', 'SiteIDCode', 'ColumnName', 'ColumnType', 'ColumnDescription', 'ColumnKeywords',
  'ArticleTitle', 'PubDate', 'ContentSource', 'Keywords', 'Author', 'Description', 'Url',
];
const META_BY_LOWER = new Map(META_NAMES.map((n) => [n.toLowerCase(), n]));

/** Standard meta tags of the page, names case-insensitive, values squashed; absent or empty ones left out. */
export function govMeta(doc: Document): Partial<Record<GovMetaName, string>> {
  const out: Partial<Record<GovMetaName, string>> = {};
  const metas = doc.querySelectorAll('meta[name]');
  for (let i = 0; i < metas.length; i++) {
    const name = META_BY_LOWER.get((metas[i].getAttribute('name') || '').trim().toLowerCase());
    const content = squashSpace(metas[i].getAttribute('content') || '');
    if (name && content && out[name] === undefined) out[name] = content;
  }
  return out;
}

// --- structured metadata blocks ----------------------------------------------------------------

export interface FieldScan {
  pairs: FieldPair[];
  /** Elements holding the accepted pairs (rows, list items, label/value elements). */
  elements: Element[];
}

interface Found {
  pair: FieldPair;
  els: Element[];
  container: Element;
}

const LEAF_CANDIDATES = new Set(['li', 'p', 'div', 'dd', 'dt', 'span', 'td', 'th', 'h5', 'h6', 'label']);
const BLOCKISH = new Set(
  'p,div,li,ul,ol,dl,dd,dt,table,tr,td,h1,h2,h3,h4,h5,h6,section,article'.split(','),
);

/** Whether any descendant is block-level (a leaf holds inline content only). Iterative, stops at the first. */
function hasBlockDescendant(el: Element): boolean {
  const stack: Element[] = [];
  for (let c = el.lastElementChild; c; c = c.previousElementSibling) stack.push(c);
  while (stack.length > 0) {
    const e = stack.pop() as Element;
    if (BLOCKISH.has(tagOf(e))) return true;
    for (let c = e.lastElementChild; c; c = c.previousElementSibling) stack.push(c);
  }
  return false;
}

/** A metadata block has at least this many distinct known labels. */
const MIN_LABELS = 3;

function signature(el: Element): string {
  const cls = squashSpace(el.getAttribute('class') || '');
  return cls ? `${tagOf(el)}.${cls}` : '';
}

/**
 * Label/value blocks anywhere in `scope` (default: the body) whose labels are known metadata labels:
 * tables of label/value cells, lists of `[label] value` or `label：value` items, dl lists, label/value
 * element pairs. A block needs MIN_LABELS distinct known labels; a block looking like an accepted one
 * (same tag and class, e.g. gov.cn's second table.bd1) is accepted with fewer.
 */
export function scanFields(doc: Document, scope?: Element | null): FieldScan {
  const root = scope ?? bodyOrRoot(doc);
  if (!root) return { pairs: [], elements: [] };
  const found: Found[] = [];
  const consumed = new Set<Element>();
  const stack: Element[] = [root];
  let visited = 0;
  while (stack.length > 0 && visited < 200_000) {
    const el = stack.pop() as Element;
    visited++;
    if (el !== root && isSkippedElement(el)) continue;
    if (consumed.has(el)) continue;
    const tag = tagOf(el);
    if (tag === 'tr' && !el.querySelector('table')) {
      const cells: string[] = [];
      for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
        const ct = tagOf(c);
        if (ct === 'td' || ct === 'th') cells.push(elementText(c));
      }
      const container = el.closest('table') ?? el;
      for (const pair of pairsFromCells(cells, isKnownLabel)) found.push({ pair, els: [el], container });
      continue;
    }
    if (tag === 'dl') {
      const dl = el;
      for (let c = dl.firstElementChild; c; c = c.nextElementSibling) {
        if (tagOf(c) !== 'dt') continue;
        const dd = c.nextElementSibling;
        const label = cleanLabel(elementText(c));
        if (!isKnownLabel(label)) continue;
        const value = dd && tagOf(dd) === 'dd' ? elementText(dd) : '';
        found.push({ pair: { label, value }, els: dd && tagOf(dd) === 'dd' ? [c, dd] : [c], container: dl });
      }
      continue;
    }
    const leaf = LEAF_CANDIDATES.has(tag) && !hasBlockDescendant(el) && !holdsSeveralPairs(el);
    if (leaf) {
      const text = elementText(el);
      if (text.length > 0 && text.length <= 300) {
        const container = el.parentElement ?? el;
        if (isColonLabel(text) || (isKnownLabel(text) && text.length <= 12)) {
          // a label element with its value in the next element: <span>索引号：</span><span>…</span>
          const label = cleanLabel(text);
          // list items each hold their own pair; other elements may hold the value in the next sibling
          const sib = tag === 'li' ? null : el.nextElementSibling;
          const sibText = sib && !isSkippedElement(sib) ? elementText(sib) : '';
          if (isKnownLabel(label) && sib && !looksLikePair(sibText) && sibText.length <= 300) {
            found.push({ pair: { label, value: sibText }, els: [el, sib], container });
            consumed.add(sib);
            continue;
          }
          if (isKnownLabel(label) && isColonLabel(text)) {
            // `[联合发文单位]` with nothing after: the site shows the field, empty
            found.push({ pair: { label, value: '' }, els: [el], container });
            continue;
          }
        } else {
          const inline = parseInlinePair(text);
          if (inline && isKnownLabel(inline.label)) {
            found.push({ pair: inline, els: [el], container });
            continue;
          }
        }
      }
      if (tag !== 'div' && tag !== 'li' && tag !== 'td') continue;
    }
    for (let c = el.lastElementChild; c; c = c.previousElementSibling) stack.push(c);
  }
  return acceptFound(found);
}

/** Text that is itself a label or a whole label/value pair, so it cannot be another label's value. */
function looksLikePair(text: string): boolean {
  if (text.length === 0) return false;
  if (isColonLabel(text) || isKnownLabel(text)) return true;
  const inline = parseInlinePair(text);
  return !!inline && isKnownLabel(inline.label);
}

/** `<div><span>索引号：…</span><span>发布机构：…</span></div>`: the pairs are the children, not the div. */
function holdsSeveralPairs(el: Element): boolean {
  let n = 0;
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    const t = elementText(c);
    if (t.length === 0 || t.length > 300) continue;
    const inline = parseInlinePair(t);
    if ((inline && isKnownLabel(inline.label)) || (isColonLabel(t) && isKnownLabel(t))) n++;
    if (n >= 2) return true;
  }
  return false;
}

function acceptFound(found: Found[]): FieldScan {
  // Distinct known labels per container and per container's parent (items wrapped one level deeper).
  const labels = new Map<Element, Set<string>>();
  const add = (el: Element | null, key: string): void => {
    if (!el) return;
    let s = labels.get(el);
    if (!s) labels.set(el, (s = new Set()));
    s.add(key);
  };
  for (const f of found) {
    const key = fieldKey(f.pair.label);
    add(f.container, key);
    add(f.container.parentElement, key);
  }
  const enough = (el: Element | null): boolean => !!el && (labels.get(el)?.size ?? 0) >= MIN_LABELS;
  const accepted = found.map((f) => enough(f.container) || enough(f.container.parentElement));
  const signatures = new Set<string>();
  found.forEach((f, i) => {
    if (accepted[i] && signature(f.container)) signatures.add(signature(f.container));
  });
  const pairs: FieldPair[] = [];
  const elements = new Set<Element>();
  found.forEach((f, i) => {
    if (!accepted[i] && !(signature(f.container) && signatures.has(signature(f.container)))) return;
    pairs.push(f.pair);
    for (const e of f.els) elements.add(e);
  });
  return { pairs, elements: [...elements] };
}

// --- content root ------------------------------------------------------------------------------

/**
 * Body containers of the CMSs government sites run on (TRS, Ucap, gov.cn, 首都之窗, 上海), most specific first.
 * Only ids and CMS class names: broad names (.content, article) are left to the density search.
 */
export const KNOWN_CONTENT_SELECTORS: readonly string[] = [
  '#UCAP-CONTENT', '#mainText', '#ivs_content', '.TRS_UEDITOR', '.TRS_Editor', '.trs_editor_view', '#zoom',
  '#Zoom', '.pages_content', '.Article_content', '.article-content', '.article_content', '#BodyLabel',
  '.BodyLabel', '#ContentRegion',
];

/** Chrome any government page may carry inside its article. */
export const GENERIC_CHROME_SELECTORS: readonly string[] = [
  'nav', '[role="navigation"]', 'footer', '.bdsharebuttonbox', '.bshare-custom', '.share', '.share-box',
  '.share-bar', '.fontsize', '.font-size', '.print', '.breadcrumb', '.bread-crumbs', '.crumbs', '#div_div',
  '#qr_container',
];

const MIN_ROOT_CHARS = 30;

/** Scopes a descendant selector (`.article h1`) looks inside; a real template has one or two. */
const MAX_SCOPES = 20;

/**
 * Elements matching `selector` under `root`, at most `limit`, document order within each scope. A descendant
 * selector is run as its first part, then the rest inside each of the first MAX_SCOPES matches: matching
 * `.article h1` natively costs every h1 × its ancestors, which deeply nested markup turns into a hang.
 * A selector the engine rejects matches nothing.
 */
export function queryAll(root: ParentNode, selector: string, limit = Infinity): Element[] {
  const parts = selector.trim().split(/\s+/);
  try {
    if (parts.length === 1 || /[,>+~[\]()"']/.test(selector)) {
      const found = root.querySelectorAll(selector);
      const out: Element[] = [];
      for (let i = 0; i < found.length && out.length < limit; i++) out.push(found[i]);
      return out;
    }
    const scopes = root.querySelectorAll(parts[0]);
    const rest = parts.slice(1).join(' ');
    const out: Element[] = [];
    const seen = new Set<Element>();
    for (let i = 0; i < scopes.length && i < MAX_SCOPES && out.length < limit; i++) {
      for (const el of queryAll(scopes[i], rest, limit - out.length)) {
        if (seen.has(el)) continue;
        seen.add(el);
        out.push(el);
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** Characters of text, whitespace not counted. */
export function textLength(s: string): number {
  return stripSpace(s).length;
}

/** First element matching one of the selectors with some text in it. */
export function firstWithText(doc: Document, selectors: readonly string[], min = MIN_ROOT_CHARS): Element | null {
  for (const sel of selectors) {
    const els = queryAll(doc, sel, 20);
    // Only "at least min characters" matters: read a bounded prefix, not a whole giant body.
    for (let i = 0; i < els.length; i++) if (textLength(elementText(els[i], isSkippedElement, min * 4 + 4096)) >= min) return els[i];
  }
  return null;
}

const SENTENCE_PUNCT = /[，。；、,;：:！？]/g;
const PARAGRAPH_TAGS = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'pre', 'blockquote', 'dd', 'dt']);

/**
 * The element with the densest prose: each block's text (minus link-heavy ones) scores for its parent and,
 * half, its grandparent, and for itself when it is a container holding text directly (text with <br>s in a td).
 */
export function densestElement(doc: Document): Element | null {
  const body = bodyOrRoot(doc);
  if (!body) return null;
  const chrome = selectAll(body, GENERIC_CHROME_SELECTORS);
  const scores = new Map<Element, number>();
  const bump = (el: Element | null, s: number): void => {
    if (!el) return;
    scores.set(el, (scores.get(el) ?? 0) + s);
  };
  walkBlockTexts(body, (el) => chrome.has(el) || isSkippedElement(el), ({ text, owner, linkChars }) => {
    const len = textLength(text);
    if (len < 10 || linkChars / Math.max(1, text.length) > 0.5) return;
    const punct = Math.min(len, (text.match(SENTENCE_PUNCT) || []).length);
    const s = len + 5 * punct;
    if (!PARAGRAPH_TAGS.has(tagOf(owner))) bump(owner, s);
    const parent = owner.parentElement;
    bump(parent, s);
    bump(parent?.parentElement ?? null, s / 2);
  });
  let best: Element | null = null;
  let bestScore = 0;
  for (const [el, s] of scores) {
    const tag = tagOf(el);
    if (tag === 'html' || tag === 'body' || tag === 'tbody' || tag === 'tr') continue;
    if (s > bestScore) {
      best = el;
      bestScore = s;
    }
  }
  return best;
}

/** Body container by CMS selectors, else by text density, else the body itself. */
export function genericContentRoot(doc: Document): Element | null {
  return firstWithText(doc, KNOWN_CONTENT_SELECTORS) ?? densestElement(doc) ?? bodyOrRoot(doc);
}

// --- title -------------------------------------------------------------------------------------

const TITLE_SELECTORS: readonly string[] = [
  '#ivs_title', '.article-title', '.article_title', '.Article_title', '.news-title', '.detail-title',
  '#ti', 'h1.title', '.title h1', 'h1',
];

/** Site banners: their h1 is the site's logo, not the document's title. */
const SITE_HEADER = 'nav, #header, #top, .top, .logo, .site-header';

/** Visible title of the page: elements named as titles, then the first h1 with Chinese text. */
export function visibleTitle(doc: Document, selectors: readonly string[] = TITLE_SELECTORS): string | null {
  const siteName = govMeta(doc).SiteName;
  for (const sel of selectors) {
    const els = queryAll(doc, sel, 10);
    for (let i = 0; i < els.length; i++) {
      if (isSkippedElement(els[i]) || els[i].closest(SITE_HEADER)) continue;
      // Titles of more than 300 characters are refused anyway: a bounded read is enough.
      const t = elementText(els[i], isSkippedElement, 4096);
      if (t === siteName) continue;
      if (t.length >= 4 && t.length <= 300 && /[\u4e00-\u9fff]/.test(t)) return t;
    }
  }
  return null;
}

/** Title: meta ArticleTitle, a visible title element, then the first part of <title>. */
export function genericTitle(doc: Document): string | null {
  const meta = govMeta(doc).ArticleTitle;
  if (meta) return meta;
  const visible = visibleTitle(doc);
  if (visible) return visible;
  const head = squashSpace(doc.querySelector('title')?.textContent || '');
  const first = head.split(/\s*(?:_|\||｜|-{1,2}|—)\s*/)[0];
  return first && first.length >= 4 ? first : null;
}

export const genericProfile: SiteProfile = {
  id: 'generic',
  name: '政府网站',
  contentRoot: genericContentRoot,
  fields: (doc) => scanFields(doc).pairs,
  title: genericTitle,
  chromeSelectors: [...GENERIC_CHROME_SELECTORS],
  metadataBlocks: (doc) => scanFields(doc).elements,
};
