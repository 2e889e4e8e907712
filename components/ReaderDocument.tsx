// A saved plan's text in the reader page: paragraphs from its blocks, clause anchors, citations marked,
// the reader's highlights as <mark class="pl-hl pl-hl-COLOR"> (split where they cross a citation or block).
// Everything is rendered as text nodes; page-derived text never becomes HTML.
import type { ComponentChildren } from 'preact';
import type { Clause, ExtractedDoc } from '../lib/types';
import type { CitationView } from './view-model';

/** A highlight placed in doc.text (re-anchored), to mark. */
export interface ReaderHighlight {
  id: string;
  color: string;
  start: number;
  end: number;
}

export interface ReaderDocumentProps {
  doc: ExtractedDoc;
  citations: CitationView[];
  onOpenPlan(planId: string): void;
  /** Highlights to mark; later ones are drawn over earlier ones where they overlap. */
  highlights?: readonly ReaderHighlight[];
  /** A highlight mark was clicked: its id and the clicked piece's rectangle. */
  onHighlightClick?(id: string, rect: { left: number; top: number; right: number; bottom: number }): void;
}

/** DOM attribute holding a highlight mark's id (a highlight may be several marks). */
export const HIGHLIGHT_ATTR = 'data-highlight-id';

/**
 * Text of [from, to) with the highlights over it as marks: cut at every highlight edge, each piece marked
 * with the topmost (last) highlight covering it.
 */
function withHighlights(
  text: string,
  from: number,
  to: number,
  hls: readonly ReaderHighlight[],
  onClick: ReaderDocumentProps['onHighlightClick'],
): ComponentChildren[] {
  const over = hls.filter((h) => h.start < to && h.end > from);
  if (!over.length) return [text.slice(from, to)];
  const cuts = new Set([from, to]);
  for (const h of over) {
    if (h.start > from) cuts.add(h.start);
    if (h.end < to) cuts.add(h.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: ComponentChildren[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    let top: ReaderHighlight | null = null;
    for (const h of over) if (h.start <= a && h.end >= b) top = h;
    const piece = text.slice(a, b);
    if (!top) {
      out.push(piece);
      continue;
    }
    const h = top;
    out.push(
      <mark
        class={`pl-hl pl-hl-${h.color}`}
        data-testid="pl-hl-mark"
        {...{ [HIGHLIGHT_ATTR]: h.id }}
        onClick={(e) => {
          // The highlight's editor, not the citation under it.
          e.stopPropagation();
          const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
          onClick?.(h.id, { left: r.left, top: r.top, right: r.right, bottom: r.bottom });
        }}
      >
        {piece}
      </mark>,
    );
  }
  return out;
}

/** DOM id of the paragraph where a clause starts. */
export const clauseAnchor = (clauseId: string) => `pl-clause-${clauseId}`;
/** DOM id of a citation mark. */
export const citationAnchor = (index: number) => `pl-cite-${index}`;

function clauseStarts(clauses: Clause[]): Map<number, string> {
  const out = new Map<number, string>();
  const stack = [...clauses].reverse();
  while (stack.length) {
    const c = stack.pop()!;
    if (!out.has(c.block)) out.set(c.block, c.id);
    for (let i = c.children.length - 1; i >= 0; i--) stack.push(c.children[i]);
  }
  return out;
}

export function ReaderDocument({ doc, citations, onOpenPlan, highlights = [], onHighlightClick }: ReaderDocumentProps) {
  const starts = clauseStarts(doc.clauses);
  const marked = (from: number, to: number) => withHighlights(doc.text, from, to, highlights, onHighlightClick);
  const views = new Map(citations.map((v) => [v.index, v]));
  let ci = 0;
  return (
    <article class="pl-reader-doc" data-testid="pl-reader-doc">
      <h1>{doc.metadata.title ?? ''}</h1>
      {doc.blocks.map((b, bi) => {
        const parts: ComponentChildren[] = [];
        let at = b.start;
        while (ci < doc.citations.length && doc.citations[ci].start < b.end) {
          const c = doc.citations[ci];
          const index = ci++;
          if (c.start < at) continue; // overlapping citation: the first one wins
          parts.push(...marked(at, c.start));
          const v = views.get(index);
          const state = v?.self ? 'self' : v?.resolvedPlanId ? 'resolved' : v ? 'unresolved' : 'pending';
          const end = Math.min(c.end, b.end);
          parts.push(
            <mark
              id={citationAnchor(index)}
              class={`pl-cite pl-cite-${state}`}
              data-state={state}
              title={v?.resolvedTitle ?? undefined}
              onClick={v?.resolvedPlanId && !v.self ? () => onOpenPlan(v.resolvedPlanId!) : undefined}
            >
              {marked(c.start, end)}
            </mark>,
          );
          at = end;
        }
        parts.push(...marked(at, b.end));
        const clauseId = starts.get(bi);
        return (
          <p key={bi} id={clauseId ? clauseAnchor(clauseId) : undefined} data-block={bi} data-clause-id={clauseId}>
            {parts}
          </p>
        );
      })}
    </article>
  );
}
