// Highlights out and back in: Markdown grouped by plan and clause, W3C Web Annotation JSON, and an import
// that merges (same id, or same plan + quote + position) instead of duplicating. Real seed passages.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openLibrary, type HighlightRow, type LibraryDB } from '../lib/library/db';
import { getPlan, savePlan } from '../lib/library/store';
import { createHighlight, listHighlights, updateHighlight } from '../lib/highlights/store';
import {
  ANNO_CONTEXT,
  annotationId,
  escapeMarkdown,
  highlightIdOf,
  importAnnotations,
  parseAnnotations,
  planInfo,
  toMarkdown,
  toW3C,
  type PlanInfo,
} from '../lib/highlights/export';
import { describe as describeSelector } from '../lib/highlights/selectors';
import { clauseIdAt } from '../lib/highlights/model';
import { seedDoc } from './support/docs';

const HOSTILE = '<img src=x onerror=alert(1)>';

async function setup() {
  const db = await openLibrary('hl-export', { indexedDB: new IDBFactory(), IDBKeyRange });
  const plans = new Map<string, PlanInfo>();
  const add = async (n: number, url: string | null) => {
    const doc = { ...seedDoc(n), url };
    const { id } = await savePlan(db, doc, 'page', { now: 1 });
    const plan = (await getPlan(db, id))!;
    plans.set(id, planInfo(plan));
    const mark = (quote: string, fields: { color?: string; note?: string; tags?: string[] } = {}, now = 100) => {
      const at = doc.text.indexOf(quote);
      if (at < 0) throw new Error(`not in seed ${n}: ${quote}`);
      return createHighlight(
        db,
        { planId: id, planKey: plan.key, url, selector: describeSelector(doc.text, at, at + quote.length), clauseId: clauseIdAt(doc.clauses, at), ...fields },
        { now, deviceId: 'dev-test' },
      );
    };
    return { id, key: plan.key, doc, mark };
  };
  const p1 = await add(1, 'http://www.beijing.gov.cn/zhengce/zfwj/201905/t20190522_61484.html');
  const p4 = await add(4, null);
  const rows = {
    jinrong: await p1.mark('全面提升互联网金融服务能力和普惠水平', { color: 'green', note: `金融：${HOSTILE}\n第二行`, tags: ['金融', '重点'] }, 300),
    yuanze: await p1.mark('服务大局。坚持首都城市战略定位', { tags: ['重点'] }, 200),
    shenyang: await p4.mark('大数据', { color: 'pink' }, 400),
  };
  return { db, plans, p1, p4, rows };
}

describe('Markdown', () => {
  it('groups by plan and by clause in document order, with notes and tags, escaping markup', async () => {
    const { db, plans } = await setup();
    const md = toMarkdown(await listHighlights(db), plans, { now: Date.UTC(2024, 0, 2) });
    expect(md.startsWith('# 政策透镜 · 划线与批注\n\n导出于 2024-01-02 · 共 3 条')).toBe(true);
    const i001 = md.indexOf('## 北京市人民政府关于积极推进“互联网+”行动的实施意见');
    const i004 = md.indexOf('## 沈阳市人民政府办公厅关于印发沈阳市促进大数据发展三年行动计划(2016-2018年)的通知');
    expect(i001).toBeGreaterThan(0);
    expect(i004).toBeGreaterThan(i001); // plans by title (pinyin order: 北 before 沈)
    // A highlight outside every clause (the notice's opening) is under 正文.
    expect(md.slice(i004)).toContain('### 正文\n\n> 大数据');
    // The plan with a URL shows it; clauses by their labels and headings, (二)基本原则 before 三、… 1.
    expect(md).toContain('<http://www.beijing.gov.cn/zhengce/zfwj/201905/t20190522_61484.html>');
    const iPrinciple = md.indexOf('### 一、(二) 基本原则');
    const iFinance = md.indexOf('### 三、(一)1. “互联网+”金融');
    expect(iPrinciple).toBeGreaterThan(i001);
    expect(iFinance).toBeGreaterThan(iPrinciple);
    expect(md).toContain('> 服务大局。坚持首都城市战略定位');
    expect(md).toContain(`金融：${escapeMarkdown(HOSTILE)}\n第二行`);
    expect(md).not.toContain(HOSTILE);
    expect(md).toContain('标签：\\#金融 \\#重点');
    expect(md).toContain('颜色：绿');
  });

  it('highlights whose plan is gone are listed last, never dropped', async () => {
    const { db, plans, rows } = await setup();
    const without = new Map([...plans].filter(([id]) => id !== rows.shenyang.planId));
    const md = toMarkdown(await listHighlights(db), without);
    const tail = md.slice(md.indexOf('## 文库中已没有原文的划线'));
    expect(tail).toContain('> 大数据');
  });

  it('escapeMarkdown neutralises HTML, emphasis, links and list markers', () => {
    expect(escapeMarkdown('<b>*加粗*</b> [链接](x) #标题')).toBe('\\<b\\>\\*加粗\\*\\</b\\> \\[链接\\](x) \\#标题');
    expect(escapeMarkdown('- 一\n1. 二\n2025年')).toBe('\\- 一\n1\\. 二\n2025年');
  });
});

