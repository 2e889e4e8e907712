// A saved plan's text in the reader page: paragraphs from its blocks, clause anchors, citations marked.
// Everything is rendered as text nodes; page-derived text never becomes HTML.
import type { ComponentChildren } from 'preact';
import type { Clause, ExtractedDoc } from '../lib/types';
import type { CitationView } from './view-model';

export interface ReaderDocumentProps {
  doc: ExtractedDoc;
  citations: CitationView[];
  onOpenPlan(planId: string): void;
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

export function ReaderDocument({ doc, citations, onOpenPlan }: ReaderDocumentProps) {
  const starts = clauseStarts(doc.clauses);
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
          parts.push(doc.text.slice(at, c.start));
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
              {doc.text.slice(c.start, end)}
            </mark>,
          );
          at = end;
        }
        parts.push(doc.text.slice(at, b.end));
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
