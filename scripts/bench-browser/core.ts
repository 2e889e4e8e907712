// The search benchmark's measurements, the same code in Node (fake-indexeddb) and in the Chromium page (real IndexedDB).
import type { ClauseRow, LibraryDB, PlanRow } from '../../lib/library/db';
import { clauseRows, planRow } from '../../lib/library/store';
import { parseQuery, type ParsedQuery } from '../../lib/search/query';
import { dropSearchCache, rebuildSearchIndex, searchCacheBytes, searchIndexStats, indexPlanForSearch } from '../../lib/search/index';
import { search } from '../../lib/search/search';
import { ScanAccumulator, scanDoc } from '../../lib/search/scan';
import type { ExtractedDoc } from '../../lib/types';
import { BENCH_QUERIES, chunksOf, synthPlan } from './synth';
import { PAGE_SIZE, SEARCH_DEBOUNCE_MS } from '../../components/popup-model';

const now = () => performance.now();

/** The page size the popup asks for, default clauses per hit: the timed query is the popup's. */
export const POPUP_LIMIT = PAGE_SIZE;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface WriteFigures {
  plans: number;
  /** Characters of plan text written. */
  chars: number;
  ms: number;
}

/** Write `n` synthetic plans straight into the tables (bulk, as an import would), in batches; `afterBatch` runs after each (its time counts in `ms`). */
export async function writeSynthetic(db: LibraryDB, seeds: ExtractedDoc[], n: number, batch = 250, afterBatch?: (planIds: string[]) => Promise<void>): Promise<WriteFigures> {
  const t0 = now();
  const chunks = seeds.map(chunksOf);
  let chars = 0;
  for (let from = 0; from < n; from += batch) {
    const plans: PlanRow[] = [];
    const clauses: ClauseRow[] = [];
    for (let i = from; i < Math.min(n, from + batch); i++) {
      const p = synthPlan(seeds, chunks, i);
      const id = `plan-${String(i).padStart(6, '0')}`;
      const row = planRow(p.doc, { id, source: 'import', savedAt: p.savedAt, updatedAt: p.savedAt, viewedAt: p.viewedAt }, `synthetic:${i}`);
      plans.push(row);
      clauses.push(...clauseRows(id, p.doc.clauses));
      chars += p.doc.text.length;
    }
    await db.transaction('rw', [db.plans, db.clauses], async () => {
      await db.plans.bulkPut(plans);
      await db.clauses.bulkPut(clauses);
    });
    await afterBatch?.(plans.map((p) => p.id));
  }
  return { plans: n, chars, ms: round(now() - t0) };
}

export interface BuildFigures {
  ms: number;
  bytes: number;
  segments: number;
}

export async function buildIndex(db: LibraryDB): Promise<BuildFigures> {
  const t0 = now();
  const s = await rebuildSearchIndex(db);
  return { ms: round(now() - t0), bytes: s.bytes, segments: s.segments };
}

export interface QueryFigure {
  q: string;
  what: string;
  total: number;
  /** Median and worst of the timed runs (postings not cached: each run reads its rows from IndexedDB). */
  ms: number;
  maxMs: number;
  /** Same query again with its postings cached (typing on). */
  cachedMs: number;
  /** The scan of the same query: reading every plan + keying + matching, and matching alone. */
  scanMs: number;
  scanMatchMs: number;
  /** Plans in one answer and not the other (must be 0), and whether the rank order agrees. */
  mismatches: number;
  sameOrder: boolean;
}

export interface QueryRunFigures {
  queries: QueryFigure[];
  p50: number;
  p95: number;
  cachedP50: number;
  cachedP95: number;
  scanP50: number;
  scanP95: number;
  scanMatchP50: number;
  scanMatchP95: number;
  /** scan p50 / index p50 (how many times faster the index is), also against the in-memory match alone. */
  ratio: number;
  ratioMatchOnly: number;
  scanReadMs: number;
  scanKeyMs: number;
  mismatches: number;
  orderMismatches: number;
  /** Bytes this context holds for the index after the runs (document tables, view, cached postings). */
  cacheBytes: number;
  /** Mean ms per phase (lib/search SearchOptions.phases) over all uncached runs, and over the slowest 5% of them. */
  phases: { mean: Record<string, number>; slowest: Record<string, number> };
}

/**
 * Time the fixed queries through the index, then scan every plan once for all of them and compare.
 * Timed queries are `pauseMs` apart, as the popup sends them (it searches only after SEARCH_DEBOUNCE_MS
 * without a keystroke): back to back, each query would also pay for the previous one's garbage.
 */
