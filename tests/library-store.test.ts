// Plan identity and the store: upsert by identity, clause/citation rows in step, lists, deletes, citing plans.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type LibraryDB } from '../lib/library/db';
import { normalizeUrl, planKey } from '../lib/library/identity';
import {
  citingPlans,
  countPlans,
  deletePlan,
  getPlan,
  getPlanByKey,
  listPlans,
  markViewed,
  savePlan,
} from '../lib/library/store';
import { titleKey } from '../lib/text/key';
import type { Clause, ExtractedDoc } from '../lib/types';
import { edited, highlightOn, seedDoc, simplifiedTwin } from './support/docs';

let db: LibraryDB;
beforeEach(async () => {
  db = await openLibrary('lib', { indexedDB: new IDBFactory(), IDBKeyRange });
});

const flatten = (cs: Clause[]): Clause[] => cs.flatMap((c) => [c, ...flatten(c.children)]);
const withoutNumber = (doc: ExtractedDoc) => edited(doc, (d) => (d.metadata.docNumber = null));
const GOVCN_URL = 'http://www.gov.cn/zhengce/content/2018-11/19/content_5341736.htm';
const untitled = (doc: ExtractedDoc, url: string | null) =>
  edited(doc, (d) => {
    d.metadata.docNumber = null;
    d.metadata.title = null;
    d.url = url;
  });

describe('planKey', () => {
  it('uses the normalized 文号 when there is one, whatever the script', () => {
    expect(planKey(seedDoc(0))).toBe('no:京政发〔2016〕57号');
    expect(planKey(seedDoc(4))).toBe('no:沈政办发〔2016〕23号');
  });

  it('gives a title-only document the same key in Traditional and Simplified', () => {
    const trad = seedDoc(2); // 上海市大數據發展實施意見: no 文号 at all
    expect(trad.metadata.docNumber).toBeNull();
    const simp = simplifiedTwin(trad);
    expect(simp.metadata.title).toBe('上海市大数据发展实施意见');
    expect(planKey(simp)).toBe(planKey(trad));
    expect(planKey(trad)).toBe('title:上海市大数据发展实施意见|上海市人民政府');
    // 《北京市“十三五”時期…》 notice, with its 文号 taken away.
    const bj = withoutNumber(seedDoc(0));
    expect(planKey(simplifiedTwin(bj))).toBe(planKey(bj));
    expect(planKey(bj)).not.toBe(planKey(withoutNumber(seedDoc(1))));
  });

  it('tells apart the same title from different issuers', () => {
    const a = withoutNumber(seedDoc(0));
    const b = edited(a, (d) => (d.metadata.issuers = ['沈阳市人民政府办公厅']));
    expect(planKey(a)).not.toBe(planKey(b));
  });

  it('falls back to the URL without fragment, scheme and tracking parameters', () => {
    const doc = seedDoc(3);
    const a = untitled(doc, `${GOVCN_URL}?utm_source=wechat&from=timeline#top`);
    const b = untitled(doc, GOVCN_URL.replace('http:', 'https:'));
    expect(planKey(a)).toBe('url:www.gov.cn/zhengce/content/2018-11/19/content_5341736.htm');
    expect(planKey(b)).toBe(planKey(a));
    expect(normalizeUrl('http://www.beijing.gov.cn/zhengce/zfwj/?id=57&spm=a.b')).toBe('www.beijing.gov.cn/zhengce/zfwj/?id=57');
    expect(normalizeUrl('http://www.beijing.gov.cn/zhengce/zfwj/?id=57')).not.toBe(
      normalizeUrl('http://www.beijing.gov.cn/zhengce/zfwj/?id=58'),
    );
  });

  it('falls back to a hash of the text when there is nothing else', () => {
    const a = untitled(seedDoc(3), null);
    const b = untitled(seedDoc(2), null);
    expect(planKey(a)).toMatch(/^text:/);
    expect(planKey(a)).not.toBe(planKey(b));
    expect(planKey(a)).toBe(planKey(untitled(seedDoc(3), null)));
  });
});

