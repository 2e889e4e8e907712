// Pure helpers of the popup: chip ↔ filter mapping, request ordering, keyboard selection, recent lists and marked text.
import type { Locale, MessageKey } from '../lib/i18n/messages';
import { t } from '../lib/i18n/messages';
import type { SearchFilters } from '../lib/search/query';
import type { Mark, SearchHit, SearchResponse, Snippet } from '../lib/search/search';
import { formatDate, oneLine } from './view-model';

/**
 * Results asked for at a time (显示更多 asks for the next page): a 600-pixel popup shows about five,
 * and each hit the background reads and describes costs ~0.4 ms at 10,000 plans.
 */
export const PAGE_SIZE = 10;
/** How long the popup waits after the last keystroke before it searches: queries are never closer than this. */
export const SEARCH_DEBOUNCE_MS = 120;
/** Plans asked for with an empty box: enough to fill both recent lists (recentLists keeps 8 each). */
export const RECENT_LIMIT = 20;

/** How many results to ask for: a page, or the recent plans for an empty box. */
export function requestLimit(query: string, pageSize: number): number {
  return query.trim() ? pageSize : Math.max(pageSize, RECENT_LIMIT);
}

/** What the popup needs from the extension; injected so the popup runs in tests without a browser. */
export interface PopupBridge {
  search(query: string, filters: SearchFilters, limit: number, offset: number): Promise<SearchResponse>;
  activeTab(action: 'save' | 'toggle' | 'status' | 'analyze'): Promise<{ ok: boolean; title?: string | null; kind?: string; reason?: string }>;
  openPlan(planId: string, clauseId?: string): void;
  openLibrary(): void;
}

// ------------------------------------------------------------------------------------------ filters

/** Site chips. 'other' stands for every page without a site profile (generic government sites, imports). */
export type SiteChip = 'beijing' | 'govcn' | 'shanghai' | 'shenyang' | 'other';
export type KindChip = 'policy' | 'interpretation';
export type ChipFilter = 'issuer' | 'site' | 'kind';

export const SITE_CHIPS: ReadonlyArray<{ value: SiteChip; label: MessageKey }> = [
  { value: 'beijing', label: 'popup.site.beijing' },
  { value: 'govcn', label: 'popup.site.govcn' },
  { value: 'shanghai', label: 'popup.site.shanghai' },
  { value: 'shenyang', label: 'popup.site.shenyang' },
  { value: 'other', label: 'popup.site.other' },
];

export const KIND_CHIPS: ReadonlyArray<{ value: KindChip; label: MessageKey }> = [
  { value: 'policy', label: 'kind.policy' },
  { value: 'interpretation', label: 'kind.interpretation' },
];

/** The site ids a site chip stands for (the engine's SiteId values). */
const SITE_IDS: Record<SiteChip, string[]> = {
  beijing: ['beijing'],
  govcn: ['govcn'],
  shanghai: ['shanghai'],
  shenyang: ['shenyang'],
  other: ['generic', 'none'],
};

/** The chips' state, as the reader set it (typed prefixes in the box stay in the query string). */
export interface ChipFilters {
  /** Issuer names, whole or in part. */
  issuers: string[];
  sites: SiteChip[];
  kinds: KindChip[];
  /** Inclusive year range; null = open. */
  yearFrom: number | null;
  yearTo: number | null;
}

export function emptyChips(): ChipFilters {
  return { issuers: [], sites: [], kinds: [], yearFrom: null, yearTo: null };
}

export function hasChips(c: ChipFilters): boolean {
  return c.issuers.length + c.sites.length + c.kinds.length > 0 || c.yearFrom !== null || c.yearTo !== null;
}

/** The filters passed to the search request (every field present, so the request is always the same shape). */
export function toSearchFilters(c: ChipFilters): SearchFilters {
  return {
    issuers: [...c.issuers],
    sites: c.sites.flatMap((s) => SITE_IDS[s]),
    kinds: [...c.kinds],
    yearFrom: c.yearFrom,
    yearTo: c.yearTo,
  };
}

function listOf(c: ChipFilters, filter: ChipFilter): string[] {
  return filter === 'issuer' ? c.issuers : filter === 'site' ? c.sites : c.kinds;
}

export function isChipOn(c: ChipFilters, filter: ChipFilter, value: string): boolean {
  return listOf(c, filter).includes(value);
}

