// The search index in IndexedDB: build, rebuild (version, keys, unfinished), incremental updates, merges, restarts.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type LibraryDB } from '../lib/library/db';
import { deletePlan, markViewed, savePlan } from '../lib/library/store';
import {
  INDEX_VERSION,
  SEARCH_META_KEY,
  coverTrigrams,
  dropSearchCache,
  ensureSearchIndex,
  indexPlanForSearch,
  indexPlansForSearch,
  readManifest,
  rebuildSearchIndex,
  removePlanFromSearch,
  searchIndexStats,
  searchCacheBytes,
  prefetchSearchIndex,
  bigMergeCandidates,
  compactSearchIndex,
  mergeSegmentsStreaming,
  unpackMeta,
  packGrams,
  gramAt,
  type BuildProgress,
  type SearchManifest,
  type SegmentInfo,
} from '../lib/search/index';
import { hitRecord } from '../lib/search/hit-record';
import { scanSearch } from '../lib/search/scan';
import { describeHit, search, type SearchHit } from '../lib/search/search';
import { parseQuery } from '../lib/search/query';
import { searchKey } from '../lib/search/tokens';
import type { ExtractedDoc } from '../lib/types';
import { edited, seedDoc, simplifiedTwin } from './support/docs';
import { mulberry32 } from './support/prng';

let factory: IDBFactory;
let db: LibraryDB;
const open = () => openLibrary('search', { indexedDB: factory, IDBKeyRange });

beforeEach(async () => {
  factory = new IDBFactory();
  db = await open();
});

async function saveSeeds(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await savePlan(db, seedDoc(i), 'seed', { now: 1_000 + i })).id);
  return ids;
}

async function ids(query: string): Promise<string[]> {
  return (await search(db, query, { allIds: true })).ids ?? [];
}

async function setManifest(change: (m: SearchManifest) => void): Promise<void> {
  const m = (await readManifest(db))!;
  change(m);
  await db.meta.put({ key: SEARCH_META_KEY, value: m });
}

/** A document that is a seed with one real sentence of another seed appended (new text, nothing invented). */
function withSentence(doc: ExtractedDoc, sentence: string, title: string): ExtractedDoc {
  return edited(doc, (d) => {
    d.text = `${d.text}\n${sentence}`;
    d.metadata.title = title;
    d.metadata.docNumber = null;
  });
}

