// Highlights in a real (fake-indexeddb) library: create, edit with version bumps, tombstone deletes, lists
// filtered by plan, address, tag, colour and text (script-folded), on passages of the real seeds.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openLibrary, type LibraryDB } from '../lib/library/db';
import { savePlan, deletePlan, getPlan } from '../lib/library/store';
import {
  clauseIdAt,
  createHighlight,
  deleteHighlight,
  deviceId,
  getHighlight,
  listHighlights,
  listTags,
  parseTags,
  updateHighlight,
} from '../lib/highlights/store';
import { describe as describeSelector } from '../lib/highlights/selectors';
import { seedDoc } from './support/docs';

async function library(): Promise<LibraryDB> {
  return openLibrary('hl-store', { indexedDB: new IDBFactory(), IDBKeyRange });
}

/** Saves seed n and returns a function making selectors on passages of its text. */
async function plan(db: LibraryDB, n: number) {
  const doc = seedDoc(n);
  const { id } = await savePlan(db, doc, 'page', { now: 1_000 });
  const p = (await getPlan(db, id))!;
  const on = (quote: string, nth = 0) => {
    let at = -1;
    for (let k = 0; k <= nth; k++) at = doc.text.indexOf(quote, at + 1);
    if (at < 0) throw new Error(`not in seed ${n}: ${quote}`);
    return describeSelector(doc.text, at, at + quote.length);
  };
  return { id, key: p.key, doc, on };
}

