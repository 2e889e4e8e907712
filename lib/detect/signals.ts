// Cheap page signals for detection: host, meta tags, title, headings and a bounded text sample.
// Runs in the content script on every government page, so it never serialises the page,
// never asks for layout (no innerText) and stops walking once the sample is full.
import { hostOf } from '../sites/hosts';
import { bodyOrRoot } from '../page/doc-root';

/** Everything detection looks at; a plain object so it can be built from a DOM or from plain text. */
export interface PageSignals {
  /** Page URL as given; null for text that came from nowhere in particular. */
  url: string | null;
  /** Host of the URL (lower-cased), null when unknown. */
  host: string | null;
  /** `<meta name=…>` contents keyed by lower-cased name: sitename, siteidcode, columnname, columntype,
   *  articletitle, pubdate, contentsource, keywords, description… Empty for plain text. */
  meta: Record<string, string>;
  /** The document `<title>`, '' when none (plain text). */
  title: string;
  /** Texts of the first h1/h2 elements in document order; empty for plain text. */
  headings: string[];
  /** Metadata blocks recognised by their markup ('table.bd1', 'ol.doc-info'…); empty for plain text.
   *  Labelled blocks written as text (发文字号：…, [發文字號]) are found in the sample by detection. */
  blocks: string[];
  /** The first ~3,000 characters of body text, one line per block element, page chrome (scripts,
   *  nav, footer) left out. */
  sample: string;
  /** Links met while sampling; null when unknown (plain text). */
  sampleLinks: number | null;
  /** Characters of the sample that sit inside links; null when unknown (plain text). Link-only lines
   *  past the first ~1,200 characters of them are left out of the sample (and of this count). */
  sampleLinkChars: number | null;
}

/** Characters of body text a sample holds. */
export const SAMPLE_CHARS = 3000;

const MAX_META = 80;
const MAX_META_VALUE = 400;
const MAX_HEADINGS = 8;
const MAX_HEADING_CHARS = 200;
/** Characters of link-only lines the sample keeps; later link-only lines (menus that are not marked
 *  as nav, long sidebars) are counted but not kept, so the text after them still gets into the sample. */
const LINK_LINE_BUDGET = 1200;
/** Element visits before the walk gives up even if the sample is not full (pages of empty markup). */
const MAX_VISITS = 20000;

/** Elements whose text is never page content. */
const SKIP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'canvas',
  'select', 'option', 'textarea', 'button', 'footer', 'aside', 'video', 'audio', 'map',
]);

/** Class/id tokens that name site chrome (exact tokens, so "article-header" is kept). */
const CHROME_TOKENS = new Set([
  'nav', 'navbar', 'navigation', 'mainnav', 'topnav', 'subnav', 'menu', 'mainmenu', 'topmenu',
  'footer', 'foot', 'site-footer', 'site-header', 'topbar', 'top-bar', 'header', 'skip', 'sr-only',
]);

/** Elements that end a line of text. */
const BLOCK_TAGS = new Set([
  'p', 'div', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'tr', 'table', 'tbody', 'thead', 'tfoot', 'caption',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'hr', 'section', 'article', 'main', 'header', 'form',
  'blockquote', 'pre', 'center', 'figure', 'figcaption', 'address', 'nav', 'fieldset', 'legend',
]);

/** Table cells: kept on their row's line, separated by a space. */
const CELL_TAGS = new Set(['td', 'th']);

/** Markup-recognised metadata blocks of known government templates. */
const BLOCK_SELECTORS: ReadonlyArray<string> = [
  'table.bd1', // www.gov.cn old template: 索引号/主题分类/发文机关…
  'ol.doc-info', // 首都之窗 numbered metadata list
  '.xxgk-info', // 信息公开 metadata box on several provincial templates
  '.policyLibraryOverview_header', // www.gov.cn policy library
];

// Control characters other than tab and newline: hostile or broken pages.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Minimal DOM surface the walk needs (works on browser DOM, linkedom, happy-dom, jsdom). */
interface WalkNode {
  nodeType: number;
  nodeValue: string | null;
  firstChild: WalkNode | null;
  nextSibling: WalkNode | null;
  parentNode: WalkNode | null;
  localName?: string;
  getAttribute?: (name: string) => string | null;
}

/** Whether an element is chrome that should not feed the sample. */
function isChrome(el: WalkNode, tag: string): boolean {
  if (SKIP_TAGS.has(tag)) return true;
  const get = el.getAttribute;
  if (!get) return false;
  if (get.call(el, 'hidden') !== null || get.call(el, 'aria-hidden') === 'true') return true;
  const style = get.call(el, 'style');
  if (style && /display\s*:\s*none/i.test(style.slice(0, 300))) return true;
  const cls = (get.call(el, 'class') ?? '').slice(0, 200).toLowerCase();
  const id = (get.call(el, 'id') ?? '').slice(0, 100).toLowerCase();
  // Breadcrumbs say which column a page sits in (政务公开 > 政策文件): keep them, even in <nav>.
  if (/crumb|position|location|weizhi|dqwz/.test(cls + ' ' + id)) return false;
  if (get.call(el, 'role') === 'navigation' || tag === 'nav') return true;
  for (const t of cls.split(/\s+/)) if (CHROME_TOKENS.has(t)) return true;
  return CHROME_TOKENS.has(id);
}

/** Normalise a run of inline text: collapse whitespace, drop control characters. */
function cleanInline(s: string): string {
  return s.replace(CONTROL, '').replace(/[\s\u00a0]+/g, ' ');
}