describe('building the index', () => {
  it('builds from the plans with progress, and answers from it', async () => {
    const [, , shanghai, , shenyang] = await saveSeeds();
    const progress: BuildProgress[] = [];
    const stats = await rebuildSearchIndex(db, { onProgress: (p) => progress.push(p) });
    expect(stats.plans).toBe(5);
    expect(progress[0]).toMatchObject({ phase: 'indexing', done: 0, total: 5 });
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'done', done: 5, total: 5 });
    expect(await searchIndexStats(db)).toMatchObject({ version: INDEX_VERSION, complete: true, plans: 5, dead: 0 });
    const r = await search(db, '大数据');
    expect(r.source).toBe('index');
    expect(r.hits.map((h) => h.planId)).toEqual(expect.arrayContaining([shanghai, shenyang]));
  });

  it('indexes a library too big for one pass in several, into one segment, and still answers exactly', async () => {
    await saveSeeds();
    const progress: BuildProgress[] = [];
    await rebuildSearchIndex(db, { segmentChars: 10_000, onProgress: (p) => progress.push(p) });
    // A pass per ~10,000 key characters after the first, each written as it ends.
    const passes = progress.find((p) => p.passes)!.passes!;
    expect(passes).toBeGreaterThan(3);
    expect(progress.filter((p) => p.phase === 'writing').map((p) => p.pass)).toEqual(Array.from({ length: passes - 1 }, (_, k) => k + 2));
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'done', done: 5, total: 5 });
    const m = (await readManifest(db))!;
    expect(m.segments.map((s) => s.id)).toEqual([0]);
    expect(new Set(await db.searchTerms.orderBy('seg').uniqueKeys())).toEqual(new Set([0]));
    for (const q of ['大数据', '網際網路', '京政发[2016]4号', '"行动计划"', '数']) {
      expect(await ids(q)).toEqual((await scanSearch(db, q, { allIds: true })).ids);
    }
  });

  it('writes exactly the rows of a one-pass build when it takes several passes', async () => {
    await saveSeeds();
    const rowsAfter = async (segmentChars: number) => {
      await rebuildSearchIndex(db, { segmentChars, batch: 2 });
      return (await db.searchTerms.toArray()).map((r) => ({ ...r, seg: 0 }));
    };
    // Each pass appends the grams of its range of first characters, pages packed across passes, the
    // heavy trigrams chosen from every pass: equal to the byte (a pass per plan's worth of characters, or a few).
    const one = await rowsAfter(1e9);
    expect(one.length).toBeGreaterThan(10);
    expect(await rowsAfter(3_000)).toEqual(one);
    expect(await rowsAfter(30_000)).toEqual(one);
  });

  it('builds when missing, and rebuilds an index of an older version, other keys or left unfinished', async () => {
    await saveSeeds();
    expect((await ensureSearchIndex(db)).action).toBe('rebuilt');
    expect((await ensureSearchIndex(db)).action).toBe('ready');
    for (const [change, reason] of [
      [(m: SearchManifest) => void (m.version = INDEX_VERSION - 1), `version ${INDEX_VERSION - 1} → ${INDEX_VERSION}`],
      [(m: SearchManifest) => void (m.keyHash = 'other'), 'keys changed'],
      [(m: SearchManifest) => void (m.complete = false), 'unfinished'],
    ] as const) {
      await setManifest(change);
      const before = (await readManifest(db))!.buildId;
      const progress: BuildProgress[] = [];
      const r = await ensureSearchIndex(db, { onProgress: (p) => progress.push(p) });
      expect(r).toMatchObject({ action: 'rebuilt', reason });
      expect((await readManifest(db))!.buildId).not.toBe(before);
      expect(progress.at(-1)).toMatchObject({ phase: 'done', done: 5 });
      expect(await ids('北京')).toHaveLength(3); // 000, 001, 003
    }
  });

  it('answers from the scan while no usable index exists, with the same result', async () => {
    await saveSeeds();
    const scanned = await search(db, '互联网');
    expect(scanned.source).toBe('scan');
    await rebuildSearchIndex(db);
    await setManifest((m) => void (m.version = INDEX_VERSION - 1));
    expect((await search(db, '互联网')).source).toBe('scan');
    await rebuildSearchIndex(db);
    const indexed = await search(db, '互联网');
    expect(indexed.source).toBe('index');
    expect(indexed.hits.map((h) => h.planId)).toEqual(scanned.hits.map((h) => h.planId));
  });

  it('answers a long key whose covering trigrams are in the segment but never in one plan', async () => {
    await saveSeeds();
    await rebuildSearchIndex(db);
    // From the seeds: abc in one seed only and bcd in another only, so no plan holds both trigrams.
    const keys = [0, 1, 2, 3, 4].map((i) => searchKey(seedDoc(i).text));
    const tris = keys.map((k) => {
      const set = new Set<string>();
      for (let i = 0; i + 3 <= k.length; i++) if (!/[\n()0-9a-z]/.test(k.slice(i, i + 3))) set.add(k.slice(i, i + 3));
      return set;
    });
    const found: string[] = [];
    for (let a = 0; a < 5 && found.length < 3; a++) {
      for (const t of tris[a]) {
        if (tris.some((s, i) => i !== a && s.has(t))) continue;
        for (let b = 0; b < 5 && found.length < 3; b++) {
          if (b === a) continue;
          const u = [...tris[b]].find((x) => x.startsWith(t.slice(1)) && !tris[a].has(x) && tris.every((s, i) => i === b || !s.has(x)));
          if (u) found.push(t + u[2]);
        }
        if (found.length >= 3) break;
      }
    }
    expect(found.length).toBeGreaterThan(0);
    for (const key of found) {
      expect(await ids(key)).toEqual([]);
      expect((await scanSearch(db, key, { allIds: true })).ids).toEqual([]);
    }
    // And one that is there: its positions are read.
    expect((await ids('数据开放')).length).toBe((await scanSearch(db, '数据开放', { allIds: true })).ids!.length);
  });

  it('survives a restart: a new connection answers without rebuilding', async () => {
    await saveSeeds();
    await rebuildSearchIndex(db);
    const before = await ids('云计算');
    const buildId = (await readManifest(db))!.buildId;
    db.close();
    dropSearchCache(db);
    db = await open();
    expect((await ensureSearchIndex(db)).action).toBe('ready');
    expect((await readManifest(db))!.buildId).toBe(buildId);
    expect(await ids('云计算')).toEqual(before);
  });

  it('prefetches the document tables and view after a start, and answers the same from them', async () => {
    await saveSeeds();
    await rebuildSearchIndex(db);
    const before = await search(db, '大数据 信息', { limit: 20 });
    db.close();
    dropSearchCache(db);
    db = await open();
    expect(searchCacheBytes(db)).toBe(0);
    await prefetchSearchIndex(db);
    // Document tables, the view and its joined titles and metadata: no postings yet.
    const prefetched = searchCacheBytes(db);
    expect(prefetched).toBeGreaterThan(0);
    const after = await search(db, '大数据 信息', { limit: 20 });
    expect(after.hits).toEqual(before.hits);
    expect(searchCacheBytes(db)).toBeGreaterThan(prefetched);
    // No index (never built, or being rebuilt): nothing to prefetch, and no error.
    await db.meta.delete(SEARCH_META_KEY);
    dropSearchCache(db);
    await expect(prefetchSearchIndex(db)).resolves.toBeUndefined();
    expect(searchCacheBytes(db)).toBe(0);
  });
});

