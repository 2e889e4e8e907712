// Export and import of the library: exact round trip, shape checks naming the fault, all-or-nothing batches.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type IndexedDBDeps, type LibraryDB } from '../lib/library/db';
import { seedLibrary } from '../lib/library/seed';
import { citingPlans, countPlans, getPlan, markViewed, savePlan } from '../lib/library/store';
import {
  exportLibrary,
  importFiles,
  importLibrary,
  LibraryImportError,
  type LibraryExport,
} from '../lib/library/transfer';
import type { ExtractedDoc } from '../lib/types';
import { edited, highlightOn, readSeed, SEED_FILES, seedDoc, seedInputs } from './support/docs';

let deps: IndexedDBDeps;
let db: LibraryDB;
beforeEach(async () => {
  deps = { indexedDB: new IDBFactory(), IDBKeyRange };
  db = await openLibrary('lib', deps);
});

const encoder = new TextEncoder();

/** Every row of the four data tables, in a stable order. */
async function tables(d: LibraryDB) {
  const byId = <T extends { id: string }>(rows: T[]) => rows.sort((a, b) => a.id.localeCompare(b.id));
  return {
    plans: byId(await d.plans.toArray()),
    clauses: await d.clauses.orderBy(':id').toArray(),
    citations: await d.citations.orderBy(':id').toArray(),
    highlights: byId(await d.highlights.toArray()),
  };
}

/** A library as a reader leaves it: seeds, a page saved and viewed, highlights (one on a deleted-free plan). */
async function fillLibrary(d: LibraryDB) {
  await seedLibrary(d, seedInputs(), { now: 1_000 });
  const page = await savePlan(d, edited(seedDoc(1), (x) => (x.url = null)), 'page', { now: 2_000 });
  await markViewed(d, page.id, { now: 3_000 });
  const p1 = (await getPlan(d, page.id))!;
  const bj = (await d.plans.where('docNumberKey').equals('京政发〔2016〕57号').first())!;
  const p0 = (await getPlan(d, bj.id))!;
  await d.highlights.bulkPut([
    highlightOn(p1, '“互联网+”金融', { note: '看金融局牵头的任务', tags: ['金融'] }),
    highlightOn(p0, '公共數據開放單位超過90%', { color: 'green', version: 3 }),
  ]);
}

/** The export as it would travel: through a JSON file. */
const viaJson = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('exportLibrary / importLibrary', () => {
  it('round-trips the library exactly through a wiped database', async () => {
    await fillLibrary(db);
    const before = await tables(db);
    expect(before.plans).toHaveLength(5);
    const data = await exportLibrary(db, { now: Date.UTC(2024, 0, 2) });
    expect(data).toMatchObject({ format: 'policy-lens-library', version: 1, exportedAt: '2024-01-02T00:00:00.000Z' });
    expect(data.plans[0].doc.clauses).toBeDefined(); // whole documents, not rows
    const json = JSON.stringify(data);

    await db.delete();
    db = await openLibrary('lib', deps);
    expect(await countPlans(db)).toBe(0);

    expect(await importLibrary(db, JSON.parse(json))).toMatchObject({ plans: 5, highlights: 2 });
    expect(await tables(db)).toEqual(before);
  });

  it('merges into a library that already holds the same documents under other ids', async () => {
    await fillLibrary(db);
    const data = viaJson(await exportLibrary(db)) as LibraryExport;

    const other = await openLibrary('other', { indexedDB: new IDBFactory(), IDBKeyRange });
    const local = await savePlan(other, seedDoc(0), 'page', { now: 9_000 }); // newer than the export's copy
    expect(await importLibrary(other, data)).toEqual({ plans: 4, highlights: 2 });
    expect(await countPlans(other)).toBe(5);
    // The export's highlight on 京政发〔2016〕57号 now points at the local plan, which kept its newer copy.
    const moved = (await other.highlights.toArray()).find((h) => h.quote === '公共數據開放單位超過90%')!;
    expect(moved).toMatchObject({ planId: local.id, orphaned: false });
    expect((await getPlan(other, local.id))!).toMatchObject({ updatedAt: 9_000, source: 'page' });
    // Importing the same export again changes nothing.
    const snapshot = await tables(other);
    await importLibrary(other, data);
    expect(await tables(other)).toEqual(snapshot);
    other.close();
  });

  it('refuses a bad shape, naming what is wrong, and writes nothing', async () => {
    await fillLibrary(db);
    const good = viaJson(await exportLibrary(db)) as LibraryExport;
    const before = await tables(db);
    await db.plans.clear();
    await db.clauses.clear();
    await db.citations.clear();
    await db.highlights.clear();

    const noMeta = viaJson(good);
    delete noMeta.plans[3].doc.metadata;
    await expect(importLibrary(db, noMeta)).rejects.toThrow('plans[3].doc.metadata missing');

    const badClause = viaJson(good);
    const withChildren = badClause.plans.findIndex((p: { doc: ExtractedDoc }) => p.doc.clauses[0]?.children.length);
    badClause.plans[withChildren].doc.clauses[0].children[1].id = 7;
    badClause.highlights[1].tags = '金融';
    const err = await importLibrary(db, badClause).catch((e) => e);
    expect(err).toBeInstanceOf(LibraryImportError);
    expect(err.problems).toEqual([
      `plans[${withChildren}].doc.clauses[0].children[1].id must be a non-empty string`,
      'highlights[1].tags must be an array of strings',
    ]);

    await expect(importLibrary(db, null)).rejects.toThrow(/not a policy-lens-library export/);
    await expect(importLibrary(db, [good])).rejects.toThrow(/got an array/);
    await expect(importLibrary(db, { ...good, format: 'zotero' })).rejects.toThrow("format must be 'policy-lens-library'");
    await expect(importLibrary(db, { ...good, version: 2 })).rejects.toThrow(/newer Policy Lens/);
    const dup = viaJson(good);
    dup.plans[2].id = dup.plans[0].id;
    await expect(importLibrary(db, dup)).rejects.toThrow('plans[2].id duplicates plans[0].id');

    expect(await countPlans(db)).toBe(0);
    expect(await db.highlights.count()).toBe(0);
    // The good one still imports.
    await importLibrary(db, good);
    expect(await tables(db)).toEqual(before);
  });
});

