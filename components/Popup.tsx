// The toolbar popup: the active tab's status and actions, one search box over the library, filter chips, results;
// and a 划线 tab: every highlight (search, filters), opening the reader at one, export (Markdown, W3C JSON), import.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Locale } from '../lib/i18n/messages';
import { t } from '../lib/i18n/messages';
import type { SearchResponse } from '../lib/search/search';
import {
  PAGE_SIZE,
  SEARCH_DEBOUNCE_MS,
  requestLimit,
  KIND_CHIPS,
  LatestRequest,
  SITE_CHIPS,
  emptyChips,
  enterTarget,
  escapeAction,
  hasChips,
  isChipOn,
  isSearchResponse,
  issuerChips,
  moveSelection,
  parseYearInput,
  recentItems,
  recentLists,
  searchItems,
  tabStatusFrom,
  tabStatusText,
  toSearchFilters,
  toggleChip,
  type ChipFilter,
  type ChipFilters,
  type PopupBridge,
  type TabStatus,
} from './popup-model';
import { RecentResults, SearchResults } from './SearchResults';
import { HighlightList, SyncStatusLine, toHighlightFilter, emptyListFilter, type ListFilter } from './HighlightList';
import type { SyncReport } from '../lib/sync/types';
import { ht } from './highlight-strings';
import type { HighlightRow } from '../lib/library/db';
import type { HighlightChanges } from '../lib/highlights/model';
import type { HighlightQuery } from '../lib/messages/protocol';

export type { PopupBridge } from './popup-model';

/** What the popup's 划线 tab asks of the background. */
export interface PopupHighlightsBridge {
  list(query: HighlightQuery, limit: number): Promise<{ highlights: HighlightRow[]; plans: Record<string, { title: string | null; url: string | null }> }>;
  update(id: string, changes: HighlightChanges): Promise<unknown>;
  remove(id: string): Promise<unknown>;
  exportFile(format: 'markdown' | 'w3c'): Promise<{ filename: string; mime: string; text: string }>;
  importFile(data: unknown): Promise<{ added: number; merged: number; unchanged: number; skipped: number; problems: string[] }>;
  /** Saves a file for the reader (default: a Blob URL clicked through <a download>). */
  download?(file: { filename: string; mime: string; text: string }): void;
  /** Highlights changed elsewhere; returns an unsubscribe function. */
  watchChanges?(cb: () => void): () => void;
  /** Highlight sync's status (shown above the list when given). */
  syncStatus?(): Promise<SyncReport>;
}

/** How often the open popup asks for the sync status again (a sync runs a couple of seconds after an edit). */
const SYNC_STATUS_POLL_MS = 3_000;

/** Saves text as a file through an <a download> on a Blob URL (no HTML is ever built from the text). */
export function downloadText(file: { filename: string; mime: string; text: string }, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mime }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const LIST_LIMIT = 2000;

