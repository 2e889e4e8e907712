// Related clauses across saved plans: same wording across scripts, thresholds, index maintenance, and a 1,000-plan library.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { extractFromText } from '../lib/extract/pipeline';
import { openLibrary, type LibraryDB } from '../lib/library/db';
import { deletePlan, savePlan } from '../lib/library/store';
import type { ExtractedDoc } from '../lib/types';
import { afterDelete, afterImport, afterSave, ensureIndex, needsRebuild } from '../lib/xref/index-maintenance';
import { MIN_RELATED_SCORE, rebuildIndex, relatedClauses, type RelatedClause } from '../lib/xref/related';
import { fingerprints, passageSpans, similarity, textPassages } from '../lib/xref/terms';
import { saveAll, syntheticDocs } from './support/synthetic-library';
import { SEEDS_DIR } from './support/paths';

const FILES = [
  '000-beijing-informatization-plan-2016.txt',
  '001-beijing-internet-plus-opinions-2016.txt',
  '002-shanghai-big-data-opinions-2016.txt',
  '003-beijing-big-data-cloud-plan-press-release.txt',
  '004-shenyang-big-data-action-plan-2016.txt',
];
const seedText = (n: number) => readFileSync(path.join(SEEDS_DIR, FILES[n]), 'utf8');
const seed = (n: number): ExtractedDoc => extractFromText(seedText(n));

const TARGET_TRAD = '公共數據開放單位超過90%';
const TARGET_SIMP = '公共数据开放单位超过90%';

let db: LibraryDB;
beforeEach(async () => {
  db = await openLibrary('xref', { indexedDB: new IDBFactory(), IDBKeyRange });
});

async function save(doc: ExtractedDoc): Promise<string> {
  const { id } = await savePlan(db, doc, 'page');
  await afterSave(db, id);
  return id;
}

const all = (m: Map<string, RelatedClause[]>) => [...m.values()].flat();
/** The results naming the 90% target, with the page clause they belong to. */
function targetHits(m: Map<string, RelatedClause[]>, planId: string, needle: string): Array<RelatedClause & { pageClause: string }> {
  return [...m].flatMap(([pageClause, list]) => list.filter((r) => r.planId === planId && r.text.includes(needle)).map((r) => ({ ...r, pageClause })));
}

describe('terms', () => {
  it('keys passages across scripts and Taiwan phrasing, keeping fragments lined up with the text', () => {
    const text = seedText(0);
    const at = text.indexOf(TARGET_TRAD);
    const passages = textPassages(text.slice(at - 200, at + 200));
    const p = passages.find((x) => x.key.startsWith('公共数据开放单位超过90%'))!;
    expect(p).toBeDefined();
    // 資訊 → 信息, 共用 → 共享 (Taiwan phrasing); fragments map back to the original words.
    expect(p.key).toContain('信息服务');
    expect(p.key).toContain('共享');
    expect(p.frags).toHaveLength(p.fragStarts.length);
    expect(passageSpans(text.slice(at - 200, at + 200)).map((s) => [s.start, s.end])).toEqual(passages.map((x) => [x.start, x.end]));
  });

  it('shares a fingerprint whenever two passages share 10+ characters, whatever surrounds them', () => {
    const a = textPassages('構建便捷化公共服務格局。公共數據開放單位超過90%,行政審批網上辦理率超過95%。')[1];
    const b = textPassages('公共大数据融合开放取得实质性进展,实现公共数据开放单位超过90%,数据开放率超过60%;')[0];
    const fa = new Set(fingerprints(a.key));
    expect(fingerprints(b.key).some((f) => fa.has(f))).toBe(true);
  });

  it('scores the same target high, the same sentence 1, and unrelated sentences below the threshold', () => {
    const [a] = textPassages('公共數據開放單位超過90%,行政審批網上辦理率超過95%,教育、健康醫療、公用事業等資訊服務更加豐富');
    const [b] = textPassages('公共大数据融合开放取得实质性进展,实现公共数据开放单位超过90%,数据开放率超过60%,数据开放质量和使用效率大幅提升');
    expect(similarity(a, b)!.score).toBeGreaterThanOrEqual(0.8);
    expect(similarity(b, a)!.score).toBeGreaterThanOrEqual(0.8);
    expect(similarity(a, a)!.score).toBe(1);
    // Both from seed 003 and 000, about different things; they share only common words.
    const [c] = textPassages('在京津冀协同发展方面,立足京津冀各自特色和比较优势,创建京津冀大数据综合试验区,深化京津冀大数据产业对外开放。');
    const m = similarity(a, c);
    expect(m === null || m.score < MIN_RELATED_SCORE).toBe(true);
    const [d] = textPassages('推進城市智慧管理');
    const [e] = textPassages('城市智慧管理水平明显提升');
    expect(similarity(d, e)!.score).toBeLessThan(MIN_RELATED_SCORE);
  });
});

