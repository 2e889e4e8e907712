// Marks on the live page for the overlay: citation highlights, the reader's own highlights (one CSS
// highlight per colour), scrolling to a clause, citation or highlight, and which clause is being read.
// Uses the CSS Custom Highlight API, so the page's DOM and layout stay untouched and removal is clean.
import type { Clause, ExtractedDoc } from '../types';
import { findTextRange } from './dom-ranges';
import { PageTextMap } from '../highlights/from-selection';
import { HIGHLIGHT_COLORS } from '../highlights/model';

export interface CitationMarkView {
  index: number;
  resolvedPlanId: string | null;
  self: boolean;
}

const HIGHLIGHT_CSS = `
::highlight(policy-lens-cite-resolved){background-color:rgba(46,125,50,.16);text-decoration:underline 2px rgba(46,125,50,.85);text-underline-offset:3px}
::highlight(policy-lens-cite-unresolved){text-decoration:underline dotted 2px rgba(180,35,42,.85);text-underline-offset:3px}
::highlight(policy-lens-cite-self){text-decoration:underline dotted 1px rgba(90,90,90,.7);text-underline-offset:3px}
::highlight(policy-lens-focus){background-color:rgba(255,214,0,.45)}
::highlight(policy-lens-hl-yellow){background-color:rgba(255,213,0,.45)}
::highlight(policy-lens-hl-green){background-color:rgba(76,175,80,.32)}
::highlight(policy-lens-hl-blue){background-color:rgba(66,135,245,.30)}
::highlight(policy-lens-hl-pink){background-color:rgba(236,72,153,.28)}`;

/** A highlight to paint: offsets in the extracted text (already re-anchored) and its colour. */
export interface HighlightPaint {
  id: string;
  color: string;
  start: number;
  end: number;
}

/** Viewport rectangle (client coordinates) of something on the page. */
export interface ClientRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const hits = (r: Range, x: number, y: number) =>
  Array.from(r.getClientRects()).some((rect) => x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom);

interface HighlightRegistry {
  set(name: string, h: unknown): void;
  delete(name: string): void;
  has(name: string): boolean;
}
type HighlightCtor = new (...ranges: Range[]) => unknown;

function highlightApi(doc: Document): { registry: HighlightRegistry; Highlight: HighlightCtor } | null {
  const win = doc.defaultView as unknown as { CSS?: { highlights?: HighlightRegistry }; Highlight?: HighlightCtor } | null;
  return win?.CSS?.highlights && win.Highlight ? { registry: win.CSS.highlights, Highlight: win.Highlight } : null;
}

export class PageMarks {
  private readonly clauses = new Map<string, Clause>();
  private readonly ranges = new Map<number, Range | null>();
  private readonly api: ReturnType<typeof highlightApi>;
  private views: CitationMarkView[] = [];
  private focusTimer: ReturnType<typeof setTimeout> | undefined;
  /** Our own UI on the page (the overlay's host): clicks in it are never clicks on the page's text. */
  private ownUi: Node | null = null;
  /** Painted highlights' ranges by highlight id, latest painted last (hit-tested from the end). */
  private highlightRanges = new Map<string, Range[]>();

  constructor(
    private readonly doc: Document,
    private readonly extracted: ExtractedDoc,
    private readonly elements: Element[],
  ) {
    const walk = (cs: Clause[]) => cs.forEach((c) => (this.clauses.set(c.id, c), walk(c.children)));
    walk(extracted.clauses);
    this.api = highlightApi(doc);
    if (this.api) {
      const sheet = new (doc.defaultView as unknown as { CSSStyleSheet: typeof CSSStyleSheet }).CSSStyleSheet();
      sheet.replaceSync(HIGHLIGHT_CSS);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    }
  }

  /** The page element a block of the extracted text came from. */
  private blockElement(blockIndex: number): Element | null {
    const b = this.extracted.blocks[blockIndex];
    return b ? (this.elements[b.source] ?? null) : null;
  }