describe('highlight store', () => {
  it('creates a highlight from a selector with bookkeeping filled in', async () => {
    const db = await library();
    const p = await plan(db, 1);
    const sel = p.on('服务大局。坚持首都城市战略定位');
    const h = await createHighlight(
      db,
      { planId: p.id, planKey: p.key, url: 'http://www.beijing.gov.cn/zhengce/zfwj/1.html', selector: sel, clauseId: clauseIdAt(p.doc.clauses, sel.start), color: 'green', note: '对照', tags: ['#重点', ' 重点 ', '互联网+', ''] },
      { now: 5_000 },
    );
    expect(h).toMatchObject({ planId: p.id, planKey: p.key, quote: '服务大局。坚持首都城市战略定位', color: 'green', note: '对照', version: 1, deleted: false, orphaned: false, createdAt: 5_000, updatedAt: 5_000 });
    expect(h.tags).toEqual(['重点', '互联网+']);
    expect(h.prefix).toBe(sel.prefix);
    expect(h.clauseId).toBe('1.2'); // 一、总体要求 › (二)基本原则
    expect(h.deviceId).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(h.deviceId).toBe(await deviceId(db)); // one device id per library, kept
    expect(await getHighlight(db, h.id)).toEqual(h);
  });

  it('an unknown colour becomes the default; an empty quote is refused', async () => {
    const db = await library();
    const p = await plan(db, 1);
    const h = await createHighlight(db, { planId: p.id, planKey: p.key, url: null, selector: p.on('融合创新'), clauseId: null, color: 'red' });
    expect(h.color).toBe('yellow');
    await expect(createHighlight(db, { planId: p.id, planKey: p.key, url: null, selector: describeSelector(p.doc.text, 5, 5), clauseId: null })).rejects.toThrow();
  });

  it('edits bump the version and updatedAt (never backwards); unchanged edits write nothing', async () => {
    const db = await library();
    const p = await plan(db, 1);
    const h = await createHighlight(db, { planId: p.id, planKey: p.key, url: null, selector: p.on('完善机制'), clauseId: null }, { now: 10_000, deviceId: 'dev-a' });
    const a = (await updateHighlight(db, h.id, { note: '机制障碍', tags: ['改革'] }, { now: 20_000, deviceId: 'dev-b' }))!;
    expect(a).toMatchObject({ note: '机制障碍', tags: ['改革'], version: 2, updatedAt: 20_000, deviceId: 'dev-b', createdAt: 10_000 });
    const same = (await updateHighlight(db, h.id, { note: '机制障碍', tags: ['改革'] }, { now: 30_000 }))!;
    expect(same.version).toBe(2);
    // A clock behind the last edit does not move updatedAt back.
    const b = (await updateHighlight(db, h.id, { color: 'pink' }, { now: 15_000, deviceId: 'dev-a' }))!;
    expect(b).toMatchObject({ color: 'pink', version: 3, updatedAt: 20_000 });
    // Unknown colours are ignored, not stored.
    expect((await updateHighlight(db, h.id, { color: 'black' }))!.color).toBe('pink');
    expect(await updateHighlight(db, 'no-such-id', { note: 'x' })).toBeNull();
  });

  it('deleting leaves a tombstone (deleted, version + 1) that lists and edits never see', async () => {
    const db = await library();
    const p = await plan(db, 1);
    const h = await createHighlight(db, { planId: p.id, planKey: p.key, url: null, selector: p.on('安全可控'), clauseId: null }, { now: 1 });
    const gone = (await deleteHighlight(db, h.id, { now: 2 }))!;
    expect(gone).toMatchObject({ deleted: true, version: 2 });
    expect(await db.highlights.get(h.id)).toMatchObject({ deleted: true, version: 2, quote: '安全可控' });
    expect(await getHighlight(db, h.id)).toBeNull();
    expect(await listHighlights(db, { planId: p.id })).toEqual([]);
    expect(await updateHighlight(db, h.id, { note: 'x' })).toBeNull();
    expect(await deleteHighlight(db, h.id)).toBeNull();
  });

  it('lists by plan, address, tag, colour and text, newest first; text matches across scripts', async () => {
    const db = await library();
    const p1 = await plan(db, 1); // Simplified
    const p0 = await plan(db, 0); // Traditional: 北京市“十三五”時期信息化發展規劃
    const url0 = 'http://www.beijing.gov.cn/zhengce/zfwj/0.html';
    const mk = (p: typeof p1, quote: string, over: { color?: string; tags?: string[]; note?: string; url?: string | null }, now: number) =>
      createHighlight(db, { planId: p.id, planKey: p.key, url: over.url ?? null, selector: p.on(quote), clauseId: null, ...over }, { now });
    const a = await mk(p1, '融合创新', { color: 'yellow', tags: ['重点'] }, 1);
    const b = await mk(p1, '安全可控', { color: 'blue', note: '网络安全' }, 2);
    const c = await mk(p0, '信息化', { color: 'blue', tags: ['重点', '信息化'], url: url0 }, 3);
    expect((await listHighlights(db)).map((h) => h.id)).toEqual([c.id, b.id, a.id]);
    expect((await listHighlights(db, { planId: p1.id })).map((h) => h.id)).toEqual([b.id, a.id]);
    expect((await listHighlights(db, { url: url0 })).map((h) => h.id)).toEqual([c.id]);
    expect((await listHighlights(db, { tag: '重点' })).map((h) => h.id)).toEqual([c.id, a.id]);
    expect((await listHighlights(db, { color: 'blue' })).map((h) => h.id)).toEqual([c.id, b.id]);
    expect((await listHighlights(db, { color: 'blue', tag: '重点' })).map((h) => h.id)).toEqual([c.id]);
    // Notes are searched too; a Traditional query finds Simplified text (character-level folding).
    expect((await listHighlights(db, { text: '网络 安全' })).map((h) => h.id)).toEqual([b.id]);
    expect((await listHighlights(db, { text: '融合創新' })).map((h) => h.id)).toEqual([a.id]);
    expect((await listHighlights(db, { limit: 1 })).map((h) => h.id)).toEqual([c.id]);
    expect(await listTags(db)).toEqual([
      { tag: '重点', count: 2 },
      { tag: '信息化', count: 1 },
    ]);
  });

  it('highlights of a deleted plan stay listed as orphaned, and come back with the document', async () => {
    const db = await library();
    const p = await plan(db, 4);
    const h = await createHighlight(db, { planId: p.id, planKey: p.key, url: null, selector: p.on('大数据'), clauseId: null });
    await deletePlan(db, p.id);
    expect(await listHighlights(db)).toMatchObject([{ id: h.id, orphaned: true }]);
    expect(await listHighlights(db, { attachedOnly: true })).toEqual([]);
    const again = await savePlan(db, p.doc, 'page');
    expect(await listHighlights(db, { planId: again.id })).toMatchObject([{ id: h.id, orphaned: false }]);
  });

  it('parseTags splits on the separators readers type, in both widths', () => {
    expect(parseTags('互联网+，重点、 大数据;#规划 ＃规划  ')).toEqual(['互联网+', '重点', '大数据', '规划']);
    expect(parseTags('')).toEqual([]);
    expect(parseTags('x'.repeat(80))).toEqual(['x'.repeat(50)]);
  });

  it('clauseIdAt files an offset under the deepest clause containing it', () => {
    const doc = seedDoc(1);
    const at = doc.text.indexOf('“互联网+”金融');
    expect(clauseIdAt(doc.clauses, at)).toBe('3.1.1');
    expect(clauseIdAt(doc.clauses, 0)).toBeNull();
  });
});