describe('hostile input', () => {
  it('stays linear on huge, unpunctuated, repetitive or control-character text', () => {
    const huge = '数据'.repeat(300_000) + '\u0000\u0007' + 'ab'.repeat(100_000);
    const t = performance.now();
    const ps = textPassages(huge);
    expect(ps.every((p) => p.end - p.start <= 160)).toBe(true);
    const m = similarity(ps[0], ps[1]);
    expect(m?.score).toBe(1);
    expect(similarity(ps[ps.length - 3], ps[ps.length - 2])?.score).toBe(1);
    expect(performance.now() - t).toBeLessThan(10_000);
  });

  it('looks up a page with a huge clause without trouble', async () => {
    await save(seed(3));
    const doc = seed(0);
    const target = flatClauses(doc).find((c) => c.text.includes(TARGET_TRAD))!;
    target.text = '公共服务'.repeat(50_000) + target.text;
    const hits = targetHits(await relatedClauses(db, doc), (await db.plans.toCollection().primaryKeys())[0] as string, TARGET_SIMP);
    expect(hits).toHaveLength(1);
  });
});

describe('relatedClauses', () => {
  it('finds the shared 90% target between 000 (Traditional) and 003 (Simplified), both ways', async () => {
    const doc0 = seed(0);
    const doc3 = seed(3);
    expect(doc3.clauses).toEqual([]); // a press release: its blocks stand in for clauses
    const id0 = await save(doc0);
    const id3 = await save(doc3);

    const from0 = await relatedClauses(db, doc0);
    const hits0 = targetHits(from0, id3, TARGET_SIMP);
    expect(hits0).toHaveLength(1);
    expect(hits0[0].score).toBeGreaterThanOrEqual(0.8);
    expect(hits0[0].pageText).toContain(TARGET_TRAD);
    expect(hits0[0].clauseId).toMatch(/^b\d+$/);
    expect(doc3.blocks[Number(hits0[0].clauseId.slice(1))].text).toContain(TARGET_SIMP);
    // The page clause is the one whose own text states the target.
    const clause = flatClauses(doc0).find((c) => c.id === hits0[0].pageClause)!;
    expect(clause.text).toContain(TARGET_TRAD);
    // Never the page itself.
    expect(all(from0).some((r) => r.planId === id0)).toBe(false);

    const from3 = await relatedClauses(db, doc3);
    const hits3 = targetHits(from3, id0, TARGET_TRAD);
    expect(hits3).toHaveLength(1);
    expect(hits3[0].score).toBeGreaterThanOrEqual(0.8);
    expect(hits3[0].clauseId).toBe(hits0[0].pageClause);
    expect(hits3[0].path.length).toBeGreaterThan(0);
    expect(hits3[0].title).toBe(doc0.metadata.title);
    expect(hits3[0].pageText).toContain(TARGET_SIMP);
  });

  it('finds the same sentence in a Simplified copy of a Traditional clause, and ranks results by score', async () => {
    await save(seed(1));
    const from0 = await relatedClauses(db, seed(0));
    // 000 and 001 both say 建立電梯應急處置物聯網資訊平臺 / 建立电梯应急处置物联网信息平台 (資訊 = 信息).
    const lift = all(from0).find((r) => r.text.includes('建立电梯应急处置物联网信息平台'));
    expect(lift?.score).toBeGreaterThanOrEqual(0.9);
    for (const list of from0.values()) {
      expect(list.length).toBeLessThanOrEqual(5);
      for (let i = 1; i < list.length; i++) expect(list[i - 1].score).toBeGreaterThanOrEqual(list[i].score);
      for (const r of list) expect(r.score).toBeGreaterThanOrEqual(MIN_RELATED_SCORE);
    }
  });

  it('returns nothing for clauses with no counterpart, and respects limitPerClause and excludePlanId', async () => {
    const id3 = await save(seed(3));
    const doc1 = seed(1);
    const from1 = await relatedClauses(db, doc1);
    // 001's “互联网+”金融 clause says nothing 003 says.
    const finance = flatClauses(doc1).find((c) => c.heading === '“互联网+”金融')!;
    expect(finance).toBeDefined();
    expect(from1.has(finance.id)).toBe(false);
    await save(seed(0));
    const one = await relatedClauses(db, seed(0), { limitPerClause: 1 });
    for (const list of one.values()) expect(list).toHaveLength(1);
    const without3 = await relatedClauses(db, seed(0), { excludePlanId: id3 });
    expect(all(without3).some((r) => r.planId === id3)).toBe(false);
  });

  it('drops a deleted plan from results, with or without the index being told', async () => {
    const doc0 = seed(0);
    await save(doc0);
    const id3 = await save(seed(3));
    expect(targetHits(await relatedClauses(db, doc0), id3, TARGET_SIMP)).toHaveLength(1);
    await deletePlan(db, id3);
    expect(all(await relatedClauses(db, doc0)).some((r) => r.planId === id3)).toBe(false);
    await afterDelete(db, id3);
    expect(await db.xrefClauses.where('planId').equals(id3).count()).toBe(0);
    expect(all(await relatedClauses(db, doc0)).some((r) => r.planId === id3)).toBe(false);
  });

  it('keeps the index in step: re-saving replaces entries, rebuilding gives the same answers', async () => {
    const doc0 = seed(0);
    const id0 = await save(doc0);
    const id3 = await save(seed(3));
    const units = await db.xrefClauses.count();
    const terms = await db.xrefTerms.count();
    await afterSave(db, id3);
    await afterSave(db, id0);
    expect(await db.xrefClauses.count()).toBe(units);
    expect(await db.xrefTerms.count()).toBe(terms);
    const before = await relatedClauses(db, seed(3));
    expect(await needsRebuild(db)).toBe(false);
    await rebuildIndex(db);
    const after = await relatedClauses(db, seed(3));
    expect(strip(after)).toEqual(strip(before));
    // A plan saved without the hook (seedLibrary, say) makes the index stale; ensureIndex notices.
    await savePlan(db, seed(1), 'seed');
    expect(await needsRebuild(db)).toBe(true);
    expect(await ensureIndex(db)).toBe(true);
    expect(await needsRebuild(db)).toBe(false);
    // Deleting everything leaves an empty index.
    for (const id of (await db.plans.toCollection().primaryKeys()) as string[]) {
      await deletePlan(db, id);
      await afterDelete(db, id);
    }
    expect(await db.xrefClauses.count()).toBe(0);
    expect((await db.xrefTerms.toArray()).map((r) => r.kind)).toEqual(['stats']);
  });

  it('still finds the 003 match in a library of 1,000 synthetic plans', async () => {
    // Plans made of shuffled, varied paragraphs of 001, 002 and 004 (000 and 003 kept out so the
    // match sought stays unique), then 000 and 003 themselves.
    const docs = syntheticDocs(1000, { from: [1, 2, 4], paragraphs: 24 });
    let t = performance.now();
    const ids = await saveAll(db, docs);
    await afterImport(db, ids);
    const doc0 = seed(0);
    const id0 = await save(doc0);
    const id3 = await save(seed(3));
    const indexMs = performance.now() - t;
    t = performance.now();
    const from0 = await relatedClauses(db, doc0);
    const lookupMs = performance.now() - t;
    console.log(`xref: 1,002 plans (${await db.xrefClauses.count()} units) indexed in ${indexMs.toFixed(0)} ms; one page looked up in ${lookupMs.toFixed(0)} ms`);
    const hits = targetHits(from0, id3, TARGET_SIMP);
    expect(hits).toHaveLength(1);
    expect(hits[0].score).toBeGreaterThanOrEqual(0.8);
    // The synthetic plans, built from 001's text, are found too (000 and 001 share whole sentences).
    const synthetic = new Set(ids);
    expect(all(from0).some((r) => synthetic.has(r.planId))).toBe(true);
    expect(all(from0).some((r) => r.planId === id0)).toBe(false);
  }, 120_000);
});

function flatClauses(doc: ExtractedDoc) {
  const out: ExtractedDoc['clauses'] = [];
  const walk = (cs: ExtractedDoc['clauses']) => cs.forEach((c) => (out.push(c), walk(c.children)));
  walk(doc.clauses);
  return out;
}

/** Results without plan-independent noise, for comparing two runs. */
function strip(m: Map<string, RelatedClause[]>) {
  return [...m].map(([k, list]) => [k, list.map((r) => [r.planId, r.clauseId, r.score, r.text])]).sort();
}