describe('importFiles', () => {
  /** Seed files as a reader would drop them in, and an extractor standing in for the pipeline. */
  const seedFiles = () => SEED_FILES.map((name) => ({ name, bytes: encoder.encode(readSeed(name)) }));
  const extract = (name: string, bytes: Uint8Array): ExtractedDoc => {
    const n = SEED_FILES.indexOf(name);
    if (n < 0) throw new Error('unsupported file type');
    expect(new TextDecoder().decode(bytes)).toBe(readSeed(name));
    return seedDoc(n);
  };

  it('extracts every file, then writes them all with progress', async () => {
    const progress: Array<[number, number]> = [];
    const counts = await importFiles(db, seedFiles(), extract, (done, total) => progress.push([done, total]));
    expect(counts).toMatchObject({ plans: 5, highlights: 0 });
    expect(progress).toEqual([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
    const plans = await db.plans.toArray();
    expect(plans.every((p) => p.source === 'import')).toBe(true);
    expect(await citingPlans(db, { docNumberKey: '国发〔2015〕50号' })).toHaveLength(1);
  });

  it('treats .json files as library exports', async () => {
    const other = await openLibrary('other', { indexedDB: new IDBFactory(), IDBKeyRange });
    await fillLibrary(other);
    const exported = encoder.encode(JSON.stringify(await exportLibrary(other)));
    other.close();
    const files = [seedFiles()[2], { name: 'Policy Lens 备份.JSON', bytes: exported }];
    expect(await importFiles(db, files, extract)).toMatchObject({ plans: 5, highlights: 2 });
    expect(await countPlans(db)).toBe(5);
    // Plans keep the export's source; 002 came first as a file, newer than the export's copy, which it keeps.
    expect((await db.plans.where('docNumberKey').equals('京政发〔2016〕4号').first())!.source).toBe('page');
    expect((await db.plans.where('titleKey').equals('上海市大数据发展实施意见').first())!.source).toBe('import');
  });

  it('aborts with nothing written when one file among many cannot be extracted, naming it', async () => {
    const files = seedFiles();
    files.splice(3, 0, { name: '附件2.doc', bytes: encoder.encode('not a seed') });
    const progress: number[] = [];
    const err = await importFiles(db, files, extract, (done) => progress.push(done)).catch((e) => e);
    expect(err).toBeInstanceOf(LibraryImportError);
    expect(err.file).toBe('附件2.doc');
    expect(err.message).toBe('附件2.doc: could not be extracted: unsupported file type');
    expect(progress).toEqual([1, 2, 3]);
    expect(await countPlans(db)).toBe(0);
    expect(await db.clauses.count()).toBe(0);
  });

  it('writes the batch in one transaction: a failure while writing the last file undoes the others', async () => {
    const unstorable = (name: string, bytes: Uint8Array) => {
      const doc = extract(name, bytes);
      // Passes the shape check but IndexedDB cannot clone it.
      if (name === SEED_FILES[4]) (doc.citations[0] as unknown as { extra: unknown }).extra = () => 0;
      return doc;
    };
    await expect(importFiles(db, seedFiles(), unstorable)).rejects.toThrow();
    expect(await countPlans(db)).toBe(0);
    expect(await db.clauses.count()).toBe(0);
    expect(await db.citations.count()).toBe(0);
  });

  it('aborts on a corrupt library file or a malformed extraction, naming the file', async () => {
    await savePlan(db, seedDoc(4), 'page');
    const before = await tables(db);
    const broken = [...seedFiles(), { name: 'library.json', bytes: encoder.encode('{"format": "policy-lens-library", "plans": [') }];
    await expect(importFiles(db, broken, extract)).rejects.toThrow(/^library\.json: not valid JSON/);

    const wrongShape = [...seedFiles(), { name: 'old.json', bytes: encoder.encode(JSON.stringify({ format: 'policy-lens-library', version: 1, plans: [{}], highlights: [] })) }];
    await expect(importFiles(db, wrongShape, extract)).rejects.toThrow(/^old\.json: plans\[0\]\.id missing; /);

    const noMeta = (name: string, bytes: Uint8Array) => {
      const doc = extract(name, bytes) as Partial<ExtractedDoc>;
      if (name === SEED_FILES[1]) delete doc.metadata;
      return doc as ExtractedDoc;
    };
    await expect(importFiles(db, seedFiles(), noMeta)).rejects.toThrow(`${SEED_FILES[1]}: doc.metadata missing`);

    const badBytes = [{ name: 'x.json', bytes: new Uint8Array([0x7b, 0xff, 0xfe]) }];
    await expect(importFiles(db, badBytes, extract)).rejects.toThrow('x.json: not UTF-8 text');
    expect(await tables(db)).toEqual(before);
  });
});