/** The filters with one chip switched on or off (unknown site or kind values are ignored). */
export function toggleChip(c: ChipFilters, filter: ChipFilter, value: string): ChipFilters {
  const v = filter === 'issuer' ? oneLine(value).slice(0, 200) : value;
  if (!v) return c;
  if (filter === 'site' && !SITE_CHIPS.some((s) => s.value === v)) return c;
  if (filter === 'kind' && !KIND_CHIPS.some((k) => k.value === v)) return c;
  const list = listOf(c, filter);
  const next = list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
  if (filter === 'issuer') return { ...c, issuers: next };
  if (filter === 'site') return { ...c, sites: next as SiteChip[] };
  return { ...c, kinds: next as KindChip[] };
}

/** Years the background accepts (it drops anything outside). */
const MIN_YEAR = 1901;
const MAX_YEAR = 2199;

/** A year typed in a year box (full-width digits too); null when empty or not a plausible year. */
export function parseYearInput(s: string): number | null {
  const t = String(s ?? '')
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/年$/, '');
  if (!/^\d{4}$/.test(t)) return null;
  const y = Number(t);
  return y >= MIN_YEAR && y <= MAX_YEAR ? y : null;
}

/** Issuer chips: the selected issuers, then those seen in the current results (most frequent first). */
export function issuerChips(hits: SearchHit[], selected: string[], max = 6): string[] {
  const counts = new Map<string, number>();
  for (const h of hits) {
    for (const raw of new Set(h.issuers ?? [])) {
      const name = oneLine(String(raw ?? ''));
      if (name && name.length <= 60) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  const seen = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([name]) => name)
    .filter((name) => !selected.includes(name));
  return [...selected, ...seen.slice(0, Math.max(0, max - selected.length))];
}

// ------------------------------------------------------------------------------------ request order

/** Numbers requests so that only the answer to the latest one is shown (answers can arrive out of order). */
export class LatestRequest {
  private n = 0;
  /** A new request: every earlier one is now stale. */
  start(): number {
    return ++this.n;
  }
  isLatest(id: number): boolean {
    return id === this.n;
  }
}

/** Whether a reply looks like a SearchResponse (a background error comes back as `{ error }`). */
export function isSearchResponse(v: unknown): v is SearchResponse {
  if (!v || typeof v !== 'object') return false;
  const r = v as Partial<SearchResponse>;
  return (r.mode === 'recent' || r.mode === 'search') && Array.isArray(r.hits) && typeof r.total === 'number';
}

// ------------------------------------------------------------------------------------- recent lists

export interface RecentLists {
  /** Newest saved first. */
  saved: SearchHit[];
  /** Viewed plans only, latest view first. */
  viewed: SearchHit[];
}

/** Splits the 'recent' response (newest activity first) into the recently saved and recently viewed lists. */
export function recentLists(hits: SearchHit[], max = 8): RecentLists {
  const saved = [...hits].sort((a, b) => b.savedAt - a.savedAt || cmp(a.planId, b.planId)).slice(0, max);
  const viewed = hits
    .filter((h) => h.viewedAt != null)
    .sort((a, b) => (b.viewedAt ?? 0) - (a.viewedAt ?? 0) || cmp(a.planId, b.planId))
    .slice(0, max);
  return { saved, viewed };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------- keyboard selection

/** One row the arrows can select: a result (opens at its best clause) or one of its clauses. */
export interface SelectableItem {
  /** DOM id of the option (aria-activedescendant). */
  id: string;
  planId: string;
  /** Where the reader opens; null: at the top. */
  clauseId: string | null;
  kind: 'plan' | 'clause';
}

export function planOptionId(hitIndex: number): string {
  return `pl-opt-${hitIndex}`;
}

export function clauseOptionId(hitIndex: number, clauseIndex: number): string {
  return `pl-opt-${hitIndex}-c${clauseIndex}`;
}

export function recentOptionId(list: 'saved' | 'viewed', index: number): string {
  return `pl-opt-${list === 'saved' ? 's' : 'v'}${index}`;
}

/** The selectable rows of search results in display order: each result, then its clauses. */
export function searchItems(hits: SearchHit[]): SelectableItem[] {
  const items: SelectableItem[] = [];
  hits.forEach((h, i) => {
    items.push({ id: planOptionId(i), planId: h.planId, clauseId: h.clauses[0]?.clauseId ?? null, kind: 'plan' });
    h.clauses.forEach((c, j) => items.push({ id: clauseOptionId(i, j), planId: h.planId, clauseId: c.clauseId, kind: 'clause' }));
  });
  return items;
}

/** The selectable rows of the recent lists: saved, then viewed. */
export function recentItems(lists: RecentLists): SelectableItem[] {
  const row = (list: 'saved' | 'viewed') => (h: SearchHit, i: number): SelectableItem => ({
    id: recentOptionId(list, i),
    planId: h.planId,
    clauseId: null,
    kind: 'plan',
  });
  return [...lists.saved.map(row('saved')), ...lists.viewed.map(row('viewed'))];
}

/**
 * The selection after an arrow key. -1 is "nothing selected" (the caret stays in the box): Down from
 * there goes to the first row, Up to the last; the ends do not wrap.
 */
export function moveSelection(current: number, delta: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return delta > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + delta));
}

