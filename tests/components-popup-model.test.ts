// Tests for the popup's pure helpers: chips ↔ filters (checked against the real query parser), selection, marks, recent lists.
import { describe, it, expect } from 'vitest';
import { parseQuery, passesFilters } from '../lib/search/query';
import type { SearchHit } from '../lib/search/search';
import { t } from '../lib/i18n/messages';
import {
  KIND_CHIPS,
  PAGE_SIZE,
  RECENT_LIMIT,
  requestLimit,
  LatestRequest,
  SITE_CHIPS,
  clausePathText,
  emptyChips,
  enterTarget,
  escapeAction,
  hasChips,
  hitMeta,
  isChipOn,
  isSearchResponse,
  issuerChips,
  moveSelection,
  parseYearInput,
  readerPath,
  recentItems,
  recentLists,
  searchItems,
  segments,
  snippetSegments,
  tabStatusFrom,
  tabStatusText,
  toSearchFilters,
  toggleChip,
} from '../components/popup-model';
import { seedDoc } from './support/docs';

/** A hit built from a real seed's metadata (only the fields the helpers read matter). */
function hitOf(n: number, over: Partial<SearchHit> = {}): SearchHit {
  const d = seedDoc(n);
  return {
    planId: `plan-${n}`,
    score: 1,
    title: d.metadata.title,
    titleMarks: [],
    issuers: d.metadata.issuers,
    docNumber: d.metadata.docNumber?.raw ?? null,
    date: d.metadata.dates.written,
    site: d.detection.site,
    kind: d.detection.kind,
    genre: d.detection.genre,
    url: d.url,
    savedAt: 1000 + n,
    viewedAt: null,
    snippet: null,
    clauses: [],
    ...over,
  };
}

const subject = (site: string, kind: string, year = 2016) => ({ issuerKeys: ['北京市人民政府'], year, site, host: '', kind, genre: null });

describe('chips ↔ filters', () => {
  it('maps every site chip to site ids the query parser keeps and passesFilters matches', () => {
    const sites: Record<string, string[]> = {};
    for (const chip of SITE_CHIPS) {
      const f = toSearchFilters(toggleChip(emptyChips(), 'site', chip.value));
      sites[chip.value] = f.sites!;
      const parsed = parseQuery('', f).filters;
      expect(parsed.sites, chip.value).toEqual(f.sites);
    }
    const parsed = (chip: string) => parseQuery('', toSearchFilters(toggleChip(emptyChips(), 'site', chip))).filters;
    expect(passesFilters(parsed('beijing'), subject('beijing', 'policy'))).toBe(true);
    expect(passesFilters(parsed('beijing'), subject('shanghai', 'policy'))).toBe(false);
    // 其他: pages of sites without a profile, and imported files without a site.
    expect(passesFilters(parsed('other'), subject('generic', 'policy'))).toBe(true);
    expect(passesFilters(parsed('other'), subject('none', 'policy'))).toBe(true);
    expect(passesFilters(parsed('other'), subject('govcn', 'policy'))).toBe(false);
  });

  it('maps kind chips to page kinds; several chips of one filter mean any of them', () => {
    let c = toggleChip(emptyChips(), 'kind', 'interpretation');
    expect(passesFilters(parseQuery('', toSearchFilters(c)).filters, subject('beijing', 'interpretation'))).toBe(true);
    expect(passesFilters(parseQuery('', toSearchFilters(c)).filters, subject('beijing', 'policy'))).toBe(false);
    c = toggleChip(c, 'kind', 'policy');
    expect(toSearchFilters(c).kinds).toEqual(['interpretation', 'policy']);
    expect(passesFilters(parseQuery('', toSearchFilters(c)).filters, subject('beijing', 'policy'))).toBe(true);
    expect(KIND_CHIPS.map((k) => k.value)).toEqual(['policy', 'interpretation']);
  });

  it('toggles on and off, ignores unknown values, keeps the other fields', () => {
    let c = toggleChip(emptyChips(), 'issuer', ' 北京市人民政府 ');
    expect(c.issuers).toEqual(['北京市人民政府']);
    expect(isChipOn(c, 'issuer', '北京市人民政府')).toBe(true);
    expect(hasChips(c)).toBe(true);
    c = toggleChip(c, 'site', 'shenyang');
    c = toggleChip(c, 'site', 'tokyo');
    c = toggleChip(c, 'kind', 'blog');
    expect(c.sites).toEqual(['shenyang']);
    expect(c.kinds).toEqual([]);
    c = toggleChip(c, 'issuer', '北京市人民政府');
    expect(c.issuers).toEqual([]);
    expect(c.sites).toEqual(['shenyang']);
    c = toggleChip(c, 'site', 'shenyang');
    expect(hasChips(c)).toBe(false);
    expect(toSearchFilters(c)).toEqual({ issuers: [], sites: [], kinds: [], yearFrom: null, yearTo: null });
  });

  it('passes the year range through; the parser intersects it with a typed year:', () => {
    const f = toSearchFilters({ ...emptyChips(), yearFrom: 2016, yearTo: 2018 });
    const q = parseQuery('大数据 年份:2017-2020', f);
    expect([q.filters.yearFrom, q.filters.yearTo]).toEqual([2017, 2018]);
  });

  it('reads years typed in the year boxes, full-width too, and nothing else', () => {
    expect(parseYearInput('2016')).toBe(2016);
    expect(parseYearInput(' ２０１７ ')).toBe(2017);
    expect(parseYearInput('2018年')).toBe(2018);
    for (const bad of ['', '20', '201', '20166', 'abcd', '1066', '2500', '２０', '-2016']) expect(parseYearInput(bad), bad).toBeNull();
  });

  it('offers issuer chips: the selected ones first, then the most frequent in the results', () => {
    const hits = [0, 1, 2, 3, 4].map((n) => hitOf(n));
    // 000 and 001 are both 北京市人民政府: the most frequent comes first.
    expect(hits.filter((h) => h.issuers.includes('北京市人民政府'))).toHaveLength(2);
    const all = new Set(hits.flatMap((h) => h.issuers));
    expect(all.size).toBeGreaterThan(1);
    expect(issuerChips(hits, [])[0]).toBe('北京市人民政府');
    expect(new Set(issuerChips(hits, []))).toEqual(all);
    const withSelected = issuerChips(hits, ['沈阳']);
    expect(withSelected[0]).toBe('沈阳');
    expect(new Set(withSelected.slice(1))).toEqual(all);
    expect(issuerChips(hits, [], 1)).toEqual(['北京市人民政府']);
  });
});