/** The hits as described from the plans' own rows and clause rows (what a hit must equal). */
async function fromPlanRows(query: string, hits: SearchHit[]): Promise<SearchHit[]> {
  const q = parseQuery(query);
  return Promise.all(
    hits.map(async (h) => describeHit(q, hitRecord((await db.plans.get(h.planId))!), await db.clauses.where('planId').equals(h.planId).toArray(), h.score)),
  );
}

describe('hit rows kept with the index', () => {
  beforeEach(async () => {
    await saveSeeds();
    await rebuildSearchIndex(db);
  });

  it('hold the clause rows without their text and the plan hit record, and describe hits as the plan rows do', async () => {
    const plans = await db.plans.toArray();
    for (const p of plans) {
      const rows = (await db.clauses.where('planId').equals(p.id).toArray()).sort((a, b) => a.order - b.order);
      const doc = (await db.searchDocs.get(p.id))!;
      expect(doc.clauses.map((c) => [c.clauseId, c.start, c.end, c.label, c.heading, c.parentId])).toEqual(rows.map((c) => [c.clauseId, c.start, c.end, c.label, c.heading, c.parentId]));
      expect(doc.clauses.every((c) => !('text' in c))).toBe(true);
      expect(doc.hit).toEqual(hitRecord(p));
      expect(doc.hit.text.length).toBeGreaterThan(1000);
    }
    for (const query of ['大数据', '信息 安全', '国发〔2015〕50号']) {
      const r = await search(db, query, { limit: 20 });
      // The 文号 is cited in preambles, outside any clause.
      if (query !== '国发〔2015〕50号') expect(r.hits.some((h) => h.clauses.length > 0)).toBe(true);
      expect(r.hits.length).toBeGreaterThan(0);
      expect(r.hits).toEqual(await fromPlanRows(query, r.hits));
    }
  });

  it('are written by an incremental update too', async () => {
    const { id } = await savePlan(db, seedDoc(2), 'page', { now: 9_000 });
    expect(await indexPlanForSearch(db, id)).toBe('indexed');
    const rows = (await db.clauses.where('planId').equals(id).toArray()).sort((a, b) => a.order - b.order);
    const doc = (await db.searchDocs.get(id))!;
    expect(rows.length).toBeGreaterThan(0);
    expect(doc.updatedAt).toBe((await db.plans.get(id))!.updatedAt);
    expect(doc.clauses.map((c) => [c.clauseId, c.start, c.end])).toEqual(rows.map((c) => [c.clauseId, c.start, c.end]));
    expect(doc.hit).toEqual(hitRecord((await db.plans.get(id))!));
  });

  it('are written batch by batch in a rebuild, under the segment the build ends with', async () => {
    // Three plans: indexed in several passes (5,000 characters each), or in one. Either way the
    // rows were written batch by batch during the first pass, under the one segment.
    const keep = (await db.plans.toCollection().primaryKeys()).sort().slice(0, 3);
    await db.plans.where('id').noneOf(keep).delete();
    for (const options of [{ segmentChars: 5_000, batch: 2 }, { segmentChars: 1e9, batch: 1 }]) {
      await rebuildSearchIndex(db, options);
      const m = (await readManifest(db))!;
      expect(m.segments.length).toBe(1);
      const docs = await db.searchDocs.toArray();
      expect(docs.map((d) => d.planId).sort()).toEqual(keep);
      for (const d of docs) {
        const segRow = (await db.searchTerms.get(['', d.seg]))!;
        expect(unpackMeta(segRow.meta!).docs.planIds[unpackMeta(segRow.meta!).docs.ords.indexOf(d.ord)]).toBe(d.planId);
      }
      const r = await search(db, '大数据', { limit: 20 });
      expect(r.hits.length).toBeGreaterThan(0);
      expect(r.hits).toEqual(await fromPlanRows('大数据', r.hits));
    }
  });

  it('show the indexed version until the plan is re-indexed, and follow when it was viewed', async () => {
    const target = (await db.plans.toArray()).find((p) => p.doc.text.includes('大数据'))!;
    const before = (await search(db, '大数据', { limit: 20 })).hits.find((h) => h.planId === target.id)!;
    expect(before.viewedAt).toBeNull();
    // Changed in the plans table behind the index's back: the hit is still the version that matched.
    await db.plans.update(target.id, { title: '改过的标题', updatedAt: target.updatedAt + 1 });
    expect((await search(db, '大数据', { limit: 20 })).hits.find((h) => h.planId === target.id)!.title).toBe(before.title);
    expect(await indexPlanForSearch(db, target.id)).toBe('indexed');
    expect((await search(db, '大数据', { limit: 20 })).hits.find((h) => h.planId === target.id)!.title).toBe('改过的标题');
    // Viewed: the content is the same version, only the stamp moves.
    expect(await markViewed(db, target.id, { now: 77_000 })).toBe(true);
    expect(await indexPlanForSearch(db, target.id)).toBe('unchanged');
    const viewed = (await search(db, '大数据', { limit: 20 })).hits.find((h) => h.planId === target.id)!;
    expect(viewed.viewedAt).toBe(77_000);
    expect(viewed).toEqual((await fromPlanRows('大数据', [viewed]))[0]);
  });
});

