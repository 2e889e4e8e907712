// Search over the real seeds: scripts and Taiwan phrasing, 文号 forms, AND terms, phrases, filters, recent plans, hits; index ≡ scan.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLibrary, type LibraryDB } from '../lib/library/db';
import { markViewed, savePlan } from '../lib/library/store';
import { rebuildSearchIndex } from '../lib/search/index';
import { parseQuery } from '../lib/search/query';
import { scanSearch } from '../lib/search/scan';
import { compareRanked, search, topOf, type Ranked, type SearchHit } from '../lib/search/search';
import { searchKey } from '../lib/search/tokens';
import type { ExtractedDoc } from '../lib/types';
import { edited, seedDoc, simplifiedTwin } from './support/docs';
import { mulberry32 } from './support/prng';

let db: LibraryDB;
/** Plan ids by name: seed0..seed4, the Simplified twin of seed 0 and 2, and a Taiwan-only passage of seed 0. */
const id: Record<string, string> = {};

/** Seed 0 cut down to its lines that say 資訊 and never 信息 (real text, Taiwan phrasing only). */
function taiwanOnly(): ExtractedDoc {
  return edited(seedDoc(0), (d) => {
    const lines = d.text.split('\n').filter((l) => l.includes('資訊') && !l.includes('信息') && !l.includes('信息化'));
    d.text = lines.join('\n');
    d.blocks = [];
    d.clauses = [];
    d.citations = [];
    d.metadata.title = lines[0].slice(0, 20);
    d.metadata.docNumber = null;
    d.metadata.issuers = [];
    d.metadata.signature = [];
    d.detection = { ...d.detection, site: 'generic', genre: null };
  });
}

beforeAll(async () => {
  db = await openLibrary('search', { indexedDB: new IDBFactory(), IDBKeyRange });
  for (let i = 0; i < 5; i++) id[`seed${i}`] = (await savePlan(db, seedDoc(i), 'seed', { now: 1_000 + i })).id;
  // Twins under their own identity (a 文号 of their own would merge them with the original).
  const twin = (n: number) => edited(simplifiedTwin(seedDoc(n)), (d) => (d.metadata.title = `${d.metadata.title}(简体)`));
  id.twin0 = (await savePlan(db, edited(twin(0), (d) => (d.metadata.docNumber = null)), 'page', { now: 2_000 })).id;
  id.twin2 = (await savePlan(db, twin(2), 'page', { now: 2_001 })).id;
  id.taiwan = (await savePlan(db, taiwanOnly(), 'page', { now: 2_002 })).id;
  await rebuildSearchIndex(db);
});

const names = (ids: string[] | undefined) => (ids ?? []).map((x) => Object.keys(id).find((k) => id[k] === x) ?? x);
async function found(query: string, options = {}): Promise<string[]> {
  const r = await search(db, query, { ...options, allIds: true });
  expect(r.source).toBe('index');
  return names(r.ids);
}

describe('scripts and phrasing', () => {
  it('finds Traditional text for a Simplified query and the reverse', async () => {
    expect(await found('大数据')).toEqual(expect.arrayContaining(['seed2', 'seed0', 'seed4']));
    expect(await found('大數據')).toEqual(await found('大数据'));
    expect(await found('上海市大数据发展实施意见')).toEqual(expect.arrayContaining(['seed2', 'twin2']));
  });

  it('finds Taiwan phrasing for a mainland query (互联网 → 網際網路, 信息 → 資訊)', async () => {
    const internet = await found('互联网');
    expect(internet).toContain('seed0'); // it says only 網際網路
    expect(seedDoc(0).text.includes('互联网')).toBe(false);
    expect(await found('信息')).toContain('taiwan');
    expect(await found('網際網路')).toEqual(internet);
  });
});