  private blockAt(offset: number): number {
    const blocks = this.extracted.blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Range of a citation on the page, found by its text within the element it came from. */
  citationRange(index: number): Range | null {
    if (this.ranges.has(index)) return this.ranges.get(index)!;
    const c = this.extracted.citations[index];
    let range: Range | null = null;
    if (c) {
      const bi = this.blockAt(c.start);
      const block = this.extracted.blocks[bi];
      const el = this.blockElement(bi);
      if (block && el) {
        // Which occurrence of this text within its block: the same title may be cited twice in a paragraph.
        let occurrence = 0;
        const local = c.start - block.start;
        for (let i = block.text.indexOf(c.text); i >= 0 && i < local; i = block.text.indexOf(c.text, i + 1)) occurrence++;
        range = findTextRange(this.doc, el, c.text, occurrence);
      }
    }
    this.ranges.set(index, range);
    return range;
  }

  /** Highlight every citation by its state: resolved (opens the plan), unresolved, self. */
  markCitations(views: CitationMarkView[]): void {
    this.views = views;
    if (!this.api) return;
    const groups: Record<string, Range[]> = { resolved: [], unresolved: [], self: [] };
    for (const v of views) {
      const r = this.citationRange(v.index);
      if (!r) continue;
      groups[v.self ? 'self' : v.resolvedPlanId ? 'resolved' : 'unresolved'].push(r);
    }
    for (const [name, ranges] of Object.entries(groups)) {
      this.api.registry.set(`policy-lens-cite-${name}`, new this.api.Highlight(...ranges));
    }
  }

  /**
   * Paints the reader's highlights: each one's text offsets → one DOM range per block piece, grouped into
   * one CSS highlight per colour (replacing what was painted before). Returns the ids that have no text
   * on the page (the page changed since extraction): the caller lists those with the orphans.
   */
  paintHighlights(items: readonly HighlightPaint[]): { ranges: number; missing: string[] } {
    const map = PageTextMap.build(this.extracted, this.elements);
    const byColor = new Map<string, Range[]>(HIGHLIGHT_COLORS.map((c) => [c, []]));
    const missing: string[] = [];
    let count = 0;
    this.highlightRanges = new Map();
    for (const h of items) {
      const ranges = map ? map.rangesFor(h.start, h.end) : [];
      if (!ranges.length) {
        missing.push(h.id);
        continue;
      }
      this.highlightRanges.set(h.id, ranges);
      (byColor.get(h.color) ?? byColor.get(HIGHLIGHT_COLORS[0])!).push(...ranges);
      count += ranges.length;
    }
    if (this.api) {
      for (const [color, ranges] of byColor) {
        const name = `policy-lens-hl-${color}`;
        if (ranges.length) this.api.registry.set(name, new this.api.Highlight(...ranges));
        else this.api.registry.delete(name);
      }
    }
    return { ranges: count, missing };
  }

  /** The highlight painted under a point (the latest painted when they overlap), or null. */
  highlightAt(x: number, y: number): string | null {
    const ids = [...this.highlightRanges.keys()];
    for (let i = ids.length - 1; i >= 0; i--) {
      if (this.highlightRanges.get(ids[i])!.some((r) => hits(r, x, y))) return ids[i];
    }
    return null;
  }

  /** Where a painted highlight is on screen now (its first piece's first line), or null. */
  highlightRect(id: string): ClientRect | null {
    const r = this.highlightRanges.get(id)?.[0];
    const rect = r?.getClientRects()[0] ?? r?.getBoundingClientRect();
    return rect ? { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom } : null;
  }

  /** Clicks inside this node (our panel, toolbar) are left alone even where they cover marked text. */
  setOwnUi(node: Node): void {
    this.ownUi = node;
  }

  private inOwnUi(e: Event): boolean {
    return !!this.ownUi && e.composedPath().includes(this.ownUi as EventTarget);
  }

  /** Whether the reader is in the middle of selecting text (a click then ends a selection, not opens a mark). */
  private selecting(): boolean {
    const sel = this.doc.getSelection?.();
    return !!sel && !sel.isCollapsed;
  }

  /** Calls back with the highlight's id and on-screen rectangle when the reader clicks a painted highlight. */
  onHighlightClick(cb: (id: string, rect: ClientRect) => void): () => void {
    const listener = (e: MouseEvent) => {
      if (this.selecting() || this.inOwnUi(e)) return;
      const id = this.highlightAt(e.clientX, e.clientY);
      const rect = id ? this.highlightRect(id) : null;
      if (id && rect) cb(id, rect);
    };
    this.doc.addEventListener('click', listener);
    return () => this.doc.removeEventListener('click', listener);
  }

  scrollToHighlight(id: string): void {
    const r = this.highlightRanges.get(id)?.[0];
    if (r) this.focus(r, null);
  }

  /** Calls back with (citation index, resolved plan or null) when the reader clicks a marked citation. */
  onCitationClick(cb: (index: number, planId: string | null) => void): () => void {
    const listener = (e: MouseEvent) => {
      // A highlight over the citation takes the click (its editor opens); so does a selection being made.
      if (this.selecting() || this.inOwnUi(e) || this.highlightAt(e.clientX, e.clientY)) return;
      for (const v of this.views) {
        const r = this.ranges.get(v.index);
        if (!r || v.self) continue;
        if (hits(r, e.clientX, e.clientY)) {
          cb(v.index, v.resolvedPlanId);
          return;
        }
      }
    };
    this.doc.addEventListener('click', listener);
    return () => this.doc.removeEventListener('click', listener);
  }

  private focus(range: Range | null, el: Element | null): void {
    // A clause goes to the top (where the reading position is taken); a citation to the middle.
    (range?.startContainer.parentElement ?? el)?.scrollIntoView({ behavior: 'smooth', block: range ? 'center' : 'start' });
    if (!this.api) return;
    let r = range;
    if (!r && el) {
      r = this.doc.createRange();
      r.selectNodeContents(el);
    }
    if (!r) return;
    this.api.registry.set('policy-lens-focus', new this.api.Highlight(r));
    clearTimeout(this.focusTimer);
    this.focusTimer = setTimeout(() => this.api?.registry.delete('policy-lens-focus'), 1600);
  }

  scrollToClause(clauseId: string): void {
    const c = this.clauses.get(clauseId);
    if (c) this.focus(null, this.blockElement(c.block));
  }

  scrollToCitation(index: number): void {
    this.focus(this.citationRange(index), null);
  }

  /** Reports the clause being read (the last one whose start is above the upper third of the window). */
  watchCurrentClause(cb: (clauseId: string | null) => void): () => void {
    const win = this.doc.defaultView;
    if (!win) return () => undefined;
    const starts = [...this.clauses.values()]
      .map((c) => ({ id: c.id, el: this.blockElement(c.block) }))
      .filter((x): x is { id: string; el: Element } => !!x.el);
    let last: string | null = null;
    let pending = false;
    const update = () => {
      pending = false;
      const line = win.innerHeight / 3;
      let current: string | null = null;
      for (const s of starts) {
        if (s.el.getBoundingClientRect().top <= line) current = s.id;
        else break;
      }
      if (current !== last) cb((last = current));
    };
    const onScroll = () => {
      if (!pending) {
        pending = true;
        win.requestAnimationFrame(update);
      }
    };
    win.addEventListener('scroll', onScroll, { passive: true });
    update();
    return () => win.removeEventListener('scroll', onScroll);
  }
}
