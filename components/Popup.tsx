// The toolbar popup: the active tab's status and actions, one search box over the library, filter chips, results.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Locale } from '../lib/i18n/messages';
import { t } from '../lib/i18n/messages';
import type { SearchResponse } from '../lib/search/search';
import {
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

export type { PopupBridge } from './popup-model';

export interface PopupProps {
  bridge: PopupBridge;
  locale: Locale;
  /** Wait after the last keystroke before searching (ms). */
  debounceMs?: number;
  /** Results per page. */
  pageSize?: number;
  /** Closes the popup (second Esc). Default: window.close(). */
  onClose?: () => void;
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

export function Popup({ bridge, locale, debounceMs = 120, pageSize = 20, onClose }: PopupProps) {
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
        pending = Promise.resolve(bridge.search(query, toSearchFilters(chips), pageSize, 0));
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
    </div>
  );
}
