// The documents this one cites: in the library (a link), this document itself, or not collected yet.
import type { ExtractedDoc } from '../lib/types';
import { t, type Locale } from '../lib/i18n/messages';
import { citationGroups, clip, oneLine, type CitationGroup, type CitationView } from './view-model';

export interface CitationListProps {
  doc: ExtractedDoc;
  citations: CitationView[];
  locale: Locale;
  onOpenPlan(planId: string, clauseId?: string): void;
  onSelectCitation(index: number): void;
}

/** Occurrence buttons shown for one cited document; a page citing it more often is not made longer. */
const MAX_OCCURRENCES = 30;

function CitationState({ group, locale, onOpenPlan }: { group: CitationGroup; locale: Locale; onOpenPlan(planId: string): void }) {
  if (group.state === 'self') return <span class="pl-chip pl-chip-self">{t(locale, 'citations.self')}</span>;
  if (group.state === 'resolved' && group.resolvedPlanId) {
    const planId = group.resolvedPlanId;
    return (
      <span class="pl-cite-state">
        <span class="pl-chip pl-chip-resolved">{t(locale, 'citations.resolved')}</span>
        <button type="button" class="pl-link" data-plan-id={planId} onClick={() => onOpenPlan(planId)}>
          {clip(oneLine(group.resolvedTitle || planId), 120)}
        </button>
      </span>
    );
  }
  if (group.state !== 'unresolved') return null;
  return (
    <span class="pl-cite-state">
      <span class="pl-chip pl-chip-missing">{t(locale, 'citations.unresolved')}</span>
      {group.alsoCitedBy.length > 0 && (
        <>
          <span class="pl-also-title">{t(locale, 'citations.alsoCitedBy', { count: group.alsoCitedBy.length })}</span>
          <ul class="pl-also">
            {group.alsoCitedBy.map((p) => (
              <li key={p.planId}>
                <button type="button" class="pl-link" data-plan-id={p.planId} onClick={() => onOpenPlan(p.planId)}>
                  {clip(oneLine(p.title || p.planId), 120)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </span>
  );
}

export function CitationList({ doc, citations, locale, onOpenPlan, onSelectCitation }: CitationListProps) {
  const groups = citationGroups(doc, citations);
  if (!groups.length) return <p class="pl-empty">{t(locale, 'citations.empty')}</p>;
  const pending = groups.every((g) => g.state === 'pending');
  return (
    <>
      {pending && <p class="pl-note">{t(locale, 'citations.loading')}</p>}
      <ul class="pl-citations">
        {groups.map((g) => {
          const first = g.indices[0];
          const title = g.title ? clip(oneLine(g.title), 160) : '';
          const number = g.docNumber ? oneLine(g.docNumber.normalized || g.docNumber.raw) : '';
          return (
            <li
              key={first}
              class={`pl-citation pl-cite-${g.state}`}
              data-testid="pl-citation"
              data-resolved={g.resolvedPlanId ? 'true' : 'false'}
              data-state={g.state}
              data-index={first}
            >
              <button type="button" class="pl-cite-text" title={t(locale, 'citations.goTo')} onClick={() => onSelectCitation(first)}>
                {title && <span class="pl-cite-title">《{title}》</span>}
                {number && (
                  <span class="pl-cite-number" title={g.docNumber!.raw !== number ? g.docNumber!.raw : undefined}>
                    {number}
                  </span>
                )}
              </button>
              {g.aliasOf && <span class="pl-cite-alias">{t(locale, 'citations.alias', { title: clip(oneLine(g.aliasOf), 160) })}</span>}
              {g.indices.length > 1 && (
                <span class="pl-occurrences">
                  <span>{t(locale, 'citations.occurrences', { count: g.indices.length })}</span>
                  {g.indices.slice(1, MAX_OCCURRENCES).map((index, i) => (
                    <button
                      type="button"
                      key={index}
                      class="pl-occurrence"
                      aria-label={t(locale, 'citations.occurrence', { n: i + 2 })}
                      onClick={() => onSelectCitation(index)}
                    >
                      {i + 2}
                    </button>
                  ))}
                </span>
              )}
              <CitationState group={g} locale={locale} onOpenPlan={onOpenPlan} />
            </li>
          );
        })}
      </ul>
    </>
  );
}