/** What Enter opens: the selected row, else the first one. */
export function enterTarget(items: SelectableItem[], selected: number): SelectableItem | null {
  return items[selected] ?? items[0] ?? null;
}

/** Esc: clear a non-empty box; on an empty box, close the popup. */
export function escapeAction(query: string): 'clear' | 'close' {
  return query !== '' ? 'clear' : 'close';
}

/** The reader page's path for a plan, optionally at a clause. */
export function readerPath(planId: string, clauseId?: string | null): `/reader.html${string}` {
  const clause = clauseId ? `&clause=${encodeURIComponent(clauseId)}` : '';
  return `/reader.html#plan=${encodeURIComponent(planId)}${clause}`;
}

// --------------------------------------------------------------------------------------- marked text

/** A run of text, marked (a matched word) or not. Rendered as a text node, in a <mark> when marked. */
export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Cuts `text` into plain and marked runs. Marks are clamped to the text, sorted and merged, so bad
 * offsets never lose or repeat text: the runs always join back to `text`.
 */
export function segments(text: string, marks: readonly Mark[] | null | undefined): Segment[] {
  const s = String(text ?? '');
  const spans = (marks ?? [])
    .map((m) => ({ start: Math.max(0, Math.min(s.length, Math.floor(Number(m?.start)))), end: Math.max(0, Math.min(s.length, Math.floor(Number(m?.end)))) }))
    .filter((m) => Number.isFinite(m.start) && Number.isFinite(m.end) && m.end > m.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Segment[] = [];
  let pos = 0;
  for (const m of spans) {
    const start = Math.max(m.start, pos);
    if (m.end <= start) continue;
    if (start > pos) out.push({ text: s.slice(pos, start), mark: false });
    const last = out[out.length - 1];
    if (last?.mark && start === pos) last.text += s.slice(start, m.end);
    else out.push({ text: s.slice(start, m.end), mark: true });
    pos = m.end;
  }
  if (pos < s.length) out.push({ text: s.slice(pos), mark: false });
  return out;
}

/** A snippet's runs with "…" where the window cuts the text. */
export function snippetSegments(snippet: Snippet): Segment[] {
  const out = segments(snippet.text, snippet.marks);
  if (snippet.clippedStart) out.unshift({ text: '…', mark: false });
  if (snippet.clippedEnd) out.push({ text: '…', mark: false });
  return out;
}

// ------------------------------------------------------------------------------------------- labels

/** The clause's place as shown: its labels from the root (二、(四)24。) and its heading. */
export function clausePathText(path: string[], heading: string): string {
  const labels = (path ?? []).map((p) => oneLine(String(p ?? ''))).join('');
  const h = oneLine(heading ?? '');
  return [labels, h].filter(Boolean).join(' ');
}

/** The result's second line: issuers, 文号, date (whichever are known). */
export function hitMeta(hit: Pick<SearchHit, 'issuers' | 'docNumber' | 'date'>, locale: Locale): string[] {
  const issuers = (hit.issuers ?? []).map((i) => oneLine(String(i ?? ''))).filter(Boolean).join(t(locale, 'list.separator'));
  return [issuers, oneLine(hit.docNumber ?? ''), formatDate(hit.date) ?? ''].filter(Boolean);
}

/** The active tab as the header shows it. */
export type TabStatus =
  | { state: 'checking' }
  | { state: 'page'; title: string | null; kind: string | null }
  | { state: 'none' };

/** Reads the background's reply to activeTab status (anything unexpected: no panel on that tab). */
export function tabStatusFrom(reply: unknown): TabStatus {
  if (!reply || typeof reply !== 'object' || (reply as { ok?: unknown }).ok !== true) return { state: 'none' };
  const r = reply as { title?: unknown; kind?: unknown };
  const title = typeof r.title === 'string' && oneLine(r.title) ? oneLine(r.title) : null;
  return { state: 'page', title, kind: typeof r.kind === 'string' ? r.kind : null };
}

export function tabStatusText(locale: Locale, s: TabStatus): string {
  if (s.state === 'checking') return t(locale, 'popup.checking');
  if (s.state === 'none') return t(locale, 'popup.notPolicy');
  if (s.title) return t(locale, 'popup.page', { title: s.title });
  const kind = s.kind === 'policy' || s.kind === 'interpretation' || s.kind === 'other' ? t(locale, `kind.${s.kind}`) : '';
  return t(locale, 'popup.pageUntitled', { kind });
}
