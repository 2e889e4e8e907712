// Between the live DOM and ExtractedDoc.text: a DOM selection → a Selector in the text, and text offsets →
// DOM Ranges (one per block piece) for painting.
//
// The text nodes the extraction read (those owned by an element of the overlay's `elements` list) are
// aligned character by character with the blocks' text, both without whitespace: the cleaned text
// squashes spaces, and may differ where cleaning repaired or removed characters (pinyin notes, stray
// markup), so blocks are matched whole where they can be and character by character where they cannot.
// Works across element boundaries: bold runs, paragraphs, table cells.
import { isSkippedElement } from '../page/blocks';
import type { Block } from '../types';
import { describe, type Selector } from './selectors';

/** The parts of an ExtractedDoc the mapping needs. */
export interface TextLayout {
  text: string;
  blocks: Block[];
}

/** A selection boundary pair, as a DOM Range or Selection range has it. */
export interface BoundaryRange {
  startContainer: Node;
  startOffset: number;
  endContainer: Node;
  endOffset: number;
}

/** Whitespace the matching ignores: what the cleaned text squashes or drops (zero-width characters too). */
const isSpace = (c: string) => /[\s\u200b\u200c\u200d\u2060\ufeff]/.test(c);

/** Elements whose start and end are block boundaries (lib/page/blocks.ts walks the same list). */
const BLOCK_TAGS = new Set([
  'html', 'body', 'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'thead', 'tbody', 'tfoot', 'tr',
  'td', 'th', 'caption', 'ul', 'menu', 'legend',
]);

/** How far ahead (page characters) a block's text is looked for before falling back to characters. */
const BLOCK_WINDOW = 4000;
/** How far ahead one character is looked for when a block differs from the page. */
const CHAR_WINDOW = 48;

const FOLLOWING = 4; // Node.DOCUMENT_POSITION_FOLLOWING (no Node global in Node tests)

const tagOf = (el: Element) => (el.localName || el.tagName || '').toLowerCase();

/**
 * Text nodes in document order that belong to a block: inside an element of `elements` with no other
 * block-level element in between (a data row's cells belong to the row). Skipped and hidden elements are
 * left out, as extraction leaves them out. Iterative: pages nest deeply.
 */
function ownedTextNodes(root: Node, elements: readonly Element[]): Text[] {
  const index = new Set(elements);
  const out: Text[] = [];
  // [node, owned?, inside a data row?]
  const stack: Array<[Node, boolean, boolean]> = [[root, false, false]];
  while (stack.length) {
    const [node, owned, inRow] = stack.pop()!;
    let own = owned;
    let row = inRow;
    if (node.nodeType === 3) {
      if (owned) out.push(node as Text);
      continue;
    }
    if (node.nodeType === 1) {
      const el = node as Element;
      if (isSkippedElement(el)) continue;
      if (index.has(el)) {
        own = true;
        row = tagOf(el) === 'tr';
      } else if (BLOCK_TAGS.has(tagOf(el)) && !inRow) {
        own = false;
      }
    } else if (node.nodeType !== 9 && node.nodeType !== 11) continue;
    const kids = node.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], own, row]);
  }
  return out;
}

/** The nearest common root of the elements (usually the page's content root or body). */
function rootOf(elements: readonly Element[]): Node | null {
  const first = elements[0];
  if (!first) return null;
  return first.ownerDocument?.body ?? first.ownerDocument?.documentElement ?? first;
}

/**
 * The alignment of one page (or reader document) with its extracted text. Build it when needed: it
 * reads the DOM as it is now.
 */
export class PageTextMap {
  /** Page characters (no whitespace): which text node and offset each came from. */
  private readonly oNode: Int32Array;
  private readonly oOffset: Int32Array;
  /** Page character → the text character it matched (index into bText), or -1. */
  private readonly oMatch: Int32Array;
  /** Text characters (no whitespace): offset in layout.text, and the page character matched or -1. */
  private readonly bOffset: Int32Array;
  private readonly bMatch: Int32Array;
  /** Where each text node's characters start in the page sequence. */
  private readonly nodeStart: Int32Array;