describe('request order', () => {
  it('only the latest request counts', () => {
    const r = new LatestRequest();
    const a = r.start();
    const b = r.start();
    expect(r.isLatest(a)).toBe(false);
    expect(r.isLatest(b)).toBe(true);
  });

  it('tells a search reply from an error reply', () => {
    expect(isSearchResponse({ mode: 'search', hits: [], total: 0 })).toBe(true);
    expect(isSearchResponse({ error: 'no library' })).toBe(false);
    expect(isSearchResponse(undefined)).toBe(false);
    expect(isSearchResponse({ mode: 'search', hits: 'x', total: 0 })).toBe(false);
  });

  it('asks for a page of results for a query, and enough recent plans to fill both lists for an empty box', () => {
    expect(requestLimit('大数据', PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(requestLimit('  ', PAGE_SIZE)).toBe(RECENT_LIMIT);
    expect(RECENT_LIMIT).toBeGreaterThanOrEqual(16); // recentLists keeps 8 saved and 8 viewed
    expect(requestLimit('', 50)).toBe(50);
  });
});

describe('keyboard selection', () => {
  const hits = [
    hitOf(4, {
      clauses: [
        { clauseId: '2.4.1', label: '24。', heading: '', path: ['二、', '(四)', '24。'], level: 3, start: 0, end: 1, terms: 1, occurrences: 1, snippet: null },
        { clauseId: '1.2', label: '(二)', heading: '工作目标', path: ['一、', '(二)'], level: 2, start: 0, end: 1, terms: 1, occurrences: 1, snippet: null },
      ],
    }),
    hitOf(2),
  ];

  it('lists each result then its clauses; a result opens at its best clause', () => {
    const items = searchItems(hits);
    expect(items.map((i) => [i.kind, i.planId, i.clauseId])).toEqual([
      ['plan', 'plan-4', '2.4.1'],
      ['clause', 'plan-4', '2.4.1'],
      ['clause', 'plan-4', '1.2'],
      ['plan', 'plan-2', null],
    ]);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('moves without wrapping; from nothing, Down goes to the top and Up to the bottom', () => {
    expect(moveSelection(-1, 1, 4)).toBe(0);
    expect(moveSelection(-1, -1, 4)).toBe(3);
    expect(moveSelection(0, 1, 4)).toBe(1);
    expect(moveSelection(3, 1, 4)).toBe(3);
    expect(moveSelection(0, -1, 4)).toBe(0);
    expect(moveSelection(7, 1, 4)).toBe(0); // the list got shorter
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });

  it('Enter opens the selected row, else the first; Esc clears, then closes', () => {
    const items = searchItems(hits);
    expect(enterTarget(items, 2)?.clauseId).toBe('1.2');
    expect(enterTarget(items, -1)).toBe(items[0]);
    expect(enterTarget([], -1)).toBeNull();
    expect(escapeAction('大数据')).toBe('clear');
    expect(escapeAction('')).toBe('close');
  });

  it('builds the reader path with both ids encoded', () => {
    expect(readerPath('a b', '2.4.1')).toBe('/reader.html#plan=a%20b&clause=2.4.1');
    expect(readerPath('p&x=1')).toBe('/reader.html#plan=p%26x%3D1');
    const params = new URLSearchParams(readerPath('id#1', '一、&').split('#').slice(1).join('#'));
    expect(params.get('plan')).toBe('id#1');
    expect(params.get('clause')).toBe('一、&');
  });
});

describe('marked text', () => {
  const text = '阳大数据运营公司为主体,智慧城市研究院、大数据产业联盟';

  it('cuts text into plain and marked runs that join back to it', () => {
    const runs = segments(text, [{ start: 1, end: 4 }, { start: 20, end: 23 }]);
    expect(runs).toEqual([
      { text: '阳', mark: false },
      { text: '大数据', mark: true },
      { text: '运营公司为主体,智慧城市研究院、', mark: false },
      { text: '大数据', mark: true },
      { text: '产业联盟', mark: false },
    ]);
  });

  it('survives unsorted, overlapping, empty and out-of-range marks', () => {
    const marks = [{ start: 20, end: 23 }, { start: 2, end: 5 }, { start: 1, end: 3 }, { start: 9, end: 9 }, { start: -5, end: 0 }, { start: 25, end: 99 }, { start: NaN, end: 3 }];
    const runs = segments(text, marks);
    expect(runs.map((r) => r.text).join('')).toBe(text);
    expect(runs.filter((r) => r.mark).map((r) => r.text)).toEqual(['大数据运', '大数据', '联盟']);
    expect(segments(text, null)).toEqual([{ text, mark: false }]);
    expect(segments('', [{ start: 0, end: 3 }])).toEqual([]);
  });

  it('adds … where a snippet is cut', () => {
    const runs = snippetSegments({ text, start: 10, end: 40, marks: [{ start: 1, end: 4 }], clippedStart: true, clippedEnd: true });
    expect(runs[0]).toEqual({ text: '…', mark: false });
    expect(runs[runs.length - 1]).toEqual({ text: '…', mark: false });
    expect(runs.map((r) => r.text).join('')).toBe(`…${text}…`);
  });
});

describe('recent lists and labels', () => {
  it('splits the recent reply into newest saved and latest viewed', () => {
    const hits = [hitOf(0, { savedAt: 10, viewedAt: 500 }), hitOf(1, { savedAt: 300 }), hitOf(2, { savedAt: 200, viewedAt: 400 }), hitOf(3, { savedAt: 100 })];
    const lists = recentLists(hits);
    expect(lists.saved.map((h) => h.planId)).toEqual(['plan-1', 'plan-2', 'plan-3', 'plan-0']);
    expect(lists.viewed.map((h) => h.planId)).toEqual(['plan-0', 'plan-2']);
    expect(recentLists(hits, 2).saved).toHaveLength(2);
    const items = recentItems(lists);
    expect(items).toHaveLength(6);
    expect(new Set(items.map((i) => i.id)).size).toBe(6); // plan-2 is in both lists, with two option ids
    expect(items.every((i) => i.clauseId === null)).toBe(true);
  });

  it('describes a result by issuers, 文号 as written and date', () => {
    expect(hitMeta(hitOf(1), 'zh-CN')).toEqual(['北京市人民政府', '京政发[2016]4号', '2016-01-09']);
    expect(hitMeta(hitOf(3), 'zh-CN')).toEqual([]);
    expect(clausePathText(['二、', '(四)', '24。'], '打造大数据完整产业链')).toBe('二、(四)24。 打造大数据完整产业链');
    expect(clausePathText(['一、'], '')).toBe('一、');
  });

  it('reads the active tab status defensively', () => {
    const title = seedDoc(1).metadata.title!;
    const s = tabStatusFrom({ ok: true, title, kind: 'policy' });
    expect(tabStatusText('zh-CN', s)).toBe(`此页：《${title}》`);
    expect(tabStatusText('zh-CN', tabStatusFrom({ ok: false, reason: 'no-overlay' }))).toBe('此页不是政策文件');
    expect(tabStatusFrom(undefined)).toEqual({ state: 'none' });
    expect(tabStatusFrom({ ok: 'yes' })).toEqual({ state: 'none' });
    expect(tabStatusText('zh-CN', tabStatusFrom({ ok: true, title: null, kind: 'interpretation' }))).toBe(
      t('zh-CN', 'popup.pageUntitled', { kind: t('zh-CN', 'kind.interpretation') }),
    );
    expect(tabStatusText('en', { state: 'none' })).toBe(t('en', 'popup.notPolicy'));
  });
});