/** Walk the body in document order collecting text until the budget is spent. */
function sampleBody(root: WalkNode, budget: number): { sample: string; links: number; linkChars: number } {
  const lines: string[] = [];
  let line = '';
  let total = 0;
  let links = 0;
  let linkChars = 0;
  let linkDepth = 0;
  let lineLinkChars = 0;
  let linkOnlyChars = 0;
  let visits = 0;

  const endLine = () => {
    const t = line.replace(/^[ \u3000]+|[ \u3000]+$/g, '');
    const linkOnly = t.length > 0 && lineLinkChars >= t.length * 0.9;
    if (t && !(linkOnly && linkOnlyChars > LINK_LINE_BUDGET)) {
      lines.push(t);
      total += t.length + 1;
      linkChars += lineLinkChars;
      if (linkOnly) linkOnlyChars += t.length;
    }
    line = '';
    lineLinkChars = 0;
  };

  let n: WalkNode | null = root.firstChild;
  while (n && total + line.length < budget && visits++ < MAX_VISITS) {
    let descend = false;
    let entered = false;
    if (n.nodeType === 3) {
      const room = budget - total - line.length;
      const raw = (n.nodeValue ?? '').slice(0, room * 2 + 16);
      const text = cleanInline(raw).slice(0, Math.max(0, room));
      if (text.trim()) {
        line += text;
        if (linkDepth > 0) lineLinkChars += text.trim().length;
      } else if (line && !line.endsWith(' ')) line += ' '; // keep "title 2024-05-10" apart
    } else if (n.nodeType === 1) {
      const tag = (n.localName ?? '').toLowerCase();
      if (!isChrome(n, tag)) {
        entered = true;
        descend = true;
        if (BLOCK_TAGS.has(tag)) endLine();
        else if (CELL_TAGS.has(tag) && line && !line.endsWith(' ')) line += ' ';
        if (tag === 'a') {
          links++;
          linkDepth++;
        }
      }
    }
    if (descend && n.firstChild) {
      n = n.firstChild;
      continue;
    }
    // Leave n (and every ancestor whose last child it was) until a next sibling turns up.
    let leaving: WalkNode | null = n;
    let leftEntered = entered;
    n = null;
    while (leaving && leaving !== root) {
      if (leaving.nodeType === 1 && leftEntered) {
        const tag = (leaving.localName ?? '').toLowerCase();
        if (tag === 'a') linkDepth = Math.max(0, linkDepth - 1);
        if (BLOCK_TAGS.has(tag)) endLine();
      }
      if (leaving.nextSibling) {
        n = leaving.nextSibling;
        break;
      }
      leaving = leaving.parentNode;
      leftEntered = true; // ancestors we climb back through were all entered
    }
  }
  endLine();
  return { sample: lines.join('\n').slice(0, budget), links, linkChars };
}

/** Text of an element, bounded and with whitespace collapsed. */
function boundedText(el: { textContent: string | null } | null, max: number): string {
  if (!el) return '';
  return cleanInline((el.textContent ?? '').slice(0, max * 4)).trim().slice(0, max);
}

/** Signals of a parsed page. */
export function collectSignals(doc: Document, url: string | null): PageSignals {
  const host = hostOf(url)?.toLowerCase() ?? null;

  const meta: Record<string, string> = {};
  const metas = doc.querySelectorAll('meta[name]');
  for (let i = 0; i < metas.length && i < MAX_META; i++) {
    const m = metas[i];
    const name = (m.getAttribute('name') ?? '').trim().toLowerCase();
    const content = m.getAttribute('content');
    if (!name || content == null || name in meta) continue;
    meta[name] = cleanInline(content.slice(0, MAX_META_VALUE)).trim();
  }

  const title = boundedText(doc.querySelector('title'), MAX_HEADING_CHARS);

  const headings: string[] = [];
  const hs = doc.querySelectorAll('h1, h2');
  for (let i = 0; i < hs.length && headings.length < MAX_HEADINGS; i++) {
    const t = boundedText(hs[i], MAX_HEADING_CHARS);
    if (t) headings.push(t);
  }

  const blocks: string[] = [];
  for (const sel of BLOCK_SELECTORS) if (doc.querySelector(sel)) blocks.push(sel);

  const body = bodyOrRoot(doc) as unknown as WalkNode | null;
  const { sample, links, linkChars } = body
    ? sampleBody(body, SAMPLE_CHARS)
    : { sample: '', links: 0, linkChars: 0 };

  return {
    url,
    host,
    meta,
    title,
    headings,
    blocks,
    sample,
    sampleLinks: links,
    sampleLinkChars: linkChars,
  };
}

/** Signals of plain text (a copied page, a .txt file): the sample is its first ~3,000 characters. */
export function signalsFromText(text: string, url: string | null): PageSignals {
  const head = text.slice(0, SAMPLE_CHARS * 2).replace(CONTROL, '');
  const lines: string[] = [];
  let total = 0;
  for (const raw of head.split(/\r\n|\r|\n/)) {
    const t = raw.replace(/[ \t\u00a0]+/g, ' ').replace(/^[ \u3000]+|[ \u3000]+$/g, '');
    if (!t) continue;
    lines.push(t);
    total += t.length + 1;
    if (total >= SAMPLE_CHARS) break;
  }
  return {
    url,
    host: hostOf(url)?.toLowerCase() ?? null,
    meta: {},
    title: '',
    headings: [],
    blocks: [],
    sample: lines.join('\n').slice(0, SAMPLE_CHARS),
    sampleLinks: null,
    sampleLinkChars: null,
  };
}
