// @vitest-environment happy-dom
// Tests for the popup in happy-dom, answered by the REAL search engine over a library of the seeds (fake-indexeddb).
import { describe, it, expect, vi, beforeAll, afterEach } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openLibrary, type LibraryDB } from '../lib/library/db';
import { markViewed, savePlan } from '../lib/library/store';
import { extractFromText } from '../lib/extract/pipeline';
import { rebuildSearchIndex } from '../lib/search/index';
import { search, type SearchResponse } from '../lib/search/search';
import type { SearchFilters } from '../lib/search/query';
import { toSimplifiedChars } from '../lib/text/script';
import { t } from '../lib/i18n/messages';
import { pageForSeed } from '../scripts/site-templates';
import { Popup, type PopupBridge, type PopupProps } from '../components/Popup';

const SEEDS_DIR = path.resolve(__dirname, '../seeds');
const SEED_FILES = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
const HOSTILE = '<img src=x onerror=alert(1)>';

/** Library of the five seeds, each extracted as on its site's page; plan ids by seed number. */
let db: LibraryDB;
const ids: string[] = [];
const titles: string[] = [];

beforeAll(async () => {
  db = await openLibrary('popup-test', { indexedDB: new IDBFactory(), IDBKeyRange });
  for (const [i, file] of SEED_FILES.entries()) {
    const text = readFileSync(path.join(SEEDS_DIR, file), 'utf8');
    const doc = extractFromText(text, pageForSeed(file, text).url);
    const { id } = await savePlan(db, doc, 'seed', { now: 1_000 + i * 1_000 });
    ids.push(id);
    titles.push(doc.metadata.title ?? '');
  }
  // 004 viewed first, then 000: the viewed list runs 000, 004.
  await markViewed(db, ids[4], { now: 10_000 });
  await markViewed(db, ids[0], { now: 11_000 });
  await rebuildSearchIndex(db);
}, 60_000);

type Call = { query: string; filters: SearchFilters; limit: number; offset: number };

/** A bridge answering with the real engine, through a structured clone as runtime messaging does. */
function engineBridge(library = () => db) {
  const calls: Call[] = [];
  const bridge = {
    calls,
    search: vi.fn(async (query: string, filters: SearchFilters, limit: number, offset: number) => {
      calls.push({ query, filters, limit, offset });
      return structuredClone(await search(library(), query, { filters, limit, offset }));
    }),
    activeTab: vi.fn(async (action: 'save' | 'toggle' | 'status') =>
      action === 'status' ? { ok: true, title: titles[1], kind: 'policy' } : { ok: true },
    ),
    openPlan: vi.fn(),
    openLibrary: vi.fn(),
  };
  return bridge satisfies PopupBridge;
}

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});

function mount(props: PopupProps): HTMLElement {
  host = document.createElement('div');
  document.body.append(host);
  act(() => render(<Popup {...props} />, host!));
  return host;
}

const all = (root: ParentNode, testid: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const one = (root: ParentNode, testid: string) => {
  const found = all(root, testid);
  expect(found, testid).toHaveLength(1);
  return found[0];
};

async function waitFor(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await act(() => new Promise((r) => setTimeout(r, 10)));
  }
}

function type(input: HTMLInputElement, value: string) {
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function key(el: HTMLElement, k: string) {
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  });
}

/** Mounts with the engine bridge, waits for the recent lists, types a query and waits for its answer. */
async function searchFor(query: string, props: Partial<PopupProps> = {}) {
  const bridge = engineBridge();
  const root = mount({ bridge, locale: 'zh-CN', onClose: vi.fn(), ...props });
  await waitFor(() => all(root, 'pl-recent').length === 1, 'recent lists');
  const input = one(root, 'pl-search-input') as HTMLInputElement;
  type(input, query);
  await waitFor(() => bridge.calls.some((c) => c.query === query) && all(root, 'pl-total').length === 1, `results for ${query}`);
  const expected = await search(db, query, { filters: bridge.calls[bridge.calls.length - 1].filters, limit: 20 });
  return { bridge, root, input, expected };
}