describe('W3C Web Annotation JSON', () => {
  it('writes one Annotation per highlight: TextualBody note and tags, quote and position selectors', async () => {
    const { db, plans, rows, p1 } = await setup();
    const coll = toW3C(await listHighlights(db), plans);
    expect(coll['@context']).toBe(ANNO_CONTEXT);
    expect(coll.type).toBe('AnnotationCollection');
    expect(coll.total).toBe(3);
    const a = coll.first.items.find((x) => x.id === annotationId(rows.jinrong.id))!;
    expect(a).toMatchObject({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'Annotation', motivation: 'commenting' });
    expect(a.body).toEqual([
      { type: 'TextualBody', value: `金融：${HOSTILE}\n第二行`, purpose: 'commenting', format: 'text/plain' },
      { type: 'TextualBody', value: '金融', purpose: 'tagging' },
      { type: 'TextualBody', value: '重点', purpose: 'tagging' },
    ]);
    expect(a.target.source).toBe('http://www.beijing.gov.cn/zhengce/zfwj/201905/t20190522_61484.html');
    expect(a.target.selector).toEqual([
      { type: 'TextQuoteSelector', exact: '全面提升互联网金融服务能力和普惠水平', prefix: rows.jinrong.prefix, suffix: rows.jinrong.suffix },
      { type: 'TextPositionSelector', start: rows.jinrong.start, end: rows.jinrong.end },
    ]);
    expect(p1.doc.text.slice(rows.jinrong.start, rows.jinrong.end)).toBe('全面提升互联网金融服务能力和普惠水平');
    expect(new Date(a.created).getTime()).toBe(300);
    // A plan without an address (a seed text) is named by a URN of its identity.
    const s = coll.first.items.find((x) => x.id === annotationId(rows.shenyang.id))!;
    expect(s.target.source.startsWith('urn:policy-lens:plan:')).toBe(true);
    expect(s.motivation).toBe('highlighting');
    expect(s.body).toBeUndefined();
    // Through JSON and back, what it says is read again.
    const parsed = parseAnnotations(JSON.parse(JSON.stringify(coll)));
    expect(parsed.skipped).toBe(0);
    const back = parsed.items.find((x) => x.id === rows.jinrong.id)!;
    expect(back).toMatchObject({ quote: rows.jinrong.quote, note: rows.jinrong.note, tags: ['金融', '重点'], color: 'green', start: rows.jinrong.start, end: rows.jinrong.end });
  });

  it('ids: UUIDs become urn:uuid and come back; other ids round-trip too', () => {
    expect(annotationId('0ba28d61-78b8-45f5-9c20-4fa19ed5f299')).toBe('urn:uuid:0ba28d61-78b8-45f5-9c20-4fa19ed5f299');
    expect(highlightIdOf('urn:uuid:0ba28d61-78b8-45f5-9c20-4fa19ed5f299')).toBe('0ba28d61-78b8-45f5-9c20-4fa19ed5f299');
    expect(highlightIdOf(annotationId('hl-1/条'))).toBe('hl-1/条');
    expect(highlightIdOf('https://example.org/anno/7')).toBe('https://example.org/anno/7');
  });

  it('reads single annotations, arrays and pages, and names what it cannot use', () => {
    const one = { type: 'Annotation', target: { source: 'http://x.gov.cn/1', selector: { type: 'TextQuoteSelector', exact: '大数据' } } };
    expect(parseAnnotations(one).items).toHaveLength(1);
    expect(parseAnnotations([one, one]).items).toHaveLength(2);
    expect(parseAnnotations({ type: 'AnnotationPage', items: [one] }).items).toHaveLength(1);
    const bad = parseAnnotations([one, { type: 'Annotation', target: {} }, 'x', { type: 'Annotation', target: { selector: [{ type: 'TextQuoteSelector', exact: '' }] } }]);
    expect(bad.items).toHaveLength(1);
    expect(bad.skipped).toBe(3);
    expect(bad.problems[0]).toMatch(/^item 1: no TextQuoteSelector/);
    expect(parseAnnotations(null).problems).toHaveLength(1);
    expect(parseAnnotations({ hello: 1 }).items).toHaveLength(0);
  });
});