describe('savePlan', () => {
  it('saves a document and gives it back whole', async () => {
    const doc = seedDoc(1);
    const { id, created } = await savePlan(db, doc, 'page', { now: 1_000 });
    expect(created).toBe(true);
    const plan = (await getPlan(db, id))!;
    expect(plan.doc).toEqual(doc);
    expect(plan).toMatchObject({
      key: 'no:京政发〔2016〕4号',
      docNumberKey: '京政发〔2016〕4号',
      titleKey: titleKey('北京市人民政府关于积极推进“互联网+”行动的实施意见'),
      issuers: ['北京市人民政府'],
      site: 'beijing',
      kind: 'policy',
      genre: 'opinion',
      written: '2016-01-09',
      source: 'page',
      savedAt: 1_000,
      updatedAt: 1_000,
      viewedAt: null,
    });
    // Clauses and citations are rows of their own, not copies inside the plan row.
    const row = (await db.plans.get(id))!;
    expect(row.doc).not.toHaveProperty('clauses');
    expect(row.doc).not.toHaveProperty('citations');
    expect(await db.clauses.where('planId').equals(id).count()).toBe(flatten(doc.clauses).length);
    expect(await db.citations.where('planId').equals(id).count()).toBe(2);
    const item = await db.clauses.get([id, '3.1.1']);
    expect(item).toMatchObject({ label: '1.', heading: '“互联网+”金融', parentId: '3.1', path: ['三、', '(一)', '1.'] });
    expect(item!.responsibility!.lead).toEqual(['市金融局']);
    expect((await getPlanByKey(db, 'no:京政发〔2016〕4号'))!.id).toBe(id);
  });

  it('saving the same document twice updates one plan', async () => {
    const first = await savePlan(db, seedDoc(0), 'seed', { now: 1_000 });
    await markViewed(db, first.id, { now: 1_500 });
    const again = edited(seedDoc(0), (d) => (d.detection.score = 0.99));
    const second = await savePlan(db, again, 'page', { now: 2_000 });
    expect(second).toEqual({ id: first.id, created: false });
    expect(await countPlans(db)).toBe(1);
    const plan = (await getPlan(db, first.id))!;
    expect(plan).toMatchObject({ savedAt: 1_000, updatedAt: 2_000, viewedAt: 1_500, source: 'page' });
    expect(plan.doc.detection.score).toBe(0.99);
  });

  it('keeps one plan for the same title-only document in Traditional and Simplified', async () => {
    const a = await savePlan(db, seedDoc(2), 'page');
    const b = await savePlan(db, simplifiedTwin(seedDoc(2)), 'page');
    expect(b).toEqual({ id: a.id, created: false });
    expect(await countPlans(db)).toBe(1);
    expect((await getPlan(db, a.id))!.title).toBe('上海市大数据发展实施意见');
  });

  it('replaces the clause and citation rows of an updated document', async () => {
    const doc = seedDoc(4);
    const { id } = await savePlan(db, doc, 'page');
    expect(await db.clauses.get([id, '2.1.1'])).toBeDefined();
    expect(await citingPlans(db, { docNumberKey: '国发〔2015〕50号' })).toEqual([id]);

    // The page changed: part 二 is gone and so is the citation of 国发〔2015〕50号.
    const shorter = edited(doc, (d) => {
      d.clauses = d.clauses.slice(0, 1);
      d.citations = d.citations.filter((c) => !c.docNumber);
    });
    await savePlan(db, shorter, 'page');
    const rows = await db.clauses.where('planId').equals(id).toArray();
    expect(rows.map((r) => r.clauseId).sort()).toEqual(['1', '1.1', '1.2']);
    expect(await db.clauses.get([id, '2.1.1'])).toBeUndefined();
    expect(await db.citations.where('planId').equals(id).count()).toBe(1);
    expect(await citingPlans(db, { docNumberKey: '国发〔2015〕50号' })).toEqual([]);
    expect((await getPlan(db, id))!.doc).toEqual(shorter);
  });

  it('writes nothing when any row of the document cannot be stored', async () => {
    const doc = seedDoc(4);
    const { id } = await savePlan(db, doc, 'page', { now: 1_000 });
    const broken = edited(doc, (d) => (d.metadata.title = '沈阳市促进大数据发展三年行动计划(2016-2018年)'));
    // A value IndexedDB cannot clone, deep in the last clause: the clause rows fail after the plan row.
    (flatten(broken.clauses).pop() as unknown as { extra: unknown }).extra = () => 0;
    await expect(savePlan(db, broken, 'page', { now: 2_000 })).rejects.toThrow();
    const plan = (await getPlan(db, id))!;
    expect(plan.doc).toEqual(doc);
    expect(plan.updatedAt).toBe(1_000);
  });

  it('keeps each clause of a document that repeats a clause id', async () => {
    const doc = edited(seedDoc(4), (d) => (d.clauses[1].id = d.clauses[0].id));
    const { id } = await savePlan(db, doc, 'page');
    expect(await db.clauses.where('planId').equals(id).count()).toBe(flatten(doc.clauses).length);
    const back = (await getPlan(db, id))!.doc;
    expect(back.clauses.map((c) => c.heading)).toEqual(['指导思想和工作目标', '主要任务']);
    expect(back.clauses[1].id).toBe('1~2');
  });
});

