// The clause outline: the tree indented by depth, the clause being read marked, details behind a disclosure.
import { useState } from 'preact/hooks';
import type { Clause } from '../lib/types';
import { t, type Locale } from '../lib/i18n/messages';
import { ClauseDetails } from './ClauseDetails';
import { flattenOutline, type RelatedView } from './view-model';

export interface OutlineProps {
  clauses: Clause[];
  related: Record<string, RelatedView[]>;
  currentClauseId: string | null;
  locale: Locale;
  onSelectClause(clauseId: string): void;
  onOpenPlan(planId: string, clauseId?: string): void;
}

/** Indentation classes exist up to this depth; deeper clauses share the last one. */
const MAX_INDENT = 6;

/** A DOM id from a clause id (ids are ordinal paths like 2.3.1; anything else is escaped away). */
function detailsId(clauseId: string): string {
  return `pl-details-${clauseId.replace(/[^\w.-]/g, '_')}`;
}

export function Outline({ clauses, related, currentClauseId, locale, onSelectClause, onOpenPlan }: OutlineProps) {
  // Which clauses are disclosed: UI state only, reset when the panel is rebuilt.
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const rows = flattenOutline(clauses, related);
  if (!rows.length) return <p class="pl-empty">{t(locale, 'outline.empty')}</p>;
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const sep = t(locale, 'list.separator');
  return (
    <ol class="pl-outline" data-testid="pl-outline">
      {rows.map((row) => {
        const expanded = row.hasDetails && open.has(row.id);
        const current = row.id === currentClauseId;
        const name = `${row.label}${row.summary}`;
        return (
          <li
            key={row.id}
            class={`pl-outline-item pl-depth-${Math.min(row.depth, MAX_INDENT)}${current ? ' pl-current' : ''}`}
            data-testid="pl-outline-item"
            data-clause-id={row.id}
            data-depth={row.depth}
          >
            <div class="pl-outline-row">
              {row.hasDetails ? (
                <button
                  type="button"
                  class="pl-disclosure"
                  aria-expanded={expanded ? 'true' : 'false'}
                  aria-controls={expanded ? detailsId(row.id) : undefined}
                  aria-label={t(locale, expanded ? 'outline.hideDetails' : 'outline.showDetails', { label: name })}
                  onClick={() => toggle(row.id)}
                >
                  <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                </button>
              ) : (
                <span class="pl-disclosure-spacer" aria-hidden="true" />
              )}
              <button
                type="button"
                class="pl-clause"
                aria-current={current ? 'location' : undefined}
                title={row.full !== row.summary ? row.full : undefined}
                onClick={() => onSelectClause(row.id)}
              >
                <span class="pl-clause-label">{row.label}</span>
                <span class="pl-clause-summary">{row.summary}</span>
              </button>
              {row.lead.length > 0 && (
                <span class="pl-chip pl-chip-lead" title={t(locale, 'outline.leadChip', { dept: row.lead.join(sep) })}>
                  {row.lead.length > 1 ? t(locale, 'outline.leadMore', { dept: row.lead[0] }) : row.lead[0]}
                </span>
              )}
              {row.related.length > 0 && (
                <span
                  class="pl-badge"
                  data-testid="pl-related-count"
                  role="img"
                  aria-label={t(locale, 'outline.relatedCount', { count: row.related.length })}
                  title={t(locale, 'outline.relatedCount', { count: row.related.length })}
                >
                  {row.related.length}
                </span>
              )}
            </div>
            {expanded && (
              <ClauseDetails
                id={detailsId(row.id)}
                responsibility={row.responsibility}
                related={row.related}
                locale={locale}
                onOpenPlan={onOpenPlan}
              />
            )}
          </li>
        );
      })}
    </ol>
  );
}