describe('incremental updates', () => {
  beforeEach(async () => {
    await saveSeeds();
    await rebuildSearchIndex(db);
  });

  it('indexes a saved plan, follows a re-save with changed text, and drops a deleted plan', async () => {
    // A real paragraph of seed 004 (Shenyang) added to seed 003: only 004 and the new plan hold it.
    const doc = withSentence(seedDoc(3), seedDoc(4).text.split('\n').find((l) => l.includes('大数据运营公司'))!, '北京大数据和云计算发展行动计划解读');
    const { id } = await savePlan(db, doc, 'page', { now: 5_000 });
    expect(await indexPlanForSearch(db, id)).toBe('indexed');
    expect(new Set(await ids('大数据运营公司'))).toEqual(new Set([id, (await db.plans.where('key').equals('no:沈政办发〔2016〕23号').first())!.id]));
    // Re-saved with that paragraph gone: the old text no longer matches; a new one does.
    const changed = withSentence(seedDoc(3), seedDoc(1).text.split('\n').find((l) => l.includes('互联网+'))!, '北京大数据和云计算发展行动计划解读');
    await savePlan(db, changed, 'page', { now: 6_000 });
    expect(await indexPlanForSearch(db, id)).toBe('indexed');
    expect(await ids('大数据运营公司')).not.toContain(id);
    expect(await ids('互联网+')).toContain(id);
    expect(await indexPlanForSearch(db, id)).toBe('unchanged');
    // Deleted: gone from every answer.
    await deletePlan(db, id);
    expect(await removePlanFromSearch(db, id)).toBe('removed');
    expect(await ids('互联网+')).not.toContain(id);
    expect(await ids('大数据')).toEqual((await scanSearch(db, '大数据', { allIds: true })).ids);
    expect(await searchIndexStats(db)).toMatchObject({ plans: 5 });
  });

  it('merges small segments as plans keep coming, and every answer stays exact', async () => {
    const added: string[] = [];
    const lines = seedDoc(1).text.split('\n').filter((l) => l.length > 30);
    for (let i = 0; i < 18; i++) {
      const doc = withSentence(i % 2 ? simplifiedTwin(seedDoc(0)) : seedDoc(2), lines[i], `${seedDoc(i % 5).metadata.title}(${i + 1})`);
      const { id } = await savePlan(db, doc, 'import', { now: 10_000 + i });
      added.push(id);
      await indexPlanForSearch(db, id);
    }
    const stats = await searchIndexStats(db);
    expect(stats.plans).toBe(23);
    expect(stats.segments).toBeLessThan(10); // 18 one-plan segments merged in tiers
    for (const q of ['大數據', '网际网路', lines[3].slice(5, 10), '"大数据 产业"', '北京 资讯', '信息']) {
      expect(await ids(q)).toEqual((await scanSearch(db, q, { allIds: true })).ids);
    }
    // Delete most of them: mostly-dead segments are rewritten, answers stay exact.
    for (const id of added.slice(0, 14)) {
      await deletePlan(db, id);
      await removePlanFromSearch(db, id);
    }
    expect((await searchIndexStats(db)).plans).toBe(9);
    // Some segment still holds dead plans: the view skips them in every column, joined titles included.
    expect((await readManifest(db))!.segments.some((seg) => seg.dead.length > 0)).toBe(true);
    for (const q of ['大數據', lines[3].slice(5, 10), lines[15].slice(3, 9), '(16)', '大数据 site:beijing', 'kind:通知 数据', '京政发[2016]57号', 'year:2015-2017 发展']) {
      const found = await ids(q);
      expect(found.length).toBeGreaterThan(0);
      expect(found).toEqual((await scanSearch(db, q, { allIds: true })).ids);
    }
  });

  it('matches titles of the plans on both sides of a dead one in the middle of a segment', async () => {
    // Six plans in one segment, titled with words found nowhere else; the third and fifth are then deleted.
    const titles = ['甲乙丙丁专项方案', '戊己庚辛专项方案', '壬癸子丑专项方案', '寅卯辰巳专项方案', '午未申酉专项方案', '戌亥乾坤专项方案'];
    const planIds: string[] = [];
    for (const [i, title] of titles.entries()) planIds.push((await savePlan(db, withSentence(seedDoc(i % 5), '', title), 'import', { now: 20_000 + i })).id);
    await rebuildSearchIndex(db);
    for (const i of [2, 4]) {
      await deletePlan(db, planIds[i]);
      await removePlanFromSearch(db, planIds[i]);
    }
    expect((await readManifest(db))!.segments.some((seg) => seg.dead.length === 2)).toBe(true);
    dropSearchCache(db);
    for (const [i, title] of titles.entries()) {
      expect(await ids(title.slice(0, 4))).toEqual(i === 2 || i === 4 ? [] : [planIds[i]]);
    }
  });

  it('indexes an import in one go, and catches plans written without telling the index', async () => {
    const a = (await savePlan(db, withSentence(seedDoc(2), seedDoc(4).text.split('\n')[20], '上海市大数据发展实施意见(修订)'), 'import')).id;
    const b = (await savePlan(db, withSentence(seedDoc(4), seedDoc(0).text.split('\n')[30], '沈阳市促进大数据发展三年行动计划(修订)'), 'import')).id;
    expect(await indexPlansForSearch(db, [a, b])).toEqual(['indexed', 'indexed']);
    const c = (await savePlan(db, withSentence(seedDoc(3), seedDoc(1).text.split('\n')[25], '大数据行动计划解读(二)'), 'import')).id;
    await db.plans.delete(a); // gone without removePlanFromSearch
    const r = await ensureSearchIndex(db);
    expect(r.action).toBe('reconciled');
    expect(await ids('大数据')).toEqual(expect.arrayContaining([b, c]));
    expect(await ids('大数据')).not.toContain(a);
  });

  it('queues changes made while a rebuild runs and applies them when it ends', async () => {
    await setManifest((m) => void (m.complete = false));
    const { id } = await savePlan(db, withSentence(seedDoc(3), seedDoc(4).text.split('\n')[12], '大数据发布会实录'), 'page');
    expect(await indexPlanForSearch(db, id)).toBe('pending');
    expect((await readManifest(db))!.pending).toEqual([id]);
    await rebuildSearchIndex(db);
    expect((await readManifest(db))!.pending).toEqual([]);
    expect(await ids('大数据发布会实录')).toEqual([id]);
  });

  it('does nothing before an index exists (ensureSearchIndex builds it)', async () => {
    await db.meta.delete(SEARCH_META_KEY);
    const { id } = await savePlan(db, withSentence(seedDoc(3), seedDoc(4).text.split('\n')[12], '大数据发布会实录'), 'page');
    expect(await indexPlanForSearch(db, id)).toBe('needs-rebuild');
    expect((await ensureSearchIndex(db)).action).toBe('rebuilt');
    expect(await ids('大数据发布会实录')).toEqual([id]);
  });
});