describe('文号', () => {
  it('finds a document by its 文号 in any bracket form, the document itself first', async () => {
    for (const q of ['京政发[2016]57号', '京政發〔2016〕57號', '京政发【2016】57号', '京政发(2016)57号', '京政发 〔2016〕 57号']) {
      const r = await search(db, q, { allIds: true });
      expect(names(r.ids)[0]).toBe('seed0');
    }
    expect((await found('京政發〔2016〕4號'))[0]).toBe('seed1');
  });

  it('finds the documents citing a 文号, whatever brackets they wrote', async () => {
    expect(await found('国发[2015]50号')).toEqual(['seed4']);
    expect(await found('國發〔2015〕50號')).toEqual(['seed4']);
    expect(await found('国发（2015）40号')).toEqual(['seed1']);
  });
});

describe('terms, phrases, filters', () => {
  it('narrows with every further term (AND)', async () => {
    const bigData = await found('大数据');
    const both = await found('大数据 沈阳');
    expect(both).toEqual(['seed4']);
    expect(bigData.length).toBeGreaterThan(both.length);
  });

  it('matches a quoted phrase only where its words are adjacent', async () => {
    const and = await found('行动 计划');
    const phrase = await found('"行动 计划"');
    expect(phrase).toEqual(expect.arrayContaining(['seed3', 'seed4']));
    expect(and.length).toBeGreaterThan(phrase.length);
    expect(await found('"北京 沈阳"')).toEqual([]);
  });

  it('filters by typed prefixes and by the chips alike', async () => {
    expect(new Set(await found('issuer:北京市人民政府'))).toEqual(new Set(['seed0', 'seed1', 'twin0']));
    expect(new Set(await found('机关：上海'))).toEqual(new Set(['seed2', 'twin2'])); // the signer counts
    expect(await found('大数据 site:shenyang')).toEqual(['seed4']);
    expect(await found('大数据', { filters: { sites: ['沈阳'] } })).toEqual(['seed4']);
    expect(await found('类型:解读')).toEqual(['seed3']);
    expect(new Set(await found('kind:通知 大数据'))).toEqual(new Set(['seed0', 'seed4', 'twin0']));
    // 成文日期: 000 2016-12-01, 001 2016-01-09, 002 2016-09-15, 004 2016-02-04; 003 has none.
    expect(await found('year:2017')).toEqual([]);
    expect(new Set(await found('年份:2016 网站:北京'))).toEqual(new Set(['seed0', 'seed1', 'twin0']));
    expect(await found('互联网', { filters: { yearFrom: 2016, yearTo: 2016, issuers: ['北京市人民政府'] } })).toEqual(expect.arrayContaining(['seed1', 'seed0']));
  });
});

describe('hits', () => {
  const keysOf = (q: string) => parseQuery(q).terms.flatMap((t) => t.keys);
  const marked = (text: string, marks: Array<{ start: number; end: number }>) => marks.map((m) => searchKey(text.slice(m.start, m.end)));

  it('give title, issuer, 文号, date and a snippet whose marks cover the matched words', async () => {
    const r = await search(db, '京政发[2016]57号 网际网路');
    const h = r.hits[0] as SearchHit;
    expect(h.planId).toBe(id.seed0);
    expect(h).toMatchObject({ issuers: ['北京市人民政府'], docNumber: '京政發〔2016〕57號', date: '2016-12-01', site: 'beijing', kind: 'policy' });
    expect(h.snippet).not.toBeNull();
    const keys = keysOf('京政发[2016]57号 网际网路');
    expect(h.snippet!.marks.length).toBeGreaterThan(0);
    for (const k of marked(h.snippet!.text, h.snippet!.marks)) expect(keys.some((key) => k.includes(key))).toBe(true);
    expect(seedDoc(0).text.slice(h.snippet!.start, h.snippet!.end).replace(/\n/g, ' ')).toBe(h.snippet!.text);
  });

  it('mark the title and list the clauses holding the terms', async () => {
    const r = await search(db, '大數據 資源');
    const h = r.hits.find((x) => x.planId === id.seed2)!;
    expect(marked(h.title!, h.titleMarks)).toEqual(['大数据']);
    expect(h.clauses.length).toBeGreaterThan(0);
    const c = h.clauses[0];
    expect(c.terms).toBe(2);
    const span = searchKey(seedDoc(2).text.slice(c.start, c.end));
    expect(span.includes('大数据') && span.includes('资源')).toBe(true);
    // 二、統籌大數據資源 holds both terms, but so do its 專項 clauses: the more specific ones are listed.
    expect(h.clauses.map((x) => x.label)).toEqual(expect.arrayContaining(['專項1']));
    expect(h.clauses.map((x) => x.label)).not.toContain('二、');
    for (const k of marked(c.snippet!.text, c.snippet!.marks)) expect(['大数据', '资源']).toContain(k);
  });
});