const shownIds = (root: ParentNode) => all(root, 'pl-result').map((e) => e.dataset.planId);
const markTexts = (el: Element) => [...el.querySelectorAll('mark')].map((m) => m.textContent ?? '');

describe('Popup: search', () => {
  it('shows ranked results for 大数据 as the engine ranks them, with the words marked', async () => {
    const { root, expected } = await searchFor('大数据');
    expect(expected.total).toBeGreaterThan(1);
    expect(shownIds(root)).toEqual(expected.hits.map((h) => h.planId));
    expect(one(root, 'pl-total').textContent).toBe(t('zh-CN', 'popup.total', { count: expected.total }));
    // The Shanghai and Shenyang plans carry 大数据 (大數據 in Traditional) in their titles.
    for (const n of [2, 4]) {
      const result = all(root, 'pl-result').find((e) => e.dataset.planId === ids[n])!;
      expect(result, `seed ${n}`).toBeTruthy();
      const title = result.querySelector('.pl-hit-title')!;
      expect(title.textContent).toBe(titles[n]);
      expect(markTexts(title).map(toSimplifiedChars)).toContain('大数据');
    }
    // Every mark anywhere (titles, snippets, clauses) is the term, in either script.
    const marks = markTexts(root);
    expect(marks.length).toBeGreaterThan(5);
    for (const m of marks) expect(toSimplifiedChars(m)).toBe('大数据');
    // Clauses: up to 3 per result, each with its path and a marked snippet, as the engine gave them.
    for (const hit of expected.hits) {
      const clauses = all(root, 'pl-result-clause').filter((e) => e.dataset.planId === hit.planId);
      expect(clauses.map((c) => c.dataset.clauseId)).toEqual(hit.clauses.map((c) => c.clauseId));
      expect(clauses.length).toBeLessThanOrEqual(3);
      for (const [j, c] of clauses.entries()) {
        expect(c.querySelector('.pl-clause-path')!.textContent).toContain(hit.clauses[j].path.join(''));
        if (hit.clauses[j].snippet?.marks.length) expect(c.querySelectorAll('mark').length).toBeGreaterThan(0);
      }
    }
    // The Shenyang result shows its issuer, 文号 and date.
    const sy = all(root, 'pl-result').find((e) => e.dataset.planId === ids[4])!;
    const hit = expected.hits.find((h) => h.planId === ids[4])!;
    const meta = sy.querySelector('.pl-hit-meta')!.textContent!;
    for (const part of [hit.issuers[0], hit.docNumber!, hit.date!]) expect(meta).toContain(part);
  });

  it('searches as you type once the typing pauses (one request for a burst of keystrokes)', async () => {
    const bridge = engineBridge();
    const root = mount({ bridge, locale: 'zh-CN', onClose: vi.fn() });
    await waitFor(() => all(root, 'pl-recent').length === 1, 'recent lists');
    expect(bridge.calls).toHaveLength(1);
    expect(bridge.calls[0]).toEqual({ query: '', filters: { issuers: [], sites: [], kinds: [], yearFrom: null, yearTo: null }, limit: 20, offset: 0 });
    const input = one(root, 'pl-search-input') as HTMLInputElement;
    for (const q of ['大', '大数', '大数据']) type(input, q);
    await waitFor(() => all(root, 'pl-total').length === 1, 'results');
    expect(bridge.calls.map((c) => c.query)).toEqual(['', '大数据']);
  });

  it('finds plans written 互联网 from a Taiwan-phrased query 網際網路', async () => {
    const { root, expected } = await searchFor('網際網路');
    expect(shownIds(root)).toEqual(expected.hits.map((h) => h.planId));
    // 001's title says 互联网: it is found and the mark is on 互联网.
    const r = all(root, 'pl-result').find((e) => e.dataset.planId === ids[1])!;
    expect(r).toBeTruthy();
    expect(markTexts(r.querySelector('.pl-hit-title')!)).toEqual(['互联网']);
    // 000 writes 網際網路 itself (Taiwan phrasing): marked in its clauses, which follow the result in its group.
    const group = root.querySelector<HTMLElement>(`.pl-hit[data-plan-id="${ids[0]}"]`)!;
    expect(group.querySelector<HTMLElement>('[data-testid="pl-result"]')!.dataset.planId).toBe(ids[0]);
    const marks0 = markTexts(group);
    expect(marks0.length).toBeGreaterThan(0);
    for (const m of marks0) expect(m).toBe('網際網路');
  });

  it('finds the plan citing 国发[2015]40号 from the number typed with ASCII brackets', async () => {
    const { root, expected } = await searchFor('国发[2015]40号');
    expect(expected.hits[0]?.planId).toBe(ids[1]); // 001 cites its parent 国发〔2015〕40号
    expect(shownIds(root)).toEqual(expected.hits.map((h) => h.planId));
    // The mark is on the number as the seed writes it, with 〔〕.
    expect(markTexts(all(root, 'pl-result')[0])).toContain('国发〔2015〕40号');
  });

  it('says so when nothing matches, and shows typed filters it could not read', async () => {
    const { root, expected } = await searchFor('量子隐形传态 year:abc');
    expect(expected.total).toBe(0);
    expect(one(root, 'pl-total').dataset.count).toBe('0');
    expect(root.textContent).toContain(t('zh-CN', 'popup.noResults'));
    expect(root.textContent).toContain('year:abc');
  });

  it('pages through more results with 显示更多, in the engine\'s order', async () => {
    const { root, bridge } = await searchFor('大数据', { pageSize: 2 });
    const every = await search(db, '大数据', { limit: 100, allIds: true });
    expect(shownIds(root)).toEqual(every.ids!.slice(0, 2));
    act(() => one(root, 'pl-more').click());
    await waitFor(() => all(root, 'pl-result').length === Math.min(4, every.total), 'second page');
    expect(bridge.calls[bridge.calls.length - 1]).toMatchObject({ query: '大数据', limit: 2, offset: 2 });
    expect(shownIds(root)).toEqual(every.ids!.slice(0, 4));
  });
});

