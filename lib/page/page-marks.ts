// Marks on the live page for the overlay: citation highlights, scrolling to a clause or citation, and
// which clause is being read. Uses the CSS Custom Highlight API, so the page's DOM and layout stay untouched.
import type { Clause, ExtractedDoc } from '../types';
import { findTextRange } from './dom-ranges';

export interface CitationMarkView {
  index: number;
  resolvedPlanId: string | null;
  self: boolean;
}

const HIGHLIGHT_CSS = `
::highlight(policy-lens-cite-resolved){background-color:rgba(46,125,50,.16);text-decoration:underline 2px rgba(46,125,50,.85);text-underline-offset:3px}
::highlight(policy-lens-cite-unresolved){text-decoration:underline dotted 2px rgba(180,35,42,.85);text-underline-offset:3px}
::highlight(policy-lens-cite-self){text-decoration:underline dotted 1px rgba(90,90,90,.7);text-underline-offset:3px}
::highlight(policy-lens-focus){background-color:rgba(255,214,0,.45)}`;

interface HighlightRegistry {
  set(name: string, h: unknown): void;
  delete(name: string): void;
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

  /** Calls back with (citation index, resolved plan or null) when the reader clicks a marked citation. */
  onCitationClick(cb: (index: number, planId: string | null) => void): () => void {
    const listener = (e: MouseEvent) => {
      for (const v of this.views) {
        const r = this.ranges.get(v.index);
        if (!r || v.self) continue;
        for (const rect of Array.from(r.getClientRects())) {
          if (e.clientX >= rect.left && e.clientX <= rect.right && e.clientY >= rect.top && e.clientY <= rect.bottom) {
            cb(v.index, v.resolvedPlanId);
            return;
          }
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
