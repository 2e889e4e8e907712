// Citation resolution against the library: by 文号, title, alias, 印发《X》 both ways, across scripts; self-citations, backlinks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { extractCitations } from '../lib/citations/citations';
import { parseDocNumber } from '../lib/citations/docnumber';
import { mergeMetadata } from '../lib/extract/metadata';
import { extractFromText } from '../lib/extract/pipeline';
import { openLibrary, type LibraryDB } from '../lib/library/db';
import { deletePlan, savePlan } from '../lib/library/store';
import type { ExtractedDoc } from '../lib/types';
import { afterDelete, afterSave } from '../lib/xref/index-maintenance';
import { backlinks, resolveCitations, type ResolvedCitation } from '../lib/xref/resolve';
import { SEEDS_DIR } from './support/paths';

const FILES = [
  '000-beijing-informatization-plan-2016.txt',
  '001-beijing-internet-plus-opinions-2016.txt',
  '002-shanghai-big-data-opinions-2016.txt',
  '003-beijing-big-data-cloud-plan-press-release.txt',
  '004-shenyang-big-data-action-plan-2016.txt',
];
const seedText = (n: number) => readFileSync(path.join(SEEDS_DIR, FILES[n]), 'utf8');
/** Seed n through the real extraction pipeline. */
const seed = (n: number): ExtractedDoc => extractFromText(seedText(n));

/**
 * A saved plan we only know by what the seeds say of it (its title and 文号, as cited there):
 * the title is its whole text. Each string is checked against the seed it comes from.
 */
function citedPlan(title: string, number: string | null, from: number): ExtractedDoc {
  const text = seedText(from);
  expect(text.includes(title) || extractFromText(text).citations.some((c) => c.title === title || c.issues === title)).toBe(true);
  if (number) expect(text).toContain(number);
  return {
    url: null,
    detection: { kind: 'policy', genre: null, site: 'govcn', score: 0.9, signals: [] },
    metadata: mergeMetadata({ title, issuers: ['国务院'], docNumber: number ? parseDocNumber(number) : null }, {}),
    text: title,
    blocks: [{ text: title, start: 0, end: title.length, source: 0, tag: 'line' }],
    clauses: [],
    citations: [],
    flags: [],
  };
}

let db: LibraryDB;
beforeEach(async () => {
  db = await openLibrary('xref', { indexedDB: new IDBFactory(), IDBKeyRange });
});

/** Save through the store and keep the index in step, as the background does. */
async function save(doc: ExtractedDoc): Promise<string> {
  const { id } = await savePlan(db, doc, 'page');
  await afterSave(db, id);
  return id;
}

const GANGYAO = '促进大数据发展行动纲要';
const GANGYAO_NOTICE = '国务院关于印发促进大数据发展行动纲要的通知';
const GANGYAO_NO = '国发〔2015〕50号';
const find = (rs: ResolvedCitation[], f: (r: ResolvedCitation) => boolean) => {
  const r = rs.find(f);
  if (!r) throw new Error('citation not found');
  return r;
};