describe('Popup: filter chips', () => {
  it('passes site, kind, year and issuer chips to the search and shows what the engine keeps', async () => {
    const { root, bridge } = await searchFor('大数据');
    const chip = (filter: string, value: string) => all(root, 'pl-chip').find((c) => c.dataset.filter === filter && c.dataset.value === value)!;
    const last = () => bridge.calls[bridge.calls.length - 1];
    const settle = async (what: string) => {
      const n = bridge.calls.length;
      await waitFor(() => bridge.calls.length > n, what);
      await waitFor(() => one(root, 'pl-popup').querySelector('[aria-busy="true"]') === null, `${what} answered`);
    };

    const shenyang = chip('site', 'shenyang');
    expect(shenyang.textContent).toBe('沈阳');
    expect(shenyang.getAttribute('aria-pressed')).toBe('false');
    act(() => shenyang.click());
    await settle('site chip');
    expect(last().filters.sites).toEqual(['shenyang']);
    expect(chip('site', 'shenyang').getAttribute('aria-pressed')).toBe('true');
    expect(shownIds(root)).toEqual([ids[4]]);

    // Off again, then 政策解读: only the press release about the Beijing plan (003).
    act(() => chip('site', 'shenyang').click());
    await settle('site chip off');
    act(() => chip('kind', 'interpretation').click());
    await settle('kind chip');
    expect(last().filters).toMatchObject({ sites: [], kinds: ['interpretation'] });
    const kept = await search(db, '大数据', { filters: last().filters });
    expect(shownIds(root)).toEqual(kept.hits.map((h) => h.planId));
    expect(shownIds(root)).toContain(ids[3]);
    act(() => chip('kind', 'interpretation').click());
    await settle('kind chip off');

    // Years: plans of 2017 on (000 was written 2016-12-01 and published 2017: its year is 2016).
    const from = one(root, 'pl-year-from') as HTMLInputElement;
    type(from, '20');
    type(from, '2017');
    await settle('year');
    expect(last().filters).toMatchObject({ yearFrom: 2017, yearTo: null });
    expect(bridge.calls.some((c) => c.filters.yearFrom === 20)).toBe(false);
    const byYear = await search(db, '大数据', { filters: last().filters });
    expect(shownIds(root)).toEqual(byYear.hits.map((h) => h.planId));
    expect(byYear.total).toBeLessThan((await search(db, '大数据')).total);

    // Clear: every filter off, the full list back.
    act(() => one(root, 'pl-clear-filters').click());
    await settle('clear');
    expect(last().filters).toEqual({ issuers: [], sites: [], kinds: [], yearFrom: null, yearTo: null });
    expect(from.value).toBe('');

    // Issuer chips come from the results; one narrows to that issuer.
    const issuer = chip('issuer', '上海市人民政府');
    expect(issuer).toBeTruthy();
    act(() => issuer.click());
    await settle('issuer chip');
    expect(last().filters.issuers).toEqual(['上海市人民政府']);
    expect(shownIds(root)).toEqual([ids[2]]);
    expect(chip('issuer', '上海市人民政府').getAttribute('aria-pressed')).toBe('true');
  });

  it('adds an issuer typed in the issuer box; prefixes typed in the search box still work', async () => {
    const { root, bridge, input } = await searchFor('大数据 site:沈阳');
    expect(shownIds(root)).toEqual([ids[4]]);
    const issuerBox = one(root, 'pl-issuer-input') as HTMLInputElement;
    type(issuerBox, '北京');
    const n = bridge.calls.length;
    key(issuerBox, 'Enter');
    await waitFor(() => bridge.calls.length > n, 'issuer search');
    expect(bridge.calls[bridge.calls.length - 1].filters.issuers).toEqual(['北京']);
    // The typed site (沈阳) and the chip issuer (北京) together match nothing.
    await waitFor(() => one(root, 'pl-total').dataset.count === '0', 'no results');
    expect(input.value).toBe('大数据 site:沈阳');
  });
});