/** The 划线 tab: the library's highlights, filtered by the library (script-folded search), with file actions. */
function HighlightsPane({ locale, hb, onOpen }: { locale: Locale; hb: PopupHighlightsBridge; onOpen(planId: string, clauseId: string | null): void }) {
  const [filter, setFilter] = useState<ListFilter>(emptyListFilter);
  const [data, setData] = useState<{ highlights: HighlightRow[]; plans: Record<string, { title: string | null; url: string | null }> } | null>(null);
  const [all, setAll] = useState<{ tags: string[]; plans: Record<string, { title: string | null }> }>({ tags: [], plans: {} });
  const [note, setNote] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const latest = useRef(new LatestRequest());
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const id = latest.current.start();
    const timer = setTimeout(() => {
      Promise.resolve()
        .then(() => hb.list(toHighlightFilter(filter) as HighlightQuery, LIST_LIMIT))
        .then(
          (res) => {
            if (!latest.current.isLatest(id)) return;
            setData(res);
            // The filter choices come from the unfiltered list, so choosing one does not hide the others.
            if (!filter.text.trim() && !filter.color && !filter.tag && !filter.planId) {
              const tags = new Map<string, number>();
              for (const h of res.highlights) for (const t of h.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
              setAll({ tags: [...tags].sort((a, b) => b[1] - a[1]).map(([t]) => t), plans: res.plans });
            }
          },
          (e: unknown) => latest.current.isLatest(id) && setNote(ht(locale, 'hl.exportFailed', { reason: errorText(e) })),
        );
    }, data ? 150 : 0);
    return () => clearTimeout(timer);
  }, [filter, tick]);

  useEffect(() => hb.watchChanges?.(() => setTick((n) => n + 1)), [hb]);

  const [sync, setSync] = useState<SyncReport | null>(null);
  useEffect(() => {
    const ask = hb.syncStatus?.bind(hb);
    if (!ask) return;
    let live = true;
    const load = () =>
      Promise.resolve()
        .then(() => ask())
        .then(
          (r) => live && r && typeof r === 'object' && typeof r.state === 'string' && setSync(r),
          () => undefined,
        );
    void load();
    const timer = setInterval(load, SYNC_STATUS_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [hb, tick]);

  const refresh = () => setTick((n) => n + 1);
  const exportAs = (format: 'markdown' | 'w3c') => {
    setNote(null);
    Promise.resolve()
      .then(() => hb.exportFile(format))
      .then(
        (file) => (hb.download ?? downloadText)(file),
        (e: unknown) => setNote(ht(locale, 'hl.exportFailed', { reason: errorText(e) })),
      );
  };
  const importFrom = async (file: File) => {
    setNote(null);
    try {
      const data = JSON.parse(await file.text()) as unknown;
      const r = await hb.importFile(data);
      if (r.added + r.merged + r.unchanged === 0 && r.problems.length) throw new Error(r.problems.slice(0, 3).join('; '));
      setNote(ht(locale, 'hl.imported', { added: r.added, merged: r.merged, unchanged: r.unchanged }) + (r.skipped ? ht(locale, 'hl.importSkipped', { skipped: r.skipped }) : ''));
      refresh();
    } catch (e) {
      setNote(ht(locale, 'hl.importFailed', { reason: errorText(e) }));
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const rows = data?.highlights ?? [];
  const orphanedIds = new Set(rows.filter((h) => h.orphaned).map((h) => h.id));
  return (
    <div class="pl-hl-popup" data-testid="pl-hl-popup">
      <div class="pl-hl-popup-actions">
        <button type="button" class="pl-button" data-testid="pl-hl-export-md" onClick={() => exportAs('markdown')}>
          {ht(locale, 'hl.exportMarkdown')}
        </button>
        <button type="button" class="pl-button" data-testid="pl-hl-export-w3c" onClick={() => exportAs('w3c')}>
          {ht(locale, 'hl.exportW3C')}
        </button>
        <button type="button" class="pl-button" data-testid="pl-hl-import" onClick={() => fileInput.current?.click()}>
          {ht(locale, 'hl.import')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.jsonld,application/json,application/ld+json"
          data-testid="pl-hl-import-file"
          aria-label={ht(locale, 'hl.import')}
          onChange={(e) => {
            const f = (e.currentTarget as HTMLInputElement).files?.[0];
            if (f) void importFrom(f);
          }}
        />
      </div>
      {sync && <SyncStatusLine locale={locale} report={sync} />}
      {note && (
        <p class="pl-hl-popup-note" role="status" data-testid="pl-hl-note-status">
          {note}
        </p>
      )}
      {data ? (
        <HighlightList
          locale={locale}
          rows={rows}
          orphanedIds={orphanedIds}
          plans={{ ...all.plans, ...data.plans }}
          tags={all.tags}
          prefiltered
          jumpLabel={ht(locale, 'hl.openReader')}
          onFilterChange={setFilter}
          onJump={(h) => onOpen(h.planId, h.clauseId)}
          onUpdate={(h, changes) => void Promise.resolve(hb.update(h.id, changes)).finally(refresh)}
          onDelete={(h) => void Promise.resolve(hb.remove(h.id)).finally(refresh)}
        />
      ) : (
        <p class="pl-empty">{t(locale, 'popup.searching')}</p>
      )}
    </div>
  );
}

export interface PopupProps {
  bridge: PopupBridge;
  locale: Locale;
  /** Wait after the last keystroke before searching (ms). */
  debounceMs?: number;
  /** Results per page. */
  pageSize?: number;
  /** Closes the popup (second Esc). Default: window.close(). */
  onClose?: () => void;
  /** Given: a 划线 tab lists the library's highlights. */
  highlights?: PopupHighlightsBridge;
}

function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return m.slice(0, 200) || 'unknown error';
}

function Chip({ filter, value, label, on, onToggle }: { filter: ChipFilter; value: string; label: string; on: boolean; onToggle(): void }) {
  return (
    <button
      type="button"
      class="pl-chip"
      data-testid="pl-chip"
      data-filter={filter}
      data-value={value}
      aria-pressed={on ? 'true' : 'false'}
      title={label}
      onClick={onToggle}
    >
      {label}
    </button>
  );
}

export function Popup({ bridge, locale, debounceMs = SEARCH_DEBOUNCE_MS, pageSize = PAGE_SIZE, onClose, highlights }: PopupProps) {
  const [view, setView] = useState<'search' | 'highlights'>('search');
  const [query, setQuery] = useState('');
  const [chips, setChips] = useState<ChipFilters>(emptyChips);
  const [yearText, setYearText] = useState({ from: '', to: '' });
  const [issuerText, setIssuerText] = useState('');
  const [response, setResponse] = useState<SearchResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(-1);
  const [tab, setTab] = useState<TabStatus>({ state: 'checking' });
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const latest = useRef(new LatestRequest());
  const first = useRef(true);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const close = onClose ?? (() => window.close());

  // One search per change of the box or the chips; the first one (recent lists) at once, the rest debounced.
  const filtersKey = JSON.stringify(toSearchFilters(chips));
  useEffect(() => {
    const run = () => {
      const id = latest.current.start();
      setLoading(true);
      let pending: Promise<SearchResponse>;
      try {
        pending = Promise.resolve(bridge.search(query, toSearchFilters(chips), requestLimit(query, pageSize), 0));
      } catch (e) {
        pending = Promise.reject(e);
      }
      pending.then(
        (res) => {
          if (!latest.current.isLatest(id)) return;
          if (!isSearchResponse(res)) throw new Error((res as { error?: string } | null)?.error ?? 'bad reply');
          setResponse(res);
          setError(null);
          setSelected(-1);
          setLoading(false);
          // A new list starts at its top (the arrows may have scrolled the previous one).
          if (list.current) list.current.scrollTop = 0;
        },
      ).catch((e: unknown) => {
        if (!latest.current.isLatest(id)) return;
        setResponse(null);
        setError(errorText(e));
        setSelected(-1);
        setLoading(false);
      });
    };
    if (first.current) {
      first.current = false;
      run();
      return undefined;
    }
    const timer = setTimeout(run, debounceMs);
    return () => clearTimeout(timer);
  }, [query, filtersKey, refresh]);

  // The active tab's status, once.
  const checkTab = () =>
    Promise.resolve()
      .then(() => bridge.activeTab('status'))
      .then(
        (r) => setTab(tabStatusFrom(r)),
        () => setTab({ state: 'none' }),
      );
  useEffect(() => {
    void checkTab();
    input.current?.focus();
  }, []);

  const recent = response?.mode === 'recent' ? recentLists(response.hits) : null;
  const hits = response?.mode === 'search' ? response.hits : [];
  const items = recent ? recentItems(recent) : searchItems(hits);
  const selectedId = items[selected]?.id ?? null;

  // Keep the selected row in view while the arrows move through a long list.
  useEffect(() => {
    if (!selectedId) return;
    const el = list.current?.querySelector<HTMLElement>(`[id="${selectedId}"]`);
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [selectedId]);

  const open = (planId: string, clauseId: string | null) => bridge.openPlan(planId, clauseId ?? undefined);

  const loadMore = () => {
    if (!response || response.mode !== 'search' || loading) return;
    const shown = response;
    const id = latest.current.start();
    setLoading(true);
    Promise.resolve()
      .then(() => bridge.search(query, toSearchFilters(chips), pageSize, shown.hits.length))
      .then((res) => {
        if (!latest.current.isLatest(id)) return;
        if (!isSearchResponse(res)) throw new Error((res as { error?: string } | null)?.error ?? 'bad reply');
        const have = new Set(shown.hits.map((h) => h.planId));
        setResponse({ ...shown, total: res.total, hits: [...shown.hits, ...res.hits.filter((h) => !have.has(h.planId))] });
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (!latest.current.isLatest(id)) return;
        setError(errorText(e));
        setLoading(false);
      });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setSelected(moveSelection(selected, e.key === 'ArrowDown' ? 1 : -1, items.length));
    } else if (e.key === 'Enter') {
      if (e.isComposing) return; // the IME is choosing characters
      e.preventDefault();
      const target = enterTarget(items, selected);
      if (target) open(target.planId, target.clauseId);
    }
  };

  // Esc anywhere in the popup: clear the box, or close the popup when it is empty.
  const onRootKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.isComposing) return;
    e.preventDefault();
    if (escapeAction(query) === 'clear') {
      setQuery('');
      setSelected(-1);
      input.current?.focus();
    } else {
      close();
    }
  };

  const toggle = (filter: ChipFilter, value: string) => setChips((c) => toggleChip(c, filter, value));
  const setYear = (which: 'from' | 'to', text: string) => {
    setYearText((y) => ({ ...y, [which]: text }));
    const year = text.trim() ? parseYearInput(text) : null;
    // A half-typed year (20…) keeps the previous filter rather than dropping it.
    if (year !== null || !text.trim()) setChips((c) => (which === 'from' ? { ...c, yearFrom: year } : { ...c, yearTo: year }));
  };
  const addIssuer = () => {
    const name = issuerText.trim();
    if (name && !chips.issuers.includes(name)) toggle('issuer', name);
    setIssuerText('');
  };
  const clearFilters = () => {
    setChips(emptyChips());
    setYearText({ from: '', to: '' });
    setIssuerText('');
  };

  /** Any site, on request: the popup's click granted activeTab; the overlay then reports its status. */
  const analyze = () => {
    setBusy(true);
    setNote(null);
    Promise.resolve()
      .then(() => bridge.activeTab('analyze'))
      .then(
        (r) => {
          if (!r?.ok) setNote(t(locale, 'popup.analyzeFailed'));
          // The overlay needs a moment to run the pipeline before it answers status.
          setTimeout(() => void checkTab(), 600);
        },
        () => setNote(t(locale, 'popup.analyzeFailed')),
      )
      .finally(() => setBusy(false));
  };

  const act = (action: 'save' | 'toggle') => {
    setBusy(true);
    setNote(null);
    Promise.resolve()
      .then(() => bridge.activeTab(action))
      .then(
        (r) => {
          const ok = !!r && r.ok === true;
          if (action === 'save') {
            setNote(t(locale, ok ? 'status.saved' : 'status.saveFailed'));
            if (ok) setRefresh((n) => n + 1); // the recent lists now hold it
          } else if (!ok) {
            setNote(t(locale, 'popup.notPolicy'));
          }
          if (!ok) void checkTab();
        },
        () => setNote(t(locale, action === 'save' ? 'status.saveFailed' : 'popup.notPolicy')),
      )
      .finally(() => setBusy(false));
  };

  const onPage = tab.state === 'page';
  const problems = response?.query?.problems ?? [];
  const issuers = issuerChips(response?.hits ?? [], chips.issuers);

  return (
    <div class="pl-root pl-popup" data-testid="pl-popup" lang={locale} aria-label={t(locale, 'popup.label')} onKeyDown={onRootKeyDown}>
      <header class="pl-popup-header">
        <p class="pl-tab-status" data-testid="pl-tab-status" data-state={tab.state} title={tabStatusText(locale, tab)}>
          {tabStatusText(locale, tab)}
        </p>
        <div class="pl-popup-actions">
          <button type="button" class="pl-button pl-button-primary" data-testid="pl-save-page" disabled={!onPage || busy} onClick={() => act('save')}>
            {t(locale, 'popup.savePage')}
          </button>
          <button type="button" class="pl-button" data-testid="pl-toggle-page" disabled={!onPage || busy} onClick={() => act('toggle')}>
            {t(locale, 'popup.togglePanel')}
          </button>
          {tab.state === 'none' && (
            <button type="button" class="pl-button" data-testid="pl-analyze-page" disabled={busy} onClick={analyze}>
              {t(locale, 'popup.analyzePage')}
            </button>
          )}
          <button type="button" class="pl-button" data-testid="pl-open-library" onClick={() => bridge.openLibrary()}>
            {t(locale, 'popup.openLibrary')}
          </button>
        </div>
      </header>
      {note && (
        <p class="pl-popup-note" role="status" data-testid="pl-note">
          {note}
        </p>
      )}

      {highlights && (
        <div class="pl-tabs" role="tablist">
          <button type="button" role="tab" data-testid="pl-tab-search" aria-selected={view === 'search' ? 'true' : 'false'} onClick={() => setView('search')}>
            {ht(locale, 'hl.searchTab')}
          </button>
          <button type="button" role="tab" data-testid="pl-tab-highlights" aria-selected={view === 'highlights' ? 'true' : 'false'} onClick={() => setView('highlights')}>
            {ht(locale, 'hl.tab')}
          </button>
        </div>
      )}
      {highlights && view === 'highlights' && <HighlightsPane locale={locale} hb={highlights} onOpen={open} />}
      {view === 'search' && (
        <>
          <div class="pl-search">
            <input
              ref={input}
              type="search"
              class="pl-search-input"
              data-testid="pl-search-input"
              role="combobox"
              aria-label={t(locale, 'popup.searchLabel')}
              aria-expanded={items.length ? 'true' : 'false'}
              aria-controls="pl-listbox"
              aria-autocomplete="list"
              aria-activedescendant={selectedId ?? undefined}
              placeholder={t(locale, 'popup.placeholder')}
              title={t(locale, 'popup.hint')}
              autoFocus
              autocomplete="off"
              spellcheck={false}
              maxLength={500}
              value={query}
              onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
              onKeyDown={onKeyDown}
            />
          </div>

          <div class="pl-filters" role="group" aria-label={t(locale, 'popup.filters')}>
            <div class="pl-filter-row" data-filter-row="site">
              <span class="pl-filter-label">{t(locale, 'popup.filter.site')}</span>
              {SITE_CHIPS.map((c) => (
                <Chip key={c.value} filter="site" value={c.value} label={t(locale, c.label)} on={isChipOn(chips, 'site', c.value)} onToggle={() => toggle('site', c.value)} />
              ))}
            </div>
            <div class="pl-filter-row" data-filter-row="kind">
              <span class="pl-filter-label">{t(locale, 'popup.filter.kind')}</span>
              {KIND_CHIPS.map((c) => (
                <Chip key={c.value} filter="kind" value={c.value} label={t(locale, c.label)} on={isChipOn(chips, 'kind', c.value)} onToggle={() => toggle('kind', c.value)} />
              ))}
              <span class="pl-filter-label pl-filter-label-year">{t(locale, 'popup.filter.year')}</span>
              <input
                class="pl-year"
                data-testid="pl-year-from"
                inputMode="numeric"
                maxLength={4}
                placeholder={t(locale, 'popup.yearFromShort')}
                aria-label={t(locale, 'popup.yearFrom')}
                value={yearText.from}
                onInput={(e) => setYear('from', (e.currentTarget as HTMLInputElement).value)}
              />
              <span aria-hidden="true">–</span>
              <input
                class="pl-year"
                data-testid="pl-year-to"
                inputMode="numeric"
                maxLength={4}
                placeholder={t(locale, 'popup.yearToShort')}
                aria-label={t(locale, 'popup.yearTo')}
                value={yearText.to}
                onInput={(e) => setYear('to', (e.currentTarget as HTMLInputElement).value)}
              />
            </div>
            <div class="pl-filter-row" data-filter-row="issuer">
              <span class="pl-filter-label">{t(locale, 'popup.filter.issuer')}</span>
              {issuers.map((name) => (
                <Chip key={name} filter="issuer" value={name} label={name} on={isChipOn(chips, 'issuer', name)} onToggle={() => toggle('issuer', name)} />
              ))}
              <input
                class="pl-issuer-input"
                data-testid="pl-issuer-input"
                placeholder={t(locale, 'popup.issuerInput')}
                aria-label={t(locale, 'popup.issuerInput')}
                maxLength={60}
                value={issuerText}
                onInput={(e) => setIssuerText((e.currentTarget as HTMLInputElement).value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && !e.isComposing) {
                    e.preventDefault();
                    addIssuer();
                  }
                }}
              />
              {hasChips(chips) && (
                <button type="button" class="pl-link pl-clear-filters" data-testid="pl-clear-filters" onClick={clearFilters}>
                  {t(locale, 'popup.clearFilters')}
                </button>
              )}
            </div>
          </div>

          <div class="pl-popup-body" ref={list} aria-busy={loading ? 'true' : 'false'}>
            {error && (
              <p class="pl-error" role="alert" data-testid="pl-error">
                {t(locale, 'popup.error', { reason: error })}
              </p>
            )}
            {!error && !response && <p class="pl-empty">{t(locale, 'popup.searching')}</p>}
            {problems.length > 0 && <p class="pl-note">{t(locale, 'popup.problems', { items: problems.join(' ') })}</p>}
            {response?.mode === 'search' && (
              <>
                <p class="pl-total" data-testid="pl-total" data-count={response.total}>
                  {t(locale, 'popup.total', { count: response.total })}
                  {loading && <span class="pl-loading"> · {t(locale, 'popup.searching')}</span>}
                </p>
                {!hits.length && <p class="pl-empty">{t(locale, 'popup.noResults')}</p>}
                <SearchResults hits={hits} locale={locale} selectedId={selectedId} onOpen={open} />
                {hits.length < response.total && (
                  <button type="button" class="pl-button pl-more" data-testid="pl-more" disabled={loading} onClick={loadMore}>
                    {t(locale, 'popup.more')}
                  </button>
                )}
              </>
            )}
            {recent && response && (
              <>
                <p class="pl-total pl-library-total" data-testid="pl-library-total">
                  {t(locale, 'popup.libraryTotal', { count: response.total })}
                </p>
                <RecentResults lists={recent} locale={locale} selectedId={selectedId} onOpen={open} />
              </>
            )}
          </div>
        </>
      )}
    </div>
  );
}