export async function runQueries(db: LibraryDB, runs = 5, queries = BENCH_QUERIES, pauseMs = SEARCH_DEBOUNCE_MS): Promise<QueryRunFigures> {
  const pause = () => (pauseMs > 0 ? new Promise<void>((r) => setTimeout(r, pauseMs)) : Promise.resolve());
  // Warm up: the view and the code paths of each kind of query (2-character, positional, 文号, several
  // terms), with queries other than the measured ones: "once warm" is after the JIT has seen them.
  for (const q of ['规划', '数字经济', '国办发〔2016〕1号', '政务 共享']) await search(db, q, { limit: POPUP_LIMIT });
  dropSearchCache(db, { postingsOnly: true });
  const idsOf = new Map<string, string[]>();
  const times = new Map<string, number[]>();
  const cached = new Map<string, number[]>();
  for (const { q } of queries) {
    const r = await search(db, q, { limit: POPUP_LIMIT, allIds: true });
    idsOf.set(q, r.ids ?? []);
  }
  const runPhases: Array<{ ms: number; phases: Record<string, number> }> = [];
  for (let run = 0; run < runs; run++) {
    for (const { q } of queries) {
      dropSearchCache(db, { postingsOnly: true });
      await pause();
      const phases: Record<string, number> = {};
      let t = now();
      await search(db, q, { limit: POPUP_LIMIT, phases });
      const ms = now() - t;
      (times.get(q) ?? times.set(q, []).get(q)!).push(ms);
      phases.total = ms;
      runPhases.push({ ms, phases });
      await pause();
      t = now();
      await search(db, q, { limit: POPUP_LIMIT });
      (cached.get(q) ?? cached.set(q, []).get(q)!).push(now() - t);
    }
  }
  const cacheBytes = searchCacheBytes(db);
  const meanOf = (xs: typeof runPhases) => {
    const m: Record<string, number> = {};
    for (const x of xs) for (const [k, v] of Object.entries(x.phases)) m[k] = (m[k] ?? 0) + v / xs.length;
    for (const k of Object.keys(m)) m[k] = round(m[k], 2);
    return m;
  };
  const slowest = [...runPhases].sort((a, b) => b.ms - a.ms).slice(0, Math.max(1, Math.ceil(runPhases.length / 20)));
  const phases = { mean: meanOf(runPhases), slowest: meanOf(slowest) };
  // One pass over every plan feeds the scan of every query; reading and keying are shared and timed apart.
  const parsed: ParsedQuery[] = queries.map(({ q }) => parseQuery(q));
  const accs = parsed.map((p) => new ScanAccumulator(p));
  const matchMs = queries.map(() => 0);
  let readMs = 0;
  let keyMs = 0;
  let t = now();
  let last: string | null = null;
  for (;;) {
    const rows: PlanRow[] = await (last === null ? db.plans.orderBy(':id').limit(200).toArray() : db.plans.where(':id').above(last).limit(200).toArray());
    readMs += now() - t;
    if (!rows.length) break;
    for (const row of rows) {
      t = now();
      const d = scanDoc(row);
      keyMs += now() - t;
      accs.forEach((a, i) => {
        const t1 = now();
        a.add(d);
        matchMs[i] += now() - t1;
      });
    }
    last = rows[rows.length - 1].id;
    t = now();
  }
  const figures: QueryFigure[] = queries.map(({ q, what }, i) => {
    const t1 = now();
    const ranked = accs[i].ranked();
    matchMs[i] += now() - t1;
    const scanIds = ranked.map((r) => r.planId);
    const ids = idsOf.get(q)!;
    const a = new Set(ids);
    const b = new Set(scanIds);
    let mismatches = 0;
    for (const id of a) if (!b.has(id)) mismatches++;
    for (const id of b) if (!a.has(id)) mismatches++;
    const ts = times.get(q)!;
    return {
      q,
      what,
      total: ids.length,
      ms: round(percentile(ts, 50), 2),
      maxMs: round(Math.max(...ts), 2),
      cachedMs: round(percentile(cached.get(q)!, 50), 2),
      scanMs: round(readMs + keyMs + matchMs[i]),
      scanMatchMs: round(matchMs[i], 2),
      mismatches,
      sameOrder: ids.length === scanIds.length && ids.every((id, k) => id === scanIds[k]),
    };
  });
  const all = [...times.values()].flat();
  const allCached = [...cached.values()].flat();
  const scan = figures.map((f) => f.scanMs);
  const scanMatch = figures.map((f) => f.scanMatchMs);
  const p50 = percentile(all, 50);
  return {
    queries: figures,
    p50: round(p50, 2),
    p95: round(percentile(all, 95), 2),
    cachedP50: round(percentile(allCached, 50), 2),
    cachedP95: round(percentile(allCached, 95), 2),
    scanP50: round(percentile(scan, 50)),
    scanP95: round(percentile(scan, 95)),
    scanMatchP50: round(percentile(scanMatch, 50), 2),
    scanMatchP95: round(percentile(scanMatch, 95), 2),
    ratio: round(percentile(scan, 50) / p50),
    ratioMatchOnly: round(percentile(scanMatch, 50) / p50, 2),
    scanReadMs: round(readMs),
    scanKeyMs: round(keyMs),
    mismatches: figures.reduce((n, f) => n + f.mismatches, 0),
    orderMismatches: figures.filter((f) => !f.sameOrder).length,
    cacheBytes,
    phases,
  };
}

export interface UpdateFigures {
  /** Re-index one re-saved plan, index one new plan, remove one deleted plan (ms each). */
  resaveMs: number;
  addMs: number;
  deleteMs: number;
}

/** Incremental updates on a built index: a re-save, an added plan and a delete. */
export async function runUpdates(db: LibraryDB, seeds: ExtractedDoc[], n: number): Promise<UpdateFigures> {
  const chunks = seeds.map(chunksOf);
  const id0 = 'plan-000000';
  const row0 = (await db.plans.get(id0))!;
  await db.plans.put({ ...row0, updatedAt: row0.updatedAt + 1 });
  let t = now();
  await indexPlanForSearch(db, id0);
  const resaveMs = now() - t;
  const p = synthPlan(seeds, chunks, n + 1);
  const id = `plan-${n + 1}`;
  await db.plans.put(planRow(p.doc, { id, source: 'page', savedAt: p.savedAt, updatedAt: p.savedAt, viewedAt: null }, `synthetic:${n + 1}`));
  t = now();
  await indexPlanForSearch(db, id);
  const addMs = now() - t;
  await db.plans.delete(id);
  t = now();
  await indexPlanForSearch(db, id);
  const deleteMs = now() - t;
  return { resaveMs: round(resaveMs), addMs: round(addMs), deleteMs: round(deleteMs) };
}

export { searchIndexStats };
