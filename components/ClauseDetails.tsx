// What an outline clause discloses: the departments of its responsibility note and related clauses elsewhere.
import type { Responsibility } from '../lib/types';
import { t, type Locale, type MessageKey } from '../lib/i18n/messages';
import { clip, oneLine, percent, type RelatedView } from './view-model';

export interface ClauseDetailsProps {
  /** DOM id, so the disclosure button can point at it (aria-controls). */
  id: string;
  responsibility: Responsibility | null;
  /** Best first. */
  related: RelatedView[];
  locale: Locale;
  onOpenPlan(planId: string, clauseId?: string): void;
}

/** Enough of the matching text to recognise the clause; the plan itself is one click away. */
const RELATED_TEXT_CHARS = 72;

const DEPARTMENTS: Array<[keyof Pick<Responsibility, 'lead' | 'responsible' | 'cooperating'>, MessageKey]> = [
  ['lead', 'details.lead'],
  ['responsible', 'details.responsible'],
  ['cooperating', 'details.cooperating'],
];

export function ClauseDetails({ id, responsibility, related, locale, onOpenPlan }: ClauseDetailsProps) {
  const sep = t(locale, 'list.separator');
  const depts = responsibility
    ? DEPARTMENTS.map(([field, label]) => ({ field, label, names: (responsibility[field] ?? []).map(oneLine).filter(Boolean) })).filter(
        (d) => d.names.length > 0,
      )
    : [];
  return (
    <div class="pl-details" id={id}>
      {depts.length > 0 && (
        <dl class="pl-depts">
          {depts.map((d) => (
            <div class="pl-depts-row" key={d.field} data-field={d.field}>
              <dt>{t(locale, d.label)}</dt>
              <dd>{d.names.join(sep)}</dd>
            </div>
          ))}
        </dl>
      )}
      {related.length > 0 && (
        <>
          <p class="pl-details-title">{t(locale, 'details.related')}</p>
          <ul class="pl-related">
            {related.map((r) => {
              const path = (r.path ?? []).map(oneLine).join(' ');
              return (
                <li class="pl-related-item" key={`${r.planId}#${r.clauseId}`} data-testid="pl-related-item" data-plan-id={r.planId} data-clause-id={r.clauseId}>
                  <button
                    type="button"
                    class="pl-related-open"
                    title={t(locale, 'details.openRelated', { title: clip(oneLine(r.planTitle), 200), path })}
                    onClick={() => onOpenPlan(r.planId, r.clauseId)}
                  >
                    <span class="pl-related-head">
                      <span class="pl-related-plan">{clip(oneLine(r.planTitle), 80)}</span>
                      <span class="pl-score" title={t(locale, 'details.score', { percent: percent(r.score) })}>
                        {percent(r.score)}
                      </span>
                    </span>
                    {path && <span class="pl-related-path">{path}</span>}
                    <span class="pl-related-text">{clip(oneLine(clip(r.text ?? '', 1000)), RELATED_TEXT_CHARS)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
