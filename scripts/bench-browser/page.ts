// Entry of the search benchmark page: exposes the benchmark steps to the driver (scripts/bench-search.ts) on window.bench.
import { openLibrary, type LibraryDB } from '../../lib/library/db';
import { compactSearchIndex, dropSearchCache, indexPlanForSearch, rebuildSearchIndex, searchCacheBytes, searchIndexStats } from '../../lib/search/index';
import { search } from '../../lib/search/search';
import type { ExtractedDoc } from '../../lib/types';
import { buildIndex, POPUP_LIMIT, runQueries, runUpdates, writeSynthetic } from './core';

let db: LibraryDB | null = null;
let seeds: ExtractedDoc[] | null = null;

async function loadSeeds(): Promise<ExtractedDoc[]> {
  if (!seeds) seeds = (await (await fetch('/seeds.json')).json()) as ExtractedDoc[];
  return seeds;
}

async function open(name: string): Promise<LibraryDB> {
  if (!db || db.name !== name) {
    db?.close();
    db = await openLibrary(name);
  }
  return db;
}

function heap(): number | null {
  const g = globalThis as { gc?: () => void };
  g.gc?.();
  const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return m ? m.usedJSHeapSize : null;
}

const bench = {
  async write(name: string, n: number) {
    const d = await open(name);
    return writeSynthetic(d, await loadSeeds(), n);
  },
  /** Index every plan as a save does (one at a time, merging as it goes), from an empty index: a library built by saves and imports. */
  async writeBySaves(name: string, n: number) {
    const d = await open(name);
    await rebuildSearchIndex(d);
    let indexMs = 0;
    const w = await writeSynthetic(d, await loadSeeds(), n, 250, async (ids) => {
      const t0 = performance.now();
      for (const id of ids) await indexPlanForSearch(d, id);
      indexMs += performance.now() - t0;
    });
    return { plans: w.plans, chars: w.chars, indexMs: Math.round(indexMs), stats: await searchIndexStats(d) };
  },
  /** Merge the big segments a library built by saves has (what the background does after saves), timed. */
  async compact(name: string) {
    const d = await open(name);
    const before = await searchIndexStats(d);
    const t0 = performance.now();
    const merges = await compactSearchIndex(d);
    return { merges, ms: performance.now() - t0, before, after: await searchIndexStats(d) };
  },
  async build(name: string) {
    const d = await open(name);
    const before = heap();
    const f = await buildIndex(d);
    return { ...f, heapAfter: heap(), heapBefore: before };
  },
  async queries(name: string, runs: number) {
    const d = await open(name);
    return runQueries(d, runs);
  },
  async updates(name: string, n: number) {
    const d = await open(name);
    return runUpdates(d, await loadSeeds(), n);
  },
  async stats(name: string) {
    return searchIndexStats(await open(name));
  },
  /**
   * First query after a start: `t0` is when the driver navigated (epoch ms); opening the database and
   * the query are timed from this page's own start too.
   */
  async cold(name: string, query: string) {
    const sinceNavigation = performance.now();
    const heap0 = heap();
    const t0 = performance.now();
    const d = await open(name);
    const t1 = performance.now();
    const phases: Record<string, number> = {};
    const r = await search(d, query, { limit: POPUP_LIMIT, phases });
    const t2 = performance.now();
    const heap1 = heap();
    // A second, different query: still no postings of its own cached.
    const r2 = await search(d, '智慧城市', { limit: POPUP_LIMIT });
    const t3 = performance.now();
    return {
      pageStartMs: sinceNavigation,
      openMs: t1 - t0,
      firstQueryMs: t2 - t1,
      firstTotal: r.total,
      firstPhases: phases,
      secondQueryMs: t3 - t2,
      secondTotal: r2.total,
      cacheBytes: searchCacheBytes(d),
      heapDelta: heap0 !== null && heap1 !== null ? heap1 - heap0 : null,
    };
  },
  /** JS heap used by the index data this context holds after a round of queries (GC forced). */
  async memory(name: string) {
    const d = await open(name);
    dropSearchCache(d);
    const h0 = heap();
    for (const q of ['大数据', '云计算', '互联网 金融', '信息', '国发[2015]50号', '智慧城市']) await search(d, q, { limit: POPUP_LIMIT });
    const h1 = heap();
    return { heapDelta: h0 !== null && h1 !== null ? h1 - h0 : null, cacheBytes: searchCacheBytes(d) };
  },
  /** One search, timed in the page (for profiling a single query). */
  async query(name: string, q: string, dropPostings = true) {
    const d = await open(name);
    if (dropPostings) dropSearchCache(d, { postingsOnly: true });
    const t0 = performance.now();
    const r = await search(d, q, { limit: POPUP_LIMIT });
    return { ms: Math.round(performance.now() - t0), match: Math.round(r.matchMs ?? 0), hits: Math.round(r.hitsMs ?? 0), total: r.total };
  },
  /** Where a page of hits' read goes: plan rows, clause rows, both as hydrate reads them (for profiling). */
  async probe(name: string, q: string) {
    const d = await open(name);
    const r = await search(d, q, { limit: POPUP_LIMIT });
    const ids = r.hits.map((h) => h.planId);
    const t0 = performance.now();
    await d.plans.bulkGet(ids);
    const t1 = performance.now();
    await Promise.all(ids.map((id) => d.clauses.where('[planId+clauseId]').between([id, -Infinity], [id, []], true, true).toArray()));
    const t2 = performance.now();
    await d.searchDocs.bulkGet(ids);
    const t3 = performance.now();
    await d.transaction('r', [d.plans, d.clauses, d.searchDocs], () => Promise.all([d.plans.bulkGet(ids), ...ids.map((id) => d.clauses.where('[planId+clauseId]').between([id, -Infinity], [id, []], true, true).toArray())]));
    const t4 = performance.now();
    await d.transaction('r', [d.plans, d.clauses, d.searchDocs], () => Promise.all([d.plans.bulkGet(ids)]));
    const t5 = performance.now();
    const phases: Record<string, number> = {};
    dropSearchCache(d, { postingsOnly: true });
    await search(d, q, { limit: POPUP_LIMIT, phases });
    return { plans: t1 - t0, clauses: t2 - t1, docs: t3 - t2, both: t4 - t3, plansOnly: t5 - t4, phases };
  },
  close() {
    db?.close();
    db = null;
  },
};

(globalThis as unknown as { bench: typeof bench }).bench = bench;
document.title = 'search bench ready';
