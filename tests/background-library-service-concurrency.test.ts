// Two tabs writing through the background's library service at the same moment: saves of the same and of
// different documents, highlights created and edited at once. Nothing written may be lost or doubled.
import { describe, expect, it } from 'vitest';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import fs from 'node:fs';
import path from 'node:path';
import { openLibrary } from '../lib/library/db';
import { LibraryService } from '../lib/background/library-service';
import { extractFromText } from '../lib/extract/pipeline';
import { describe as describeSelector } from '../lib/highlights/selectors';
import type { ExtractedDoc } from '../lib/types';
import { SEEDS_DIR } from './support/paths';

const seedDoc = (prefix: string): ExtractedDoc => {
  const name = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix) && f.endsWith('.txt'))!;
  return extractFromText(fs.readFileSync(path.join(SEEDS_DIR, name), 'utf8'), null);
};

let n = 0;
const service = async () => new LibraryService(await openLibrary(`concurrent-${n++}`, { indexedDB, IDBKeyRange }));

/** A selector on the first occurrence of `quote` in the document's text. */
function on(doc: ExtractedDoc, quote: string) {
  const start = doc.text.indexOf(quote);
  if (start < 0) throw new Error(`not in the text: ${quote}`);
  return describeSelector(doc.text, start, start + quote.length);
}

describe('LibraryService under concurrent writes (two tabs)', () => {
  it('the same page saved from two tabs at once is one plan; two different pages are two', async () => {
    const svc = await service();
    const d001 = seedDoc('001');
    const d004 = seedDoc('004');
    const results = await Promise.all([svc.save(d001), svc.save(d001), svc.save(d004), svc.save(seedDoc('001'))]);
    const ids001 = new Set([results[0].planId, results[1].planId, results[3].planId]);
    expect(ids001.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(2);
    const list = await svc.list('savedAt', 10);
    expect(list.map((p) => p.id).sort()).toEqual([...ids001, results[2].planId].sort());
  });

  it('highlights created at once on one page, one of them saving the page first, are all kept', async () => {
    const svc = await service();
    const doc = seedDoc('001');
    const quotes = ['融合创新', '完善机制', '安全可控', '“互联网+”金融', '市金融局'];
    // Tab A highlights before the page is saved (it saves it); tab B's highlights race with that save.
    const made = await Promise.all(
      quotes.map((q, i) =>
        svc.createHighlight({ planId: null, doc, url: 'http://www.beijing.gov.cn/zhengce/zfwj/1.html', selector: on(doc, q), clauseId: null, color: i % 2 ? 'green' : 'yellow', note: `第${i + 1}条`, tags: [] }),
      ),
    );
    expect(new Set(made.map((m) => m.planId)).size).toBe(1);
    expect(await svc.list('savedAt', 10)).toHaveLength(1);
    const listed = await svc.planHighlights(made[0].planId);
    expect(listed.map((h) => h.quote).sort()).toEqual([...quotes].sort());
    expect(listed.map((h) => h.note).sort()).toEqual(quotes.map((_, i) => `第${i + 1}条`).sort());
  });

  it('two tabs editing different highlights, and one highlight twice, at once: every edit lands', async () => {
    const svc = await service();
    const doc = seedDoc('004');
    const { planId } = await svc.save(doc);
    const a = await svc.createHighlight({ planId, doc: null, url: null, selector: on(doc, '大数据'), clauseId: null, color: 'yellow', note: '', tags: [] });
    const b = await svc.createHighlight({ planId, doc: null, url: null, selector: on(doc, '沈阳市'), clauseId: null, color: 'yellow', note: '', tags: [] });
    await Promise.all([
      svc.updateHighlight(a.highlight.id, { note: '甲:数据共享' }),
      svc.updateHighlight(b.highlight.id, { note: '乙:责任部门', color: 'blue' }),
      svc.updateHighlight(a.highlight.id, { tags: ['重点'] }),
    ]);
    const rows = await svc.planHighlights(planId);
    const ra = rows.find((h) => h.id === a.highlight.id)!;
    const rb = rows.find((h) => h.id === b.highlight.id)!;
    // Each edit reads the row inside its own transaction: the note and the tags of `a` both survive.
    expect(ra.note).toBe('甲:数据共享');
    expect(ra.tags).toEqual(['重点']);
    expect(ra.version).toBe(a.highlight.version + 2);
    expect(rb).toMatchObject({ note: '乙:责任部门', color: 'blue', version: b.highlight.version + 1 });
  });

  it('a delete racing an edit of the same highlight is deleted, with every change counted in its version', async () => {
    const svc = await service();
    const doc = seedDoc('002');
    const { planId } = await svc.save(doc);
    const quote = doc.text.slice(doc.clauses[0].start, doc.clauses[0].start + 8);
    const h = await svc.createHighlight({ planId, doc: null, url: null, selector: on(doc, quote), clauseId: null, color: 'pink', note: '', tags: [] });
    const [deleted, edited] = await Promise.all([svc.deleteHighlight(h.highlight.id), svc.updateHighlight(h.highlight.id, { note: '晚到的批注' })]);
    const row = (await svc.db.highlights.get(h.highlight.id))!;
    // The transactions serialise: the delete always lands; the edit lands only if it ran first, and then the
    // tombstone carries its note (a later sync must not bring back an older state).
    expect(deleted).not.toBeNull();
    expect(row.deleted).toBe(true);
    if (edited) expect(row).toMatchObject({ note: '晚到的批注', version: h.highlight.version + 2 });
    else expect(row).toMatchObject({ note: '', version: h.highlight.version + 1 });
    expect(await svc.planHighlights(planId)).toHaveLength(0);
  });
});