describe('resolveCitations', () => {
  it('resolves 国发〔2015〕50号 (seed 004) and 《促進大數據發(fā)展行動綱要》 (seed 002) to the saved 纲要', async () => {
    const gangyao = await save(citedPlan(GANGYAO, GANGYAO_NO, 4));
    const from4 = await resolveCitations(db, seed(4));
    const byNumber = find(from4, (r) => r.docNumber === GANGYAO_NO);
    expect(byNumber.target).toMatchObject({ planId: gangyao, via: 'number', title: GANGYAO });
    expect(byNumber.self).toBe(false);

    const doc2 = seed(2);
    const from2 = await resolveCitations(db, doc2);
    const byTitle = find(from2, (r) => r.citation.title === '促進大數據發展行動綱要');
    expect(doc2.text.slice(byTitle.citation.start, byTitle.citation.end)).toBe('《促進大數據發展行動綱要》');
    expect(seedText(2)).toContain('《促進大數據發(fā)展行動綱要》');
    expect(byTitle.target).toMatchObject({ planId: gangyao, via: 'title' });
    // Nothing else in 002 points at it.
    expect(from2.filter((r) => r.target?.planId === gangyao)).toHaveLength(1);
  });

  it('crosses 印发《X》的通知 ↔ X both ways', async () => {
    // The saved plan is the notice: the bare title X (seed 002) finds it.
    const notice = await save(citedPlan(GANGYAO_NOTICE, null, 4));
    const from2 = await resolveCitations(db, seed(2));
    expect(find(from2, (r) => r.citation.title === '促進大數據發展行動綱要').target).toMatchObject({ planId: notice, via: 'issued-by' });
    expect(find(await resolveCitations(db, seed(4)), (r) => r.docNumber === GANGYAO_NO).target).toMatchObject({ planId: notice, via: 'title' });

    // The saved plan is X without a 文号: the notice's title (seed 004) finds it.
    await deletePlan(db, notice);
    await afterDelete(db, notice);
    const plan = await save(citedPlan(GANGYAO, null, 4));
    const from4 = await resolveCitations(db, seed(4));
    const r = find(from4, (c) => c.docNumber === GANGYAO_NO);
    expect(r.target).toMatchObject({ planId: plan, via: 'issues' });
    expect(r.alternatives).toEqual([]);
  });

  it('finds a saved notice (seed 000) from a citation of the plan it issues, in the other script', async () => {
    const beijing = await save(seed(0));
    // Seed 000's title is the notice 北京市人民政府關於印發《北京市“十三五”時期信息化發展規劃》的通知.
    expect(seed(0).metadata.title).toContain('印發《北京市“十三五”時期信息化發展規劃》');
    // A Simplified document citing the plan by its own title (a citation as the extractor reads it).
    const cite = extractCitations('依据《北京市“十三五”时期信息化发展规划》')[0];
    const citing = { ...seed(1), citations: [cite] };
    const [r] = await resolveCitations(db, citing);
    expect(r.target).toMatchObject({ planId: beijing, via: 'issued-by' });
    expect(r.self).toBe(false);
  });

  it('leaves 国发〔2015〕40号 (seed 001) unresolved until a plan with that number is saved', async () => {
    const doc1 = seed(1);
    const id1 = await save(doc1);
    const parent = (rs: ResolvedCitation[]) => rs.filter((r) => r.docNumber === '国发〔2015〕40号');
    let rs = parent(await resolveCitations(db, doc1, id1));
    expect(rs.length).toBe(2); // cited twice
    for (const r of rs) {
      expect(r.target).toBeNull();
      expect(r.title).toBe('国务院关于积极推进“互联网+”行动的指导意见');
      expect(r.alsoCitedBy).toEqual([]); // only 001 cites it, and 001 is not "also"
    }
    const saved = await save(citedPlan('国务院关于积极推进“互联网+”行动的指导意见', '国发〔2015〕40号', 1));
    rs = parent(await resolveCitations(db, doc1, id1));
    for (const r of rs) expect(r.target).toMatchObject({ planId: saved, via: 'number' });
  });

  it("resolves seed 003's alias 《行动计划》 to the saved 北京市大数据和云计算发展行动计划 once saved", async () => {
    const doc3 = seed(3);
    const id3 = await save(doc3);
    const aliases = (rs: ResolvedCitation[]) => rs.filter((r) => r.citation.kind === 'alias');
    let rs = aliases(await resolveCitations(db, doc3, id3));
    expect(rs.length).toBeGreaterThanOrEqual(7);
    for (const r of rs) {
      expect(r.citation.title).toBe('行动计划');
      expect(r.title).toBe('北京市大数据和云计算发展行动计划(2016-2020年)');
      expect(r.target).toBeNull(); // the press release is about the plan, it is not the plan
      expect(r.self).toBe(false);
    }
    const plan = await save(citedPlan('北京市大数据和云计算发展行动计划(2016-2020年)', null, 3));
    rs = aliases(await resolveCitations(db, doc3, id3));
    for (const r of rs) expect(r.target).toMatchObject({ planId: plan, via: 'alias' });
    const full = (await resolveCitations(db, doc3, id3)).filter((r) => r.citation.kind === 'title' && r.citation.title?.startsWith('北京市大数据'));
    expect(full.length).toBeGreaterThan(0);
    for (const r of full) expect(r.target).toMatchObject({ planId: plan, via: 'title' });
  });

  it('lists the other citing plan for 《北京市信息化促進條例》, cited by 000 and 003 and not saved', async () => {
    const id0 = await save(seed(0));
    const id3 = await save(seed(3));
    const tiaoli0 = find(await resolveCitations(db, seed(0), id0), (r) => r.citation.title === '北京市信息化促進條例');
    expect(tiaoli0.target).toBeNull();
    expect(tiaoli0.alsoCitedBy.map((c) => c.planId)).toEqual([id3]);
    // Without being told which plan it is, the saved copy is still recognised as itself.
    const tiaoli3 = find(await resolveCitations(db, seed(3)), (r) => r.citation.title === '北京市信息化促进条例');
    expect(tiaoli3.target).toBeNull();
    expect(tiaoli3.alsoCitedBy).toEqual([{ planId: id0, title: seed(0).metadata.title }]);
  });

  it('marks self-citations: its own 文号 and the plan its notice issues', async () => {
    const doc0 = seed(0);
    await save(doc0);
    const rs = await resolveCitations(db, doc0);
    const own = rs.filter((r) => r.docNumber === '京政发〔2016〕57号' || r.citation.title === '北京市“十三五”時期信息化發展規劃');
    expect(own.length).toBeGreaterThanOrEqual(2);
    for (const r of own) {
      expect(r.self).toBe(true);
      expect(r.target).toBeNull();
    }
    expect(rs.filter((r) => !own.includes(r)).every((r) => !r.self)).toBe(true);
    // 004 names its own plan 《沈阳市促进大数据发展三年行动计划(2016-2018年)》: self, unsaved or not.
    const r4 = find(await resolveCitations(db, seed(4)), (r) => r.citation.title === '沈阳市促进大数据发展三年行动计划(2016-2018年)');
    expect(r4.self).toBe(true);
  });

  it('forgets a deleted plan', async () => {
    const gangyao = await save(citedPlan(GANGYAO_NOTICE, GANGYAO_NO, 4));
    expect(find(await resolveCitations(db, seed(2)), (r) => r.citation.title === '促進大數據發展行動綱要').target?.planId).toBe(gangyao);
    await deletePlan(db, gangyao); // the index is not told: resolution must not point at a deleted plan
    expect(find(await resolveCitations(db, seed(2)), (r) => r.citation.title === '促進大數據發展行動綱要').target).toBeNull();
    expect(find(await resolveCitations(db, seed(4)), (r) => r.docNumber === GANGYAO_NO).target).toBeNull();
  });
});