describe('importAnnotations', () => {
  it('re-importing an export adds nothing and changes nothing', async () => {
    const { db, plans } = await setup();
    const before = await listHighlights(db);
    const file = JSON.parse(JSON.stringify(toW3C(before, plans)));
    const r = await importAnnotations(db, file, { now: 9_999 });
    expect(r).toMatchObject({ added: 0, merged: 0, unchanged: 3, skipped: 0 });
    expect(await listHighlights(db)).toEqual(before);
  });

  it('the same passage under another id (another device, another tool) merges into the one there', async () => {
    const { db, plans, rows } = await setup();
    const file = JSON.parse(JSON.stringify(toW3C(await listHighlights(db), plans)));
    for (const a of file.first.items) a.id = `urn:uuid:${crypto.randomUUID()}`;
    const jin = file.first.items.find((a: { target: { selector: Array<{ exact?: string }> } }) => a.target.selector[0].exact === rows.jinrong.quote);
    jin.body = [{ type: 'TextualBody', value: '新标签', purpose: 'tagging' }];
    const r = await importAnnotations(db, file, { now: 9_999 });
    expect(r).toMatchObject({ added: 0, merged: 1, unchanged: 2 });
    const after = await listHighlights(db);
    expect(after).toHaveLength(3);
    const merged = after.find((h) => h.id === rows.jinrong.id)!;
    // Tags united; the local note kept (the file had none); a version bump for sync.
    expect(merged.tags).toEqual(['金融', '重点', '新标签']);
    expect(merged.note).toBe(rows.jinrong.note);
    expect(merged.version).toBe(rows.jinrong.version + 1);
    expect(r.planIds).toEqual([rows.jinrong.planId]);
  });

  it('the newer edit wins colour and note on the same id; a deleted highlight comes back when imported', async () => {
    const { db, plans, rows } = await setup();
    const file = JSON.parse(JSON.stringify(toW3C(await listHighlights(db), plans)));
    const y = file.first.items.find((a: { id: string }) => a.id === annotationId(rows.yuanze.id));
    y.modified = new Date(50_000).toISOString();
    y.target.styleClass = 'pl-hl-blue';
    y.policyLens.color = 'blue';
    y.body = [{ type: 'TextualBody', value: '另一台电脑上的批注', purpose: 'commenting' }];
    await updateHighlight(db, rows.shenyang.id, { note: '本地更新' }, { now: 60_000 });
    await db.highlights.update(rows.jinrong.id, { deleted: true, version: rows.jinrong.version + 1 });
    const r = await importAnnotations(db, file, { now: 70_000 });
    expect(r).toMatchObject({ added: 0, merged: 2, unchanged: 1 });
    const after = new Map((await listHighlights(db)).map((h) => [h.id, h]));
    expect(after.get(rows.yuanze.id)).toMatchObject({ color: 'blue', note: '另一台电脑上的批注' });
    expect(after.get(rows.shenyang.id)).toMatchObject({ note: '本地更新' });
    expect(after.get(rows.jinrong.id)).toMatchObject({ deleted: false, note: rows.jinrong.note });
  });

  it('into another library: plans found by key, url or quote; no plan → kept as orphaned', async () => {
    const { db, plans } = await setup();
    const file = JSON.parse(JSON.stringify(toW3C(await listHighlights(db), plans)));
    // The other library has seed 1 only (its own plan id); seed 4 is not there.
    const other = await openLibrary('hl-export-other', { indexedDB: new IDBFactory(), IDBKeyRange });
    const { id } = await savePlan(other, { ...seedDoc(1), url: 'http://www.beijing.gov.cn/zhengce/zfwj/201905/t20190522_61484.html' }, 'page');
    const r = await importAnnotations(other, file);
    expect(r).toMatchObject({ added: 3, merged: 0 });
    const rows = await listHighlights(other);
    const on1 = rows.filter((h) => h.planId === id);
    expect(on1).toHaveLength(2);
    expect(on1.every((h) => !h.orphaned)).toBe(true);
    const lost = rows.find((h) => h.quote === '大数据')!;
    expect(lost.orphaned).toBe(true);
    // Importing the same file again into that library: still three.
    expect(await importAnnotations(other, file)).toMatchObject({ added: 0, unchanged: 3 });
    // Saving seed 4 there brings its highlight home.
    const s4 = await savePlan(other, seedDoc(4), 'page');
    expect(await listHighlights(other, { planId: s4.id })).toMatchObject([{ quote: '大数据', orphaned: false }]);
  });

  it('an annotation from another tool with only a quote and the page address is placed by its quote', async () => {
    const db = await openLibrary('hl-export-foreign', { indexedDB: new IDBFactory(), IDBKeyRange });
    const url = 'http://www.beijing.gov.cn/zhengce/zfwj/201905/t20190522_61484.html';
    const doc = { ...seedDoc(1), url };
    const { id } = await savePlan(db, doc, 'page');
    const anno = {
      '@context': ANNO_CONTEXT,
      id: 'https://annotations.example.org/a/1',
      type: 'Annotation',
      body: { type: 'TextualBody', value: '外部工具的批注' },
      target: { source: url, selector: { type: 'TextQuoteSelector', exact: '完善机制', suffix: '。破除制约互联网' } },
    };
    const r = await importAnnotations(db, anno);
    expect(r.added).toBe(1);
    const [h] = await listHighlights(db);
    expect(h).toMatchObject({ planId: id, quote: '完善机制', note: '外部工具的批注', orphaned: false, id: 'https://annotations.example.org/a/1' });
    expect(doc.text.slice(h.start, h.end)).toBe('完善机制');
    expect((await importAnnotations(db, anno)).added).toBe(0);
  });

  it('refuses nothing silently: problems are reported, usable annotations still imported', async () => {
    const { db } = await setup();
    const r = await importAnnotations(db, [{ type: 'Annotation' }, { nonsense: true }]);
    expect(r.added + r.merged + r.unchanged).toBe(0);
    expect(r.skipped).toBe(2);
    expect(r.problems).toHaveLength(2);
    const none: HighlightRow[] = await listHighlights(db);
    expect(none).toHaveLength(3);
  });
});