describe('merging big segments in the background', () => {
  /** Every row but the segment it names (merged rows and rebuilt rows differ only in that). */
  const rowsWithoutSeg = async (d: LibraryDB) => (await d.searchTerms.toArray()).map((r) => ({ ...r, seg: 0 })).sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  const segIdsOfRows = async (d: LibraryDB) => new Set(await d.searchTerms.orderBy('seg').uniqueKeys());
  const listedSegs = async (d: LibraryDB) => new Set((await readManifest(d))!.segments.map((s) => s.id));

  /**
   * The seeds and four more plans, indexed in three segments of 1, 6 and 2 plans: two of size tier 0
   * and one that stays in tier 1 with two plans dead, so a save's own merging leaves them alone.
   */
  async function threeSegments(): Promise<string[]> {
    await rebuildSearchIndex(db);
    const planIds = await saveSeeds();
    planIds.push((await savePlan(db, withSentence(simplifiedTwin(seedDoc(1)), '', '網際網路+行動計劃(繁體)'), 'import', { now: 2_000 })).id);
    planIds.push((await savePlan(db, withSentence(seedDoc(3), seedDoc(0).text.split('\n')[12], '大数据行动计划解读(三)'), 'import', { now: 2_001 })).id);
    planIds.push((await savePlan(db, withSentence(seedDoc(0), seedDoc(2).text.split('\n')[8], '北京市信息化发展规划(修订)'), 'import', { now: 2_002 })).id);
    planIds.push((await savePlan(db, withSentence(seedDoc(2), seedDoc(4).text.split('\n')[9], '上海市大数据发展实施意见(修订)'), 'import', { now: 2_003 })).id);
    await indexPlansForSearch(db, planIds.slice(0, 1));
    await indexPlansForSearch(db, planIds.slice(1, 7));
    await indexPlansForSearch(db, planIds.slice(7));
    expect(new Set(planIds).size).toBe(9);
    expect((await readManifest(db))!.segments.map((s) => s.docs)).toEqual([1, 6, 2]);
    return planIds;
  }

  it('writes exactly the rows one rebuild of the same plans writes', async () => {
    // One rebuild of seven plans: its rows, and the order it gave the plans (their ords).
    const planIds = await saveSeeds();
    planIds.push((await savePlan(db, simplifiedTwin(seedDoc(1)), 'import', { now: 2_000 })).id);
    planIds.push((await savePlan(db, withSentence(seedDoc(3), seedDoc(0).text.split('\n')[12], '大数据行动计划解读(三)'), 'import', { now: 2_001 })).id);
    await rebuildSearchIndex(db);
    const rebuilt = await rowsWithoutSeg(db);
    const inOrd = (await db.searchDocs.toArray()).sort((x, y) => x.ord - y.ord).map((r) => r.planId);
    // The same plans in another library, indexed in that order as three segments, then merged by streaming.
    const db2 = await openLibrary('search-2', { indexedDB: factory, IDBKeyRange });
    await rebuildSearchIndex(db2);
    await db2.plans.bulkPut((await db.plans.bulkGet(inOrd)).map((r) => r!));
    await db2.clauses.bulkPut(await db.clauses.toArray());
    for (const batch of [inOrd.slice(0, 2), inOrd.slice(2, 4), inOrd.slice(4)]) await indexPlansForSearch(db2, batch);
    const segs = (await readManifest(db2))!.segments.map((s) => s.id);
    expect(segs).toHaveLength(3);
    expect(await mergeSegmentsStreaming(db2, segs)).toBe(true);
    expect((await readManifest(db2))!.segments).toHaveLength(1);
    expect(await segIdsOfRows(db2)).toEqual(await listedSegs(db2));
    expect(await rowsWithoutSeg(db2)).toEqual(rebuilt);
    const db1 = db;
    db = db2;
    for (const q of ['大数据', '網際網路', '京政发[2016]4号', '"行动计划"', '数', '大数据行动计划解读']) {
      expect(await ids(q)).toEqual((await scanSearch(db2, q, { allIds: true })).ids);
    }
    db = db1;
    db2.close();
  });

  it('keeps plans deleted or re-saved during the merge out of its answers, and later deletes too', async () => {
    const planIds = await threeSegments();
    const segs = (await readManifest(db))!.segments.map((s) => s.id);
    const resaved = edited(seedDoc(2), (d) => (d.text = `${d.text}\n新增一段关于元宇宙的表述`));
    let calls = 0;
    const merged = await mergeSegmentsStreaming(db, segs, {
      onProgress: async () => {
        // The pages are written, the swap not yet done: a delete and a re-save land now.
        if (calls++) return;
        // Both in the segment of six: four live plans keep it in its tier, so the saves' own merging leaves it alone.
        await deletePlan(db, planIds[1]);
        await removePlanFromSearch(db, planIds[1]);
        await savePlan(db, resaved, 'page', { now: 3_000 });
        await indexPlanForSearch(db, planIds[2]);
      },
    });
    expect(merged).toBe(true);
    const m = (await readManifest(db))!;
    expect(m.moved).toMatchObject(Object.fromEntries(segs.map((id) => [id, expect.any(Number)])));
    for (const q of ['大数据', '元宇宙', '網際網路', seedDoc(1).metadata.title!.slice(0, 8), '数']) {
      expect(await ids(q)).toEqual((await scanSearch(db, q, { allIds: true })).ids);
    }
    expect(await ids('元宇宙')).toEqual([planIds[2]]);
    expect(await ids(seedDoc(1).metadata.title!.slice(0, 8))).not.toContain(planIds[1]);
    // A plan of the merged segment deleted after the swap: its searchDocs row names an old segment, `moved` finds the new one.
    await deletePlan(db, planIds[5]);
    expect(await removePlanFromSearch(db, planIds[5])).toBe('removed');
    for (const q of ['大数据', '京政发', '数']) expect(await ids(q)).toEqual((await scanSearch(db, q, { allIds: true })).ids);
    expect((await searchIndexStats(db)).plans).toBe(7);
  });

  it('gives up, removing what it wrote, when a rebuild starts meanwhile', async () => {
    await threeSegments();
    const segs = (await readManifest(db))!.segments.map((s) => s.id);
    const merged = await mergeSegmentsStreaming(db, segs, { onProgress: () => rebuildSearchIndex(db).then(() => undefined) });
    expect(merged).toBe(false);
    expect((await readManifest(db))!.segments).toHaveLength(1);
    expect(await segIdsOfRows(db)).toEqual(await listedSegs(db));
    expect(await ids('大数据')).toEqual((await scanSearch(db, '大数据', { allIds: true })).ids);
  });

  it('chooses MERGE_FACTOR big segments of one size tier, smallest tier first', () => {
    const seg = (id: number, chars: number): SegmentInfo => ({ id, docs: 1, chars, dead: [], bytes: 0 });
    const big = 10_000_000;
    expect(bigMergeCandidates([seg(0, big), seg(1, big), seg(2, big), seg(3, 5_000)])).toBeNull();
    expect(bigMergeCandidates([seg(0, 10), seg(1, 12), seg(2, 11)], { minChars: 10, factor: 3 })).toEqual([0, 1, 2]);
    expect(bigMergeCandidates([seg(5, big * 1.2), seg(1, big * 4.5), seg(2, big), seg(3, big * 1.5), seg(4, big * 3.9), seg(9, 100)])).toEqual([2, 3, 4, 5]);
    expect(bigMergeCandidates([seg(1, big * 4), seg(2, big * 5), seg(3, big * 6), seg(4, big * 7), seg(5, big)])).toEqual([1, 2, 3, 4]);
  });

  it('compacts until no size tier holds enough, and first removes rows a stopped merge left', async () => {
    // Three segments of two plans of one body (titles differ): one size tier.
    await rebuildSearchIndex(db);
    for (let seg = 0; seg < 3; seg++) {
      const pair: string[] = [];
      for (let k = 0; k < 2; k++) pair.push((await savePlan(db, withSentence(seedDoc(0), '', `北京市数据开放方案(${seg * 2 + k + 1})`), 'import', { now: 5_000 + seg * 2 + k })).id);
      await indexPlansForSearch(db, pair);
    }
    const before = (await readManifest(db))!.segments;
    expect(before).toHaveLength(3);
    // Rows of a segment the manifest does not list: what a worker stopped mid-merge leaves.
    await db.searchTerms.put({ term: 'L0', seg: 999, grams: 'abc', offs: new Uint32Array([0, 0]), data: new Uint8Array(0) });
    // Every segment counts as big here, and three of a tier merge.
    const policy = { minChars: Math.min(...before.map((s) => s.chars)), factor: 3 };
    expect(bigMergeCandidates(before, policy)).toEqual(before.map((s) => s.id));
    expect(await compactSearchIndex(db, policy)).toBe(1);
    expect((await readManifest(db))!.segments).toHaveLength(1);
    expect(await segIdsOfRows(db)).toEqual(await listedSegs(db));
    for (const q of ['大数据', '数据开放方案(5)', '北京']) expect(await ids(q)).toEqual((await scanSearch(db, q, { allIds: true })).ids);
    expect(await ids('数据开放方案(5)')).toHaveLength(1);
  });
});

