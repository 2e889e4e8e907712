// Seeding the library: once per library, never duplicated, refreshed only where the reader has not taken over.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type IndexedDBDeps, type LibraryDB } from '../lib/library/db';
import { seedLibrary, seedRecord } from '../lib/library/seed';
import { countPlans, deletePlan, getPlan, getPlanByKey, markViewed, savePlan } from '../lib/library/store';
import { planKey } from '../lib/library/identity';
import { edited, SEED_FILES, seedDoc, seedInputs } from './support/docs';

let deps: IndexedDBDeps;
let db: LibraryDB;
beforeEach(async () => {
  deps = { indexedDB: new IDBFactory(), IDBKeyRange };
  db = await openLibrary('lib', deps);
});

/** The seeds as a later release of the extension would extract them: 002 with an improved detection. */
function updatedSeeds() {
  return seedInputs().map((s, n) =>
    n === 2 ? { ...s, doc: edited(s.doc, (d) => (d.detection.signals = [...d.detection.signals, 'pinyin-gate'])) } : s,
  );
}

describe('seedLibrary', () => {
  it('puts the five seeds in once, however often it runs', async () => {
    expect(await seedLibrary(db, seedInputs(), { now: 1_000 })).toEqual({ added: 5, refreshed: 0, unchanged: 0, skipped: 0 });
    expect(await countPlans(db)).toBe(5);
    expect(await seedLibrary(db, seedInputs(), { now: 2_000 })).toEqual({ added: 0, refreshed: 0, unchanged: 5, skipped: 0 });
    expect(await countPlans(db)).toBe(5);
    const plans = await db.plans.toArray();
    expect(plans.every((p) => p.source === 'seed' && p.updatedAt === 1_000)).toBe(true);

    // A browser restart: the same database opened again.
    db.close();
    db = await openLibrary('lib', deps);
    await seedLibrary(db, seedInputs(), { now: 3_000 });
    expect(await countPlans(db)).toBe(5);
    expect((await seedRecord(db))!.at).toBe(1_000);
  });

  it('never adds twice when install and start-up seed at the same moment', async () => {
    await Promise.all([seedLibrary(db, seedInputs()), seedLibrary(db, seedInputs()), seedLibrary(db, seedInputs())]);
    expect(await countPlans(db)).toBe(5);
  });

  it('refreshes an unchanged seed plan after an update, keeping its id and reading history', async () => {
    await seedLibrary(db, seedInputs(), { now: 1_000 });
    const key = planKey(seedDoc(2));
    const before = (await getPlanByKey(db, key))!;
    await markViewed(db, before.id, { now: 1_500 });

    const result = await seedLibrary(db, updatedSeeds(), { now: 2_000 });
    expect(result).toEqual({ added: 0, refreshed: 1, unchanged: 4, skipped: 0 });
    const after = (await getPlan(db, before.id))!;
    expect(after.doc.detection.signals).toContain('pinyin-gate');
    expect(after).toMatchObject({ savedAt: 1_000, updatedAt: 2_000, viewedAt: 1_500, source: 'seed' });
    expect(await countPlans(db)).toBe(5);
  });

  it('leaves a seed the reader saved from the page, and does not bring back one they deleted', async () => {
    await seedLibrary(db, seedInputs(), { now: 1_000 });
    // The reader saved 002 from its page themselves, and deleted 001.
    const own = await savePlan(db, seedDoc(2), 'page', { now: 1_200 });
    const gone = (await getPlanByKey(db, planKey(seedDoc(1))))!;
    await deletePlan(db, gone.id);

    const changed = updatedSeeds().map((s, n) =>
      n === 1 ? { ...s, doc: edited(s.doc, (d) => (d.detection.score = 0.97)) } : s,
    );
    expect(await seedLibrary(db, changed, { now: 2_000 })).toEqual({ added: 0, refreshed: 0, unchanged: 3, skipped: 2 });
    expect(await countPlans(db)).toBe(4);
    const kept = (await getPlan(db, own.id))!;
    expect(kept).toMatchObject({ source: 'page', updatedAt: 1_200 });
    expect(kept.doc.detection.signals).not.toContain('pinyin-gate');
    // And later runs still do not bring 001 back.
    await seedLibrary(db, changed, { now: 3_000 });
    expect(await countPlans(db)).toBe(4);
  });

  it('adds a seed that a later release ships', async () => {
    const all = seedInputs();
    await seedLibrary(db, all.slice(0, 4), { now: 1_000, version: '0.1.0' });
    expect(await countPlans(db)).toBe(4);
    expect(await seedLibrary(db, all, { now: 2_000, version: '0.2.0' })).toEqual({ added: 1, refreshed: 0, unchanged: 4, skipped: 0 });
    expect(await countPlans(db)).toBe(5);
    const record = (await seedRecord(db))!;
    expect(record.version).toBe('0.2.0');
    expect(Object.keys(record.seeds).sort()).toEqual([...SEED_FILES].sort());
  });

  it('follows a seed whose identity changed in an update instead of adding it again', async () => {
    // Release 1 extracted 004 without its 文号; release 2 finds 沈政办发〔2016〕23号.
    const all = seedInputs();
    const v1 = all.map((s, n) => (n === 4 ? { ...s, doc: edited(s.doc, (d) => (d.metadata.docNumber = null)) } : s));
    await seedLibrary(db, v1, { now: 1_000 });
    const old = (await getPlanByKey(db, planKey(v1[4].doc)))!;
    expect(old.key).toMatch(/^title:/);

    expect(await seedLibrary(db, all, { now: 2_000 })).toMatchObject({ added: 0, refreshed: 1 });
    expect(await countPlans(db)).toBe(5);
    expect((await getPlan(db, old.id))!.key).toBe('no:沈政办发〔2016〕23号');
  });
});