describe('empty query', () => {
  it('lists recently saved and viewed plans, newest activity first', async () => {
    const before = await search(db, '');
    expect(before.mode).toBe('recent');
    expect(names(before.hits.map((h) => h.planId)).slice(0, 3)).toEqual(['taiwan', 'twin2', 'twin0']);
    await markViewed(db, id.seed1, { now: 3_000 });
    const after = await search(db, '   ', { limit: 4 });
    expect(names(after.hits.map((h) => h.planId))).toEqual(['seed1', 'taiwan', 'twin2', 'twin0']);
    expect(after.total).toBe(8);
    expect(after.hits[0].viewedAt).toBe(3_000);
    expect(names((await scanSearch(db, '', { limit: 4 })).hits.map((h) => h.planId))).toEqual(names(after.hits.map((h) => h.planId)));
  });
});

describe('topOf', () => {
  it('keeps the first k of a total order, as a full sort would, ties broken by date and plan id', () => {
    const rnd = mulberry32(11);
    for (const n of [0, 1, 5, 57, 300]) {
      // Few distinct scores and dates: most order is decided by the tie-breakers.
      const items: Ranked[] = Array.from({ length: n }, (_, i) => ({ planId: `p${Math.floor(rnd() * 1000)}-${i}`, score: Math.floor(rnd() * 4), updatedAt: Math.floor(rnd() * 3) }));
      const sorted = [...items].sort(compareRanked);
      for (const k of [0, 1, 3, 20, n, null]) {
        const got = topOf(n, (a, b) => compareRanked(items[a], items[b]), k).map((i) => items[i]);
        expect(got).toEqual(k === null ? sorted : sorted.slice(0, k));
      }
    }
  });
});

describe('index ≡ scan', () => {
  const rng = mulberry32;

  it('returns exactly the scan’s plans, in the scan’s order, for random substrings of the seeds and strings that match nothing', async () => {
    const rnd = rng(20240917);
    const texts = [0, 1, 2, 3, 4].map((i) => seedDoc(i).text);
    const queries: string[] = [];
    while (queries.length < 200) {
      const t = texts[Math.floor(rnd() * texts.length)];
      // 2–9 characters: list-only keys, keys of two covering trigrams, and longer chains.
      const len = 2 + Math.floor(rnd() * 8);
      const at = Math.floor(rnd() * (t.length - len));
      const q = t.slice(at, at + len);
      if (/[\s"“”「」『』﹁«]/.test(q)) continue; // one term each
      queries.push(q);
    }
    // Real characters in an order no seed has them, and two-term (AND) queries.
    for (let i = 0; i < 30; i++) {
      const chars = [...texts[i % 5].replace(/\s/g, '')];
      queries.push(Array.from({ length: 3 + (i % 4) }, () => chars[Math.floor(rnd() * chars.length)]).join(''));
    }
    for (let i = 0; i < 20; i++) queries.push(`${queries[i]} ${queries[i + 100]}`);
    let matched = 0;
    let none = 0;
    for (const q of queries) {
      const a = await search(db, q, { allIds: true });
      const b = await scanSearch(db, q, { allIds: true });
      expect(a.source, q).toBe('index');
      expect(a.ids, q).toEqual(b.ids);
      expect(a.total, q).toBe(b.total);
      if (a.total) matched++;
      else none++;
    }
    expect(matched).toBeGreaterThan(200);
    expect(none).toBeGreaterThan(10);
  });

  it('gives the scan’s answer for hostile input too', async () => {
    for (const q of ['\u0000\u0007', '(((', '号号号号', '"', '—'.repeat(3000), '国发['.repeat(200)]) {
      const a = await search(db, q, { allIds: true });
      const b = await scanSearch(db, q, { allIds: true });
      expect(a.ids, q).toEqual(b.ids);
    }
  });
});