describe('reading the library', () => {
  it('lists plans newest first, and recently viewed ones', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await savePlan(db, seedDoc(n), 'seed', { now: 1_000 + n })).id);
    const listed = await listPlans(db, { limit: 3 });
    expect(listed.map((p) => p.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(listed[0]).not.toHaveProperty('doc');
    expect(listed[0].title).toBe('沈阳市人民政府办公厅关于印发沈阳市促进大数据发展三年行动计划(2016-2018年)的通知');
    expect((await listPlans(db, { offset: 3 })).map((p) => p.id)).toEqual([ids[1], ids[0]]);

    expect(await markViewed(db, ids[1], { now: 5_000 })).toBe(true);
    expect(await markViewed(db, ids[3], { now: 6_000 })).toBe(true);
    expect(await markViewed(db, 'no-such-plan')).toBe(false);
    const viewed = await listPlans(db, { orderBy: 'viewedAt' });
    expect(viewed.map((p) => p.id)).toEqual([ids[3], ids[1]]);
    expect(viewed[0]).toMatchObject({ viewedAt: 6_000, updatedAt: 1_003 }); // viewing is not an edit
    expect(await countPlans(db)).toBe(5);
  });
});

describe('citingPlans', () => {
  async function saveAll() {
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await savePlan(db, seedDoc(n), 'seed')).id);
    return ids;
  }

  it('finds plans citing 国发〔2015〕50号 and 《促进大数据发展行动纲要》, however they name it', async () => {
    const ids = await saveAll();
    expect(await citingPlans(db, { docNumberKey: '国发〔2015〕50号' })).toEqual([ids[4]]);
    // 002 cites 《促進大數據發(fā)展行動綱要》; 004 cites the notice that issues it.
    const byTitle = await citingPlans(db, { titleKey: titleKey('促进大数据发展行动纲要') });
    expect(byTitle).toEqual([ids[2], ids[4]].sort());
    expect(await citingPlans(db, { titleKey: '促進大數據發展行動綱要' })).toEqual(byTitle);
    expect(await citingPlans(db, { docNumberKey: '国发〔2015〕50号', titleKey: titleKey('促进大数据发展行动纲要') })).toEqual(byTitle);
  });

  it('finds citations across scripts, by alias and by nested title', async () => {
    const ids = await saveAll();
    expect(await citingPlans(db, { titleKey: titleKey('北京市信息化促进条例') })).toEqual([ids[0], ids[3]].sort());
    expect(await citingPlans(db, { docNumberKey: '国发〔2015〕40号' })).toEqual([ids[1]]);
    expect(await citingPlans(db, { titleKey: titleKey('北京市大数据和云计算发展行动计划(2016-2020年)') })).toEqual([ids[3]]);
    expect(await citingPlans(db, { titleKey: titleKey('居住证暂行条例') })).toEqual([ids[0]]);
    expect(await citingPlans(db, { titleKey: titleKey('中华人民共和国网络安全法') })).toEqual([]);
    expect(await citingPlans(db, {})).toEqual([]);
  });
});

describe('deletePlan', () => {
  it('removes the plan with its rows, keeps its highlights orphaned, and gives them back on re-save', async () => {
    const doc = seedDoc(0);
    const { id } = await savePlan(db, doc, 'page');
    const other = await savePlan(db, seedDoc(3), 'page');
    const plan = (await getPlan(db, id))!;
    await db.highlights.put(highlightOn(plan, '公共數據開放單位超過90%'));

    expect(await deletePlan(db, id)).toBe(true);
    expect(await deletePlan(db, id)).toBe(false);
    expect(await getPlan(db, id)).toBeUndefined();
    expect(await countPlans(db)).toBe(1);
    expect(await db.clauses.where('planId').equals(id).count()).toBe(0);
    expect(await db.citations.where('planId').equals(id).count()).toBe(0);
    expect(await citingPlans(db, { titleKey: titleKey('北京市信息化促进条例') })).toEqual([other.id]);
    const [orphan] = await db.highlights.toArray();
    expect(orphan).toMatchObject({ planId: id, orphaned: true, quote: '公共數據開放單位超過90%' });

    const again = await savePlan(db, simplifiedTwin(doc), 'page');
    expect(again.created).toBe(true);
    expect(await db.highlights.get(orphan.id)).toMatchObject({ planId: again.id, orphaned: false });
  });
});
