// Turns a page's content root (or a plain-text page) into content blocks in document order, skipping chrome.
import type { SiteProfile } from '../sites/profile';
import { squashSpace } from '../text/width';
import { isChromeLine } from './chrome';
import { bodyOrRoot } from './doc-root';

/** A block before offsets are assigned: its text, which element (or line) it came from, and that element's tag. */
export interface RawBlock {
  /** Whitespace-squashed text; table rows join their cells with a tab. */
  text: string;
  /** Index into `elements` (DOM) or the line index (plain text). Several blocks may share one source (br/pre lines). */
  source: number;
  /** Lower-cased tag of the source element, or 'line' for plain text. */
  tag: string;
}

export interface BlockOptions {
  /** Extra visibility test from the caller (the content script can consult computed styles). */
  isHidden?: (el: Element) => boolean;
  /**
   * Stop once the blocks hold this many characters: on a giant page (megabytes of text) the live page's
   * main thread is not held for seconds; the result says it was cut (`truncated`).
   */
  maxChars?: number;
}

/** Elements whose content is never page text. */
const SKIP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'object', 'embed', 'svg', 'canvas', 'math',
  'head', 'title', 'meta', 'link', 'base', 'select', 'option', 'optgroup', 'button', 'textarea', 'input',
  'map', 'audio', 'video', 'source', 'track', 'img', 'picture', 'dialog',
]);

/** Elements that start and end a block; everything else (b, span, font, a, o:p…) is inline. */
const BLOCK_TAGS = new Set([
  'html', 'body', 'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'thead', 'tbody', 'tfoot', 'tr',
  'td', 'th', 'caption', 'ul', 'menu', 'legend',
]);

/** Block-level descendants that make a table cell a layout container rather than a data cell. */
const CELL_BLOCKS = 'p,div,li,h1,h2,h3,h4,h5,h6,pre,blockquote';
const MAX_ROW_CELL_BLOCKS = 8;
const MAX_ROW_CHARS = 4000;

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;
const HIDDEN_CLASS = /(?:^|\s)(?:hidden|hide|d-none|sr-only|visually-hidden)(?:\s|$)/;

/** Lower-cased tag name (HTML documents report upper case in tagName). */
export function tagOf(el: Element): string {
  return (el.localName || el.tagName || '').toLowerCase();
}

/** Squash whitespace runs to one space and drop zero-width characters; other characters stay as they are. */
export function squashBlockText(s: string): string {
  return squashSpace(s.replace(/[\u200b\u200c\u200d\u2060\ufeff]/g, ''));
}

/** Hidden by markup alone: `hidden`, aria-hidden, inline display:none / visibility:hidden, hidden classes. */
export function isHiddenElement(el: Element): boolean {
  if (el.hasAttribute('hidden')) return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  if (style && HIDDEN_STYLE.test(style)) return true;
  const cls = el.getAttribute('class');
  if (cls && HIDDEN_CLASS.test(cls)) return true;
  return tagOf(el) === 'input' && (el.getAttribute('type') || '').toLowerCase() === 'hidden';
}

/** Never walked into: non-text elements and hidden ones. */
export function isSkippedElement(el: Element): boolean {
  return SKIP_TAGS.has(tagOf(el)) || isHiddenElement(el);
}

type Skip = (el: Element) => boolean;

