// The popup's result lists: ranked hits with marked title, snippet and clauses, or the recent lists; all text as text nodes.
import type { Locale } from '../lib/i18n/messages';
import { t } from '../lib/i18n/messages';
import type { Mark, SearchHit } from '../lib/search/search';
import {
  clauseOptionId,
  clausePathText,
  hitMeta,
  planOptionId,
  recentOptionId,
  segments,
  snippetSegments,
  type RecentLists,
  type Segment,
} from './popup-model';

/** Runs of text, the marked ones in <mark>: text nodes only, whatever the text holds. */
export function Marked({ runs }: { runs: Segment[] }) {
  return (
    <>
      {runs.map((r, i) =>
        r.mark ? (
          <mark key={i} class="pl-mark">
            {r.text}
          </mark>
        ) : (
          r.text
        ),
      )}
    </>
  );
}

export function MarkedText({ text, marks }: { text: string; marks?: Mark[] | null }) {
  return <Marked runs={segments(text, marks)} />;
}

/** A result's title, or what identifies it when it has none. */
function titleOf(hit: SearchHit): { text: string; marks: Mark[] } {
  if (hit.title) return { text: hit.title, marks: hit.titleMarks ?? [] };
  return { text: hit.url ?? hit.planId, marks: [] };
}

/** The body snippet is left out when a listed clause shows the very same window. */
export function planSnippetShown(hit: SearchHit): boolean {
  const s = hit.snippet;
  if (!s || !s.text) return false;
  return !hit.clauses.some((c) => c.snippet && c.snippet.start === s.start && c.snippet.end === s.end);
}

interface ListProps {
  locale: Locale;
  /** DOM id of the selected option (aria-activedescendant of the box). */
  selectedId: string | null;
  onOpen(planId: string, clauseId: string | null): void;
}

function HitMeta({ hit, locale }: { hit: SearchHit; locale: Locale }) {
  const parts = hitMeta(hit, locale);
  const kind = hit.kind === 'interpretation' ? t(locale, 'kind.interpretation') : null;
  if (!parts.length && !kind) return null;
  return (
    <span class="pl-hit-meta">
      {kind && <span class="pl-hit-kind">{kind}</span>}
      {parts.map((p, i) => (
        <span key={i} class="pl-hit-meta-part">
          {p}
        </span>
      ))}
    </span>
  );
}

/** Ranked hits: each a group of the result option and its clause options. */
export function SearchResults({ hits, locale, selectedId, onOpen }: ListProps & { hits: SearchHit[] }) {
  return (
    <div class="pl-results" role="listbox" id="pl-listbox" aria-label={t(locale, 'popup.results')}>
      {hits.map((hit, i) => {
        const id = planOptionId(i);
        const title = titleOf(hit);
        const best = hit.clauses[0]?.clauseId ?? null;
        return (
          <div key={hit.planId} class="pl-hit" role="group" aria-labelledby={`${id}-title`} data-plan-id={hit.planId}>
            <div
              id={id}
              class="pl-option pl-hit-main"
              role="option"
              aria-selected={selectedId === id ? 'true' : 'false'}
              data-testid="pl-result"
              data-plan-id={hit.planId}
              data-clause-id={best ?? undefined}
              onClick={() => onOpen(hit.planId, best)}
            >
              <span class="pl-hit-title" id={`${id}-title`}>
                <MarkedText text={title.text} marks={title.marks} />
              </span>
              <HitMeta hit={hit} locale={locale} />
              {planSnippetShown(hit) && (
                <span class="pl-snippet">
                  <Marked runs={snippetSegments(hit.snippet!)} />
                </span>
              )}
            </div>
            {hit.clauses.map((c, j) => {
              const cid = clauseOptionId(i, j);
              return (
                <div
                  key={c.clauseId}
                  id={cid}
                  class="pl-option pl-hit-clause"
                  role="option"
                  aria-selected={selectedId === cid ? 'true' : 'false'}
                  data-testid="pl-result-clause"
                  data-plan-id={hit.planId}
                  data-clause-id={c.clauseId}
                  onClick={() => onOpen(hit.planId, c.clauseId)}
                >
                  <span class="pl-clause-path">{clausePathText(c.path, c.heading)}</span>
                  {c.snippet && c.snippet.text && (
                    <span class="pl-snippet">
                      <Marked runs={snippetSegments(c.snippet)} />
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}

function RecentGroup({ list, hits, locale, selectedId, onOpen }: ListProps & { list: 'saved' | 'viewed'; hits: SearchHit[] }) {
  const headingId = `pl-recent-${list}`;
  return (
    <div class="pl-recent-group" role="group" aria-labelledby={headingId} data-list={list}>
      <h2 class="pl-recent-title" id={headingId}>
        {t(locale, list === 'saved' ? 'popup.recentSaved' : 'popup.recentViewed')}
      </h2>
      {!hits.length && <p class="pl-empty">{t(locale, list === 'saved' ? 'popup.savedEmpty' : 'popup.viewedEmpty')}</p>}
      {hits.map((hit, i) => {
        const id = recentOptionId(list, i);
        const title = titleOf(hit);
        return (
          <div
            key={hit.planId}
            id={id}
            class="pl-option pl-recent-item"
            role="option"
            aria-selected={selectedId === id ? 'true' : 'false'}
            data-testid="pl-recent-item"
            data-plan-id={hit.planId}
            onClick={() => onOpen(hit.planId, null)}
          >
            <span class="pl-hit-title">{title.text}</span>
            <HitMeta hit={hit} locale={locale} />
          </div>
        );
      })}
    </div>
  );
}

/** The empty box: recently saved and recently viewed plans. */
export function RecentResults({ lists, locale, selectedId, onOpen }: ListProps & { lists: RecentLists }) {
  return (
    <div class="pl-results pl-recent" role="listbox" id="pl-listbox" aria-label={t(locale, 'popup.results')} data-testid="pl-recent">
      <RecentGroup list="saved" hits={lists.saved} locale={locale} selectedId={selectedId} onOpen={onOpen} />
      <RecentGroup list="viewed" hits={lists.viewed} locale={locale} selectedId={selectedId} onOpen={onOpen} />
    </div>
  );
}