  private constructor(
    private readonly doc: Document,
    private readonly layout: TextLayout,
    private readonly nodes: Text[],
  ) {
    // Page side.
    let o = '';
    const oNode: number[] = [];
    const oOffset: number[] = [];
    this.nodeStart = new Int32Array(nodes.length + 1);
    nodes.forEach((n, ni) => {
      this.nodeStart[ni] = oNode.length;
      const data = n.data;
      for (let i = 0; i < data.length; i++) {
        if (isSpace(data[i])) continue;
        o += data[i];
        oNode.push(ni);
        oOffset.push(i);
      }
    });
    this.nodeStart[nodes.length] = oNode.length;
    this.oNode = Int32Array.from(oNode);
    this.oOffset = Int32Array.from(oOffset);
    // Text side, block by block.
    const bOffset: number[] = [];
    const blockSpans: Array<[number, number]> = [];
    let b = '';
    for (const block of layout.blocks) {
      const from = bOffset.length;
      for (let i = block.start; i < block.end; i++) {
        const c = layout.text[i];
        if (c === undefined || isSpace(c)) continue;
        b += c;
        bOffset.push(i);
      }
      blockSpans.push([from, bOffset.length]);
    }
    this.bOffset = Int32Array.from(bOffset);
    this.bMatch = new Int32Array(b.length).fill(-1);
    this.oMatch = new Int32Array(o.length).fill(-1);
    this.align(o, b, blockSpans);
  }

  /** Maps the page as it is now; null when there is nothing to map (no elements or no document). */
  static build(layout: TextLayout, elements: readonly Element[], root?: Node): PageTextMap | null {
    const r = root ?? rootOf(elements);
    const doc = r ? (r.nodeType === 9 ? (r as Document) : r.ownerDocument) : null;
    if (!r || !doc) return null;
    return new PageTextMap(doc, layout, ownedTextNodes(r, elements));
  }

  /** Monotone alignment: whole blocks by search, the rest character by character within a short window. */
  private align(o: string, b: string, blockSpans: Array<[number, number]>): void {
    let cursor = 0;
    const link = (bi: number, oi: number) => {
      this.bMatch[bi] = oi;
      this.oMatch[oi] = bi;
    };
    for (const [from, to] of blockSpans) {
      if (from === to) continue;
      const want = b.slice(from, to);
      // A block is usually on the page as it is: right here, or after text extraction left out.
      const at = o.startsWith(want, cursor) ? cursor : o.indexOf(want, cursor);
      if (at >= 0 && at - cursor <= BLOCK_WINDOW) {
        for (let k = 0; k < want.length; k++) link(from + k, at + k);
        cursor = at + want.length;
        continue;
      }
      for (let bi = from; bi < to; bi++) {
        const limit = Math.min(o.length, cursor + CHAR_WINDOW);
        for (let oi = cursor; oi < limit; oi++) {
          if (o[oi] === b[bi]) {
            link(bi, oi);
            cursor = oi + 1;
            break;
          }
        }
      }
    }
  }