/** Text of an element, block boundaries and <br> as spaces, skipped elements left out; squashed. Iterative. */
export function elementText(el: Element, skip: Skip = isSkippedElement, maxChars = Infinity): string {
  let out = '';
  // strings on the stack are separators to emit when a block element closes
  const stack: Array<Node | string> = [el];
  // maxChars: callers that only need to know "at least / at most so long" stop there instead of walking a
  // giant subtree (a 5 MB page's body) in full.
  while (stack.length > 0 && out.length < maxChars) {
    const node = stack.pop() as Node | string;
    if (typeof node === 'string') {
      out += node;
      continue;
    }
    if (node.nodeType === 3) {
      out += (node as Text).data;
      continue;
    }
    if (node.nodeType !== 1) continue;
    const e = node as Element;
    if (e !== el && skip(e)) continue;
    const tag = tagOf(e);
    if (tag === 'br' || BLOCK_TAGS.has(tag)) {
      out += ' ';
      stack.push(' ');
    }
    for (let c = e.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return squashBlockText(out);
}

/** A table row is one block when its cells hold data, not nested layout (tables, many paragraphs). */
function isDataRow(tr: Element): boolean {
  if (tr.querySelector('table')) return false;
  let chars = 0;
  for (let c = tr.firstElementChild; c; c = c.nextElementSibling) {
    const tag = tagOf(c);
    if (tag !== 'td' && tag !== 'th') continue;
    const inner = c.querySelectorAll(CELL_BLOCKS);
    if (inner.length > MAX_ROW_CELL_BLOCKS) return false;
    chars += (c.textContent || '').length;
    if (chars > MAX_ROW_CHARS) return false;
  }
  return true;
}

function rowText(tr: Element, skip: Skip): string {
  const cells: string[] = [];
  for (let c = tr.firstElementChild; c; c = c.nextElementSibling) {
    const tag = tagOf(c);
    if ((tag !== 'td' && tag !== 'th') || skip(c)) continue;
    const t = elementText(c, skip);
    if (t) cells.push(t);
  }
  return cells.join('\t');
}

/** One block's worth of text as the walker found it. */
export interface WalkedText {
  /** Raw text (unsquashed), or for a table row the cells already squashed and tab-joined. */
  text: string;
  owner: Element;
  /** Characters of `text` inside links (for link density). */
  linkChars: number;
  row: boolean;
}

/**
 * Walks `root` in document order with an explicit stack (deep nesting cannot overflow), calling `emit` once
 * per run of text that belongs to one block-level element: text is cut at block boundaries, at <br>, at
 * newlines inside <pre>, and table data rows come out whole.
 */
export function walkBlockTexts(root: Element, skip: Skip, emit: (t: WalkedText) => void | boolean): void {
  const blockStack: Element[] = [root];
  let buf = '';
  let linkChars = 0;
  let linkDepth = 0;
  let preDepth = 0;
  // emit() returning false ends the walk (a caller that has enough text).
  let stopped = false;
  const flush = (): void => {
    if (buf.length > 0 && emit({ text: buf, owner: blockStack[blockStack.length - 1], linkChars, row: false }) === false) stopped = true;
    buf = '';
    linkChars = 0;
  };
  const addText = (t: string): void => {
    buf += t;
    if (linkDepth > 0) linkChars += t.length;
  };
  // Entries are nodes to visit, or { exit } markers closing an element.
  const stack: Array<Node | { exit: Element }> = [];
  for (let c = root.lastChild; c; c = c.previousSibling) stack.push(c);
  if (tagOf(root) === 'pre') preDepth++;
  while (stack.length > 0 && !stopped) {
    const item = stack.pop() as Node | { exit: Element };
    if ('exit' in item) {
      const tag = tagOf(item.exit);
      if (tag === 'a') linkDepth--;
      else {
        flush();
        blockStack.pop();
        if (tag === 'pre') preDepth--;
      }
      continue;
    }
    const node = item;
    if (node.nodeType === 3) {
      const data = (node as Text).data;
      if (preDepth > 0 && data.includes('\n')) {
        const lines = data.split('\n');
        for (let i = 0; i < lines.length; i++) {
          if (i > 0) flush();
          addText(lines[i]);
        }
      } else addText(data);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    const tag = tagOf(el);
    if (SKIP_TAGS.has(tag) || skip(el)) continue;
    if (tag === 'br') {
      flush();
      continue;
    }
    if (tag === 'tr' && isDataRow(el)) {
      flush();
      const text = rowText(el, skip);
      if (text && emit({ text, owner: el, linkChars: 0, row: true }) === false) stopped = true;
      continue;
    }
    if (BLOCK_TAGS.has(tag)) {
      flush();
      blockStack.push(el);
      if (tag === 'pre') preDepth++;
    } else if (tag === 'a') linkDepth++;
    else {
      for (let c = el.lastChild; c; c = c.previousSibling) stack.push(c);
      continue;
    }
    stack.push({ exit: el });
    for (let c = el.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  if (!stopped) flush();
}

/** Elements matched by CSS selectors inside root; a selector the engine rejects is ignored. */
export function selectAll(root: ParentNode, selectors: readonly string[]): Set<Element> {
  const out = new Set<Element>();
  for (const sel of selectors) {
    try {
      const found = root.querySelectorAll(sel);
      for (let i = 0; i < found.length; i++) out.add(found[i]);
    } catch {
      // an unsupported selector must not break extraction
    }
  }
  return out;
}

/** Where a page's blocks are read: the content root, and what to skip inside it (chrome, metadata, hidden). */
export interface BlockScope {
  root: Element | null;
  skip: Skip;
}

/** The content root and the elements to skip in it: the first half of blocksFromDocument, separately callable. */
export function blockScope(doc: Document, profile: SiteProfile, opts: BlockOptions = {}): BlockScope {
  const root = profile.contentRoot(doc) ?? bodyOrRoot(doc);
  if (!root) return { root, skip: () => true };
  const chrome = selectAll(root, profile.chromeSelectors);
  chrome.delete(root);
  const meta = new Set(profile.metadataBlocks ? profile.metadataBlocks(doc) : []);
  meta.delete(root);
  const extraHidden = opts.isHidden;
  const skip: Skip = (el) =>
    chrome.has(el) || meta.has(el) || isHiddenElement(el) || (extraHidden ? extraHidden(el) : false);
  return { root, skip };
}

/** The blocks of a scope in document order, stopping after `maxChars` characters (then `truncated`). */
export function blocksInScope(
  { root, skip }: BlockScope,
  maxChars = Infinity,
): { blocks: RawBlock[]; elements: Element[]; truncated: boolean } {
  const blocks: RawBlock[] = [];
  const elements: Element[] = [];
  if (!root) return { blocks, elements, truncated: false };
  let chars = 0;
  let truncated = false;
  const sourceOf = new Map<Element, number>();
  walkBlockTexts(root, skip, ({ text, owner, row }) => {
    const t = row ? text : squashBlockText(text);
    if (t.length === 0 || isChromeLine(t)) return;
    let source = sourceOf.get(owner);
    if (source === undefined) {
      source = elements.length;
      elements.push(owner);
      sourceOf.set(owner, source);
    }
    blocks.push({ text: t, source, tag: tagOf(owner) });
    chars += t.length;
    if (chars >= maxChars) {
      truncated = true;
      return false;
    }
    return true;
  });
  return { blocks, elements, truncated };
}

/**
 * Content blocks of a page: the profile's content root walked in document order, one block per block-level
 * element (br/pre lines split, table data rows joined by tabs), without hidden elements, the profile's chrome,
 * its structured metadata block, or chrome lines. `elements[source]` is the element a block came from.
 */
export function blocksFromDocument(
  doc: Document,
  profile: SiteProfile,
  opts: BlockOptions = {},
): { blocks: RawBlock[]; elements: Element[]; truncated: boolean } {
  return blocksInScope(blockScope(doc, profile, opts), opts.maxChars);
}

/** Blocks of a plain-text page: one per non-empty, non-chrome line; source is the line index. */
export function blocksFromText(text: string): RawBlock[] {
  const out: RawBlock[] = [];
  const lines = String(text ?? '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = squashBlockText(lines[i]);
    if (t.length === 0 || isChromeLine(t)) continue;
    out.push({ text: t, source: i, tag: 'line' });
  }
  return out;
}