describe('Popup: keyboard and clicks', () => {
  it('moves through results and their clauses with the arrows; Enter opens the reader at that clause', async () => {
    const { root, bridge, input, expected } = await searchFor('大数据');
    const top = expected.hits[0];
    expect(top.clauses.length).toBeGreaterThan(1);
    expect(input.getAttribute('aria-activedescendant')).toBeNull();

    key(input, 'ArrowDown');
    const first = all(root, 'pl-result')[0];
    expect(input.getAttribute('aria-activedescendant')).toBe(first!.id);
    expect(first!.getAttribute('aria-selected')).toBe('true');
    expect(first!.getAttribute('role')).toBe('option');
    expect(root.querySelector('[role="listbox"]')!.contains(first)).toBe(true);
    key(input, 'Enter');
    expect(bridge.openPlan).toHaveBeenLastCalledWith(top.planId, top.clauses[0].clauseId);

    key(input, 'ArrowDown');
    key(input, 'ArrowDown');
    const selected = document.getElementById(input.getAttribute('aria-activedescendant')!)!;
    expect(selected.dataset.testid).toBe('pl-result-clause');
    expect(selected.dataset.clauseId).toBe(top.clauses[1].clauseId);
    key(input, 'Enter');
    expect(bridge.openPlan).toHaveBeenLastCalledWith(top.planId, top.clauses[1].clauseId);

    key(input, 'ArrowUp');
    expect(document.getElementById(input.getAttribute('aria-activedescendant')!)!.dataset.clauseId).toBe(top.clauses[0].clauseId);
    expect(root.querySelectorAll('[aria-selected="true"]')).toHaveLength(1);
  });

  it('opens the best clause when a result is clicked and the clause when a clause is clicked', async () => {
    const { root, bridge, expected } = await searchFor('大数据');
    const second = expected.hits[1];
    act(() => all(root, 'pl-result')[1].click());
    expect(bridge.openPlan).toHaveBeenLastCalledWith(second.planId, second.clauses[0]?.clauseId);
    const clause = all(root, 'pl-result-clause').find((c) => c.dataset.planId === second.planId && c.dataset.clauseId === second.clauses.at(-1)!.clauseId)!;
    act(() => clause.click());
    expect(bridge.openPlan).toHaveBeenLastCalledWith(second.planId, second.clauses.at(-1)!.clauseId);
  });

  it('Esc clears the box and brings the recent lists back; a second Esc closes the popup', async () => {
    const onClose = vi.fn();
    const { root, input } = await searchFor('大数据', { onClose });
    key(input, 'Escape');
    expect(input.value).toBe('');
    expect(onClose).not.toHaveBeenCalled();
    await waitFor(() => all(root, 'pl-recent').length === 1, 'recent lists again');
    expect(all(root, 'pl-result')).toHaveLength(0);
    key(input, 'Escape');
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe('Popup: recent lists', () => {
  it('shows the recently saved and the recently viewed plans for an empty box', async () => {
    const bridge = engineBridge();
    const root = mount({ bridge, locale: 'zh-CN', onClose: vi.fn() });
    await waitFor(() => all(root, 'pl-recent').length === 1, 'recent lists');
    const recent = one(root, 'pl-recent');
    const group = (list: string) => recent.querySelector(`[data-list="${list}"]`)!;
    expect(group('saved').querySelector('h2')!.textContent).toBe('最近保存');
    expect(group('viewed').querySelector('h2')!.textContent).toBe('最近查看');
    const inGroup = (list: string) => [...group(list).querySelectorAll<HTMLElement>('[data-testid="pl-recent-item"]')].map((e) => e.dataset.planId);
    expect(inGroup('saved')).toEqual([4, 3, 2, 1, 0].map((n) => ids[n]));
    expect(inGroup('viewed')).toEqual([ids[0], ids[4]]);
    expect(one(root, 'pl-library-total').textContent).toBe(t('zh-CN', 'popup.libraryTotal', { count: 5 }));
    // The arrows walk the saved list, then the viewed one; Enter opens the plan at its top.
    const input = one(root, 'pl-search-input') as HTMLInputElement;
    for (let i = 0; i < 6; i++) key(input, 'ArrowDown');
    key(input, 'Enter');
    expect(bridge.openPlan).toHaveBeenLastCalledWith(ids[0], undefined);
  });
});

describe('Popup: safety and order', () => {
  it('ignores answers that arrive after a newer query was answered', async () => {
    const pending = new Map<string, (r: SearchResponse) => void>();
    const bridge: PopupBridge = {
      search: vi.fn((query: string, filters: SearchFilters) => {
        if (query === '') return search(db, query, { filters });
        return new Promise<SearchResponse>((resolve) => pending.set(query, resolve));
      }),
      activeTab: vi.fn(async () => ({ ok: false, reason: 'no-overlay' })),
      openPlan: vi.fn(),
      openLibrary: vi.fn(),
    };
    const root = mount({ bridge, locale: 'zh-CN', onClose: vi.fn(), debounceMs: 0 });
    await waitFor(() => all(root, 'pl-recent').length === 1, 'recent lists');
    const input = one(root, 'pl-search-input') as HTMLInputElement;
    type(input, '上海');
    await waitFor(() => pending.has('上海'), 'first request');
    type(input, '沈阳');
    await waitFor(() => pending.has('沈阳'), 'second request');
    const [shanghai, shenyang] = await Promise.all([search(db, '上海'), search(db, '沈阳')]);
    expect(shanghai.hits.map((h) => h.planId)).not.toEqual(shenyang.hits.map((h) => h.planId));
    await act(async () => pending.get('沈阳')!(shenyang));
    await waitFor(() => all(root, 'pl-total').length === 1, 'second answer');
    await act(async () => pending.get('上海')!(shanghai));
    await act(() => new Promise((r) => setTimeout(r, 30)));
    expect(shownIds(root)).toEqual(shenyang.hits.map((h) => h.planId));
    expect(one(root, 'pl-total').dataset.count).toBe(String(shenyang.total));
  });

  it('renders a hostile title as text, its marks as <mark> text', async () => {
    const hostileDb = await openLibrary('popup-hostile', { indexedDB: new IDBFactory(), IDBKeyRange });
    const text = readFileSync(path.join(SEEDS_DIR, SEED_FILES[4]), 'utf8');
    const doc = extractFromText(text, pageForSeed(SEED_FILES[4], text).url);
    doc.metadata.title = HOSTILE;
    await savePlan(hostileDb, doc, 'page');
    await rebuildSearchIndex(hostileDb);
    const bridge = engineBridge(() => hostileDb);
    const root = mount({ bridge, locale: 'zh-CN', onClose: vi.fn() });
    await waitFor(() => all(root, 'pl-recent-item').length === 1, 'recent list');
    expect(one(root, 'pl-recent-item').querySelector('.pl-hit-title')!.textContent).toBe(HOSTILE);
    type(one(root, 'pl-search-input') as HTMLInputElement, 'onerror');
    await waitFor(() => all(root, 'pl-result').length === 1, 'result');
    const title = one(root, 'pl-result').querySelector('.pl-hit-title')!;
    expect(title.textContent).toBe(HOSTILE);
    expect(markTexts(title)).toEqual(['onerror']);
    expect(root.querySelector('img')).toBeNull();
    expect([...title.childNodes].every((n) => n.nodeType === 3 || (n as Element).tagName === 'MARK')).toBe(true);
  });

  it('shows an unreachable background as text and keeps working', async () => {
    let fail = true;
    const real = engineBridge();
    const bridge: PopupBridge = {
      search: vi.fn((...args: Parameters<PopupBridge['search']>) =>
        fail ? Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')) : real.search(...args),
      ),
      activeTab: vi.fn(() => Promise.reject(new Error('Could not establish connection.'))),
      openPlan: vi.fn(),
      openLibrary: vi.fn(),
    };
    const root = mount({ bridge, locale: 'zh-CN', onClose: vi.fn(), debounceMs: 0 });
    await waitFor(() => all(root, 'pl-error').length === 1, 'error');
    expect(one(root, 'pl-error').textContent).toBe(t('zh-CN', 'popup.error', { reason: 'Could not establish connection. Receiving end does not exist.' }));
    await waitFor(() => one(root, 'pl-tab-status').textContent === '此页不是政策文件', 'tab status');
    expect((one(root, 'pl-save-page') as HTMLButtonElement).disabled).toBe(true);
    expect((one(root, 'pl-toggle-page') as HTMLButtonElement).disabled).toBe(true);
    fail = false;
    type(one(root, 'pl-search-input') as HTMLInputElement, '大数据');
    await waitFor(() => all(root, 'pl-total').length === 1, 'results after recovery');
    expect(all(root, 'pl-error')).toHaveLength(0);
  });
});

describe('Popup: header', () => {
  it('shows the active tab and saves it, toggles its panel, opens the library', async () => {
    const bridge = engineBridge();
    const root = mount({ bridge, locale: 'zh-CN', onClose: vi.fn() });
    await waitFor(() => one(root, 'pl-tab-status').dataset.state === 'page', 'tab status');
    expect(one(root, 'pl-tab-status').textContent).toBe(`此页：《${titles[1]}》`);
    await waitFor(() => all(root, 'pl-recent').length === 1, 'recent lists');
    const searches = bridge.calls.length;
    act(() => one(root, 'pl-save-page').click());
    await waitFor(() => all(root, 'pl-note').length === 1, 'saved note');
    expect(bridge.activeTab).toHaveBeenCalledWith('save');
    expect(one(root, 'pl-note').textContent).toBe(t('zh-CN', 'status.saved'));
    await waitFor(() => bridge.calls.length > searches, 'recent lists refreshed');
    await waitFor(() => !(one(root, 'pl-toggle-page') as HTMLButtonElement).disabled, 'buttons enabled');
    act(() => one(root, 'pl-toggle-page').click());
    await waitFor(() => bridge.activeTab.mock.calls.some((c) => c[0] === 'toggle'), 'toggle');
    act(() => one(root, 'pl-open-library').click());
    expect(bridge.openLibrary).toHaveBeenCalledTimes(1);
  });

  it('speaks the reader\'s language', async () => {
    const bridge = engineBridge();
    const root = mount({ bridge, locale: 'zh-TW', onClose: vi.fn() });
    await waitFor(() => all(root, 'pl-recent').length === 1, 'recent lists');
    expect((one(root, 'pl-search-input') as HTMLInputElement).placeholder).toBe(t('zh-TW', 'popup.placeholder'));
    expect(one(root, 'pl-save-page').textContent).toBe('儲存本頁');
    expect(one(root, 'pl-popup').getAttribute('lang')).toBe('zh-TW');
  });
});
