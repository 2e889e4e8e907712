// The background's library service over a real (fake-indexeddb) library: seeding once, lookups that resolve
// once a target is saved, related clauses across scripts, imports all-or-nothing, deletes.
import { describe, expect, it } from 'vitest';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { openLibrary } from '../lib/library/db';
import { LibraryService } from '../lib/background/library-service';
import { searchHooks } from '../lib/background/search-hooks';
import { ensureSearchIndex } from '../lib/search/index';
import { search } from '../lib/search/search';
import { extractFromDocument, extractFromText } from '../lib/extract/pipeline';
import { SEEDS_DIR } from './support/paths';

const seeds = fs
  .readdirSync(SEEDS_DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((name) => ({ name, text: fs.readFileSync(path.join(SEEDS_DIR, name), 'utf8') }));
const seedText = (prefix: string) => seeds.find((s) => s.name.startsWith(prefix))!.text;
const outlinePage = () => {
  const html = fs.readFileSync(path.resolve(__dirname, 'pages/govcn-big-data-action-outline/source.html'), 'utf8');
  return extractFromDocument(parseHTML(html).document as unknown as Document, 'http://www.gov.cn/zhengce/content/2015-09/05/content_10137.htm');
};

let n = 0;
async function service(): Promise<LibraryService> {
  const db = await openLibrary(`svc-${n++}`, { indexedDB, IDBKeyRange });
  return new LibraryService(db);
}

describe('LibraryService', () => {
  it('seeds once: a second run (reinstall, update, restart) adds nothing', async () => {
    const svc = await service();
    const first = await svc.seed(seeds, '0.1.0');
    const second = await svc.seed(seeds, '0.1.0');
    expect(first.added).toBe(5);
    expect(second.added).toBe(0);
    expect(await svc.list('savedAt', 100)).toHaveLength(5);
  });

  it("004's 国发〔2015〕50号 is unresolved, lists 002 as also citing it, and resolves once the 纲要 is saved", async () => {
    const svc = await service();
    await svc.seed(seeds, '0.1.0');
    const d004 = extractFromText(seedText('004'), null);
    const at = d004.citations.findIndex((c) => c.docNumber?.normalized === '国发〔2015〕50号');
    let look = await svc.lookup(d004);
    const before = look.citations.find((c) => c.index === at)!;
    expect(before.resolvedPlanId).toBeNull();
    expect(before.alsoCitedBy.map((p) => p.title)).toContain('上海市大數據發展實施意見');

    const { planId, created } = await svc.save(outlinePage());
    expect(created).toBe(true);
    look = await svc.lookup(d004);
    expect(look.citations.find((c) => c.index === at)!.resolvedPlanId).toBe(planId);
    // 002 names the plan by its own title, in Traditional with pinyin: the same plan.
    const d002 = extractFromText(seedText('002'), null);
    const c002 = d002.citations.findIndex((c) => c.title === '促進大數據發展行動綱要');
    expect((await svc.lookup(d002)).citations.find((c) => c.index === c002)!.resolvedPlanId).toBe(planId);
    // And the saved plan knows who cites it.
    const opened = await svc.open(planId);
    expect(opened!.backlinks.map((b) => b.title).sort()).toEqual(
      ['上海市大數據發展實施意見', '沈阳市人民政府办公厅关于印发沈阳市促进大数据发展三年行动计划(2016-2018年)的通知'].sort(),
    );
  });

  it("seed 000's 公共數據開放單位超過90% finds seed 003's 公共数据开放单位超过90% as a related clause", async () => {
    const svc = await service();
    await svc.seed(seeds, '0.1.0');
    const look = await svc.lookup(extractFromText(seedText('000'), null));
    const all = Object.values(look.related).flat();
    const hit = all.find((r) => r.text.includes('公共数据开放单位超过90%'));
    expect(hit?.planTitle).toBe('《北京市大数据和云计算发展行动计划(2016-2020年)》正式发布');
    expect(hit!.score).toBeGreaterThan(0.5);
  });

  it('saving the same page twice keeps one plan; an import with a bad item writes nothing', async () => {
    const svc = await service();
    await svc.seed(seeds, '0.1.0');
    const a = await svc.save(outlinePage());
    const b = await svc.save(outlinePage());
    expect(b).toEqual({ planId: a.planId, created: false });
    expect(await svc.list('savedAt', 100)).toHaveLength(6);
    await expect(svc.import([{ name: 'good.html', doc: outlinePage() }, { name: 'bad.json', library: { format: 'nope' } }])).rejects.toThrow(
      /bad\.json/,
    );
    expect(await svc.list('savedAt', 100)).toHaveLength(6);
  });

  it('deleting a plan removes it from lookups', async () => {
    const svc = await service();
    await svc.seed(seeds, '0.1.0');
    const { planId } = await svc.save(outlinePage());
    expect(await svc.remove(planId)).toBe(true);
    const d004 = extractFromText(seedText('004'), null);
    const look = await svc.lookup(d004);
    expect(look.citations.every((c) => c.resolvedPlanId !== planId)).toBe(true);
    expect(await svc.open(planId)).toBeNull();
  });

  it('with the search hooks, keeps the popup index in step: a saved page is found, opening it shows as viewed, a delete drops it', async () => {
    const db = await openLibrary(`svc-${n++}`, { indexedDB, IDBKeyRange });
    const svc = new LibraryService(db, searchHooks);
    await svc.seed(seeds, '0.1.0');
    await ensureSearchIndex(db);
    const query = '促进大数据发展行动纲要';
    const { planId } = await svc.save(outlinePage());
    const hit = () => search(db, query, { limit: 50 }).then((r) => r.hits.find((h) => h.planId === planId));
    expect((await hit())?.viewedAt).toBeNull();
    await svc.open(planId);
    const viewedAt = (await db.plans.get(planId))!.viewedAt;
    expect(viewedAt).toEqual(expect.any(Number));
    expect((await hit())?.viewedAt).toBe(viewedAt);
    expect(await svc.remove(planId)).toBe(true);
    expect(await hit()).toBeUndefined();
  });
});