describe('backlinks', () => {
  it('lists the saved plans citing a plan by its 文号, its title or the title it issues', async () => {
    const gangyao = await save(citedPlan(GANGYAO_NOTICE, GANGYAO_NO, 4));
    const id2 = await save(seed(2));
    const id4 = await save(seed(4));
    await save(seed(0));
    const links = await backlinks(db, gangyao);
    expect(links.map((l) => l.planId).sort()).toEqual([id2, id4].sort());
    expect(links.find((l) => l.planId === id4)?.citation.docNumber?.normalized).toBe(GANGYAO_NO);
    expect(links.find((l) => l.planId === id2)?.citation.title).toBe('促進大數據發展行動綱要');
    expect(links.find((l) => l.planId === id2)?.title).toBe(seed(2).metadata.title);
    // Nobody cites 002.
    expect(await backlinks(db, id2)).toEqual([]);
  });

  it('finds citations of the issued plan for a saved notice, and drops deleted citers', async () => {
    const beijing = await save(seed(0));
    const citing = await save({ ...seed(1), citations: [extractCitations('依据《北京市“十三五”时期信息化发展规划》')[0]] });
    expect((await backlinks(db, beijing)).map((l) => l.planId)).toEqual([citing]);
    await deletePlan(db, citing);
    await afterDelete(db, citing);
    expect(await backlinks(db, beijing)).toEqual([]);
  });
});