describe('packed gram lists', () => {
  it('keep string order and give every gram back, for grams of 1–3 units (CJK, ASCII, surrogate halves)', () => {
    const units = ['大', '数', '據', 'a', '0', '(', '\u{20000}'[0], '\u{20000}'[1], '〔', '号'];
    const rnd = mulberry32(7);
    const grams = new Set<string>();
    while (grams.size < 400) {
      const len = 1 + Math.floor(rnd() * 3);
      let g = '';
      for (let k = 0; k < len; k++) g += units[Math.floor(rnd() * units.length)];
      grams.add(g);
    }
    const sorted = [...grams].sort();
    const packed = packGrams(sorted);
    expect(packed.length).toBe(sorted.length * 3);
    expect(sorted.map((_, i) => gramAt(packed, i))).toEqual(sorted);
    // Padded slices sort as the grams do: binary search over the packed string finds what the array would.
    const slices = sorted.map((_, i) => packed.slice(i * 3, i * 3 + 3));
    expect([...slices].sort()).toEqual(slices);
    expect(() => packGrams(['大数据库'])).toThrow(/4 units/);
  });
});

describe('coverTrigrams', () => {
  it('covers every character, preferring light trigrams', () => {
    const weights: Record<string, number> = { '国发(': 5, '发(2': 1, '(20': 900, '201': 1000, '015': 300, '15)': 2, '5)5': 1, ')50': 3, '50号': 2 };
    const key = '国发(2015)50号';
    const cover = coverTrigrams(key, (t) => weights[t] ?? 0);
    const covered = new Set(cover.flatMap((o) => [o, o + 1, o + 2]));
    for (let i = 0; i < key.length; i++) expect(covered.has(i)).toBe(true);
    expect(cover.map((o) => key.slice(o, o + 3))).not.toContain('201');
    expect(coverTrigrams('大数据产', () => 1)).toEqual([0, 1]);
  });
});