  /** Index of the first text node not wholly before the point, or nodes.length. */
  private firstNodeFrom(container: Node, offset: number): number {
    let lo = 0;
    let hi = this.nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pointAfterNode(container, offset, this.nodes[mid])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Page character index at a boundary point: the first page character at or after it. */
  private pageIndexAt(container: Node, offset: number): number {
    const ni = this.firstNodeFrom(container, offset);
    if (ni >= this.nodes.length) return this.oNode.length;
    const node = this.nodes[ni];
    let k = this.nodeStart[ni];
    if (node === container) {
      const data = node.data;
      for (let i = 0; i < Math.min(offset, data.length); i++) if (!isSpace(data[i])) k++;
    }
    return k;
  }

  /**
   * Offsets in the text of what a DOM range covers, trimmed of whitespace at both ends; null when the range
   * holds no text that was extracted (page chrome, our own UI, an empty selection).
   */
  spanFromRange(range: BoundaryRange): { start: number; end: number } | null {
    const os = this.pageIndexAt(range.startContainer, range.startOffset);
    const oe = this.pageIndexAt(range.endContainer, range.endOffset);
    let first = -1;
    for (let oi = os; oi < oe; oi++) {
      if (this.oMatch[oi] >= 0) {
        first = this.oMatch[oi];
        break;
      }
    }
    if (first < 0) return null;
    let last = first;
    for (let oi = oe - 1; oi >= os; oi--) {
      if (this.oMatch[oi] >= 0) {
        last = this.oMatch[oi];
        break;
      }
    }
    if (last < first) return null;
    return { start: this.bOffset[first], end: this.bOffset[last] + 1 + surrogateTail(this.layout.text, this.bOffset[last]) };
  }

  /** The selector (quote, context, offsets) for what a DOM range covers; null as for spanFromRange. */
  selectorFromRange(range: BoundaryRange): Selector | null {
    const span = this.spanFromRange(range);
    return span ? describe(this.layout.text, span.start, span.end) : null;
  }

  /** Index of the first text character at or after a text offset (binary search over bOffset). */
  private textIndexAt(offset: number): number {
    let lo = 0;
    let hi = this.bOffset.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.bOffset[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * DOM Ranges over text[start, end): one per block it crosses (so text between blocks that extraction
   * left out is not painted), each from the first to the last character found on the page.
   */
  rangesFor(start: number, end: number): Range[] {
    const out: Range[] = [];
    const blocks = this.layout.blocks;
    for (const block of blocks) {
      if (block.end <= start) continue;
      if (block.start >= end) break;
      const bs = this.textIndexAt(Math.max(start, block.start));
      const be = this.textIndexAt(Math.min(end, block.end));
      let first = -1;
      let last = -1;
      for (let bi = bs; bi < be; bi++) {
        if (this.bMatch[bi] >= 0) {
          if (first < 0) first = this.bMatch[bi];
          last = this.bMatch[bi];
        }
      }
      if (first < 0) continue;
      const range = this.doc.createRange();
      range.setStart(this.nodes[this.oNode[first]], this.oOffset[first]);
      const endNode = this.nodes[this.oNode[last]];
      const endOffset = this.oOffset[last] + 1;
      range.setEnd(endNode, Math.min(endNode.data.length, endOffset + surrogateTail(endNode.data, endOffset - 1)));
      out.push(range);
    }
    return out;
  }
}

/** 1 when text[i] is the high half of a surrogate pair (the range must take the low half too). */
function surrogateTail(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 1 : 0;
}

/** Whether the boundary point (container, offset) lies after the whole of text node t. */
function pointAfterNode(container: Node, offset: number, t: Text): boolean {
  if (container === t) return false;
  if (container.nodeType === 3 || container.nodeType === 8 || container.nodeType === 7) {
    // The point is inside another character node: after t when that node follows t.
    return (t.compareDocumentPosition(container) & FOLLOWING) !== 0;
  }
  const child = container.childNodes[offset];
  if (child) {
    // The point is just before `child`: after t when child follows t and does not contain it.
    if (child === t || child.contains(t)) return false;
    return (t.compareDocumentPosition(child) & FOLLOWING) !== 0;
  }
  // The point is at the end of `container`: after t when t is inside it or comes before it.
  return container.contains(t) || (t.compareDocumentPosition(container) & FOLLOWING) !== 0;
}

/** The selector for a DOM selection on a page, in the text extracted from it; null outside the document text. */
export function selectorFromSelection(
  layout: TextLayout,
  elements: readonly Element[],
  range: BoundaryRange,
  root?: Node,
): Selector | null {
  return PageTextMap.build(layout, elements, root)?.selectorFromRange(range) ?? null;
}
