// Schema of the library database: it opens, enforces identity, and upgrades from every version without loss.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { LibraryDB, openLibrary, SCHEMA_STEPS, SCHEMA_VERSION, type IndexedDBDeps } from '../lib/library/db';
import { seedLibrary } from '../lib/library/seed';
import { getPlan, markViewed, savePlan } from '../lib/library/store';
import { highlightOn, seedDoc, seedInputs } from './support/docs';

const fresh = (): IndexedDBDeps => ({ indexedDB: new IDBFactory(), IDBKeyRange });

describe('library schema', () => {
  it('opens at the current version with every table and index', async () => {
    const db = await openLibrary('lib', fresh());
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual([
      'citations',
      'clauses',
      'highlights',
      'meta',
      'plans',
      'searchDocs',
      'searchTerms',
      'xrefClauses',
      'xrefTerms',
    ]);
    const plans = db.table('plans').schema;
    expect(plans.primKey.name).toBe('id');
    expect(plans.idxByName.key.unique).toBe(true);
    expect(Object.keys(plans.idxByName)).toEqual(expect.arrayContaining(['docNumberKey', 'titleKey', 'savedAt', 'viewedAt']));
    expect(db.table('clauses').schema.primKey.keyPath).toEqual(['planId', 'clauseId']);
    expect(db.table('citations').schema.idxByName.titleKeys.multi).toBe(true);
    expect(db.table('citations').schema.idxByName.docNumberKey).toBeDefined();
    const schema = await db.meta.get('schema');
    expect(schema?.value).toMatchObject({ createdVersion: SCHEMA_VERSION });
    db.close();
  });

  it('refuses two plan rows with the same identity key', async () => {
    const db = await openLibrary('lib', fresh());
    const { id } = await savePlan(db, seedDoc(0), 'page');
    const row = (await db.plans.get(id))!;
    await expect(db.plans.add({ ...row, id: 'another-id' })).rejects.toMatchObject({ name: 'ConstraintError' });
    db.close();
  });

  it('SCHEMA_VERSION is the last step and steps only go up', () => {
    const versions = SCHEMA_STEPS.map((s) => s.version);
    expect(versions[versions.length - 1]).toBe(SCHEMA_VERSION);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });
});

/** Fill a database opened at an older version through the public API, as that version's users did. */
async function fill(db: LibraryDB) {
  await seedLibrary(db, seedInputs(), { now: 1_000 });
  const page = await savePlan(db, seedDoc(4), 'page', { now: 2_000 });
  await markViewed(db, page.id, { now: 3_000 });
  const plan = (await getPlan(db, page.id))!;
  await db.highlights.put(highlightOn(plan, '建设智慧城市统一平台'));
  const ids = (await db.plans.toCollection().primaryKeys()).sort();
  const plans = await Promise.all(ids.map((id) => getPlan(db, id)));
  return {
    plans,
    highlights: await db.highlights.toArray(),
    meta: await db.meta.toArray(),
  };
}

async function snapshot(db: LibraryDB) {
  const ids = (await db.plans.toCollection().primaryKeys()).sort();
  return {
    plans: await Promise.all(ids.map((id) => getPlan(db, id))),
    highlights: await db.highlights.toArray(),
    meta: await db.meta.toArray(),
  };
}

describe('migrations', () => {
  // Runs from every version ever defined (today only 1: then it checks the data survives a reopen).
  for (const step of SCHEMA_STEPS) {
    it(`upgrades a library written at version ${step.version} to ${SCHEMA_VERSION} without losing anything`, async () => {
      const deps = fresh();
      const old = await openLibrary('lib', deps, { upTo: step.version });
      expect(old.verno).toBe(step.version);
      const before = await fill(old);
      expect(before.plans).toHaveLength(5);
      old.close();

      const db = await openLibrary('lib', deps);
      expect(db.verno).toBe(SCHEMA_VERSION);
      const after = await snapshot(db);
      expect(after).toEqual(before);
      // The upgraded plans are still whole documents, equal to what was saved.
      expect(after.plans.find((p) => p!.source === 'page')!.doc).toEqual(seedDoc(4));
      db.close();
    });
  }

  it('upgrades one version at a time through every step', async () => {
    const deps = fresh();
    const first = await openLibrary('lib', deps, { upTo: SCHEMA_STEPS[0].version });
    const before = await fill(first);
    first.close();
    for (const step of SCHEMA_STEPS) {
      const db = await openLibrary('lib', deps, { upTo: step.version });
      expect(db.verno).toBe(step.version);
      expect(await snapshot(db)).toEqual(before);
      db.close();
    }
  });
});
