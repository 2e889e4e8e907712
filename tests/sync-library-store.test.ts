// The engine's LocalStore over real Dexie libraries (fake-indexeddb): rows, meta state, re-attaching rows that
// arrive with another device's plan id; and two simulated browsers, each with its own library, converging.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openLibrary, type HighlightRow, type LibraryDB } from '../lib/library/db';
import { deletePlan, savePlan } from '../lib/library/store';
import { planKey } from '../lib/library/identity';
import { createHighlight, deleteHighlight, listHighlights, updateHighlight } from '../lib/highlights/store';
import { describe as selectorFor } from '../lib/highlights/selectors';
import { SyncEngine } from '../lib/sync/engine';
import { LibraryLocalStore, syncDeviceId } from '../lib/sync/library-store';
import { NOTE_CONFLICT_MARKER } from '../lib/sync/merge';
import { DEVICE_ID_PATTERN, readStorage } from '../lib/sync/pack';
import type { SyncResult, SyncedHighlight } from '../lib/sync/types';
import { FakeSyncArea, SimClock, type FakeBrowserSync } from './support/fake-sync-area';
import { seedDoc } from './support/docs';
import type { ExtractedDoc } from '../lib/types';

const open = (name = 'lib') => openLibrary(name, { indexedDB: new IDBFactory(), IDBKeyRange });

/** The n-th sentence (ending in 。；) of a document's text, 8–60 characters. */
function sentence(doc: ExtractedDoc, n: number): { start: number; end: number; quote: string } {
  const all = [...doc.text.matchAll(/[^。；！？\n]{8,60}[。；]/g)];
  const m = all[n % all.length];
  return { start: m.index!, end: m.index! + m[0].length, quote: m[0] };
}

interface Side {
  name: string;
  db: LibraryDB;
  store: LibraryLocalStore;
  area: FakeBrowserSync;
  engine: SyncEngine;
  device: string;
  /** Local plan id of seed n (saved in this library). */
  plans: Map<number, string>;
}

async function side(cloud: FakeSyncArea, clock: SimClock, name: string, seeds: number[]): Promise<Side> {
  const db = await open(name);
  const plans = new Map<number, string>();
  for (const n of seeds) plans.set(n, (await savePlan(db, seedDoc(n), 'page', { now: clock.now() })).id);
  const device = await syncDeviceId(db);
  const store = new LibraryLocalStore(db);
  const area = cloud.browser(name, clock.now);
  return { name, db, store, area, engine: new SyncEngine(area, store, device, { now: clock.now, quota: cloud.quota }), device, plans };
}

async function highlight(s: Side, clock: SimClock, seed: number, n: number, extra: { note?: string; color?: 'green' | 'blue' } = {}) {
  const doc = seedDoc(seed);
  const { start, end } = sentence(doc, n);
  return createHighlight(
    s.db,
    { planId: s.plans.get(seed)!, planKey: planKey(doc), url: doc.url, selector: selectorFor(doc.text, start, end), clauseId: null, ...extra },
    { now: clock.advance(1_000) },
  );
}

async function settle(clock: SimClock, sides: Side[], rounds = 10): Promise<SyncResult[]> {
  const out: SyncResult[] = [];
  for (let r = 0; r < rounds; r++) {
    let quiet = true;
    for (const s of sides) {
      clock.advance(5_000);
      const res = await s.engine.sync();
      out.push(res);
      if (res.status.state === 'error') throw new Error(`${s.name}: ${res.status.message}`);
      if (res.pull.changed.length || res.push.writeOps) quiet = false;
    }
    if (quiet) return out;
  }
  throw new Error('did not settle');
}

/** What must agree across browsers: live rows without per-device fields and sync bookkeeping. */
async function shared(db: LibraryDB) {
  const rows = (await db.highlights.toArray()) as SyncedHighlight[];
  return rows
    .filter((r) => !r.deleted)
    .map(({ sync: _s, planId: _p, orphaned: _o, ...rest }) => rest)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('LibraryLocalStore', () => {
  it('reads and writes rows, and keeps the engine state in meta', async () => {
    const db = await open();
    const store = new LibraryLocalStore(db);
    const planId = (await savePlan(db, seedDoc(0), 'page')).id;
    const doc = seedDoc(0);
    const s = sentence(doc, 2);
    const row = await createHighlight(db, { planId, planKey: planKey(doc), url: doc.url, selector: selectorFor(doc.text, s.start, s.end), clauseId: null });
    expect(await store.all()).toEqual([row]);
    expect(await store.get([row.id, 'nope'])).toEqual([row, undefined]);
    expect(await store.loadState()).toBeUndefined();
    await store.saveState({ writes: [5, 6], gen: 3 });
    expect(await store.loadState()).toEqual({ writes: [5, 6], gen: 3 });
    await db.meta.put({ key: 'syncEngine', value: { writes: 'x' } });
    expect(await store.loadState()).toBeUndefined();
  });

  it('uses the library device id, valid as a sync key and the same every time', async () => {
    const db = await open();
    const id = await syncDeviceId(db);
    expect(id).toMatch(DEVICE_ID_PATTERN);
    expect(await syncDeviceId(db)).toBe(id);
    const doc = seedDoc(1);
    const planId = (await savePlan(db, doc, 'page')).id;
    const s = sentence(doc, 0);
    const row = await createHighlight(db, { planId, planKey: planKey(doc), url: doc.url, selector: selectorFor(doc.text, s.start, s.end), clauseId: null });
    expect(row.deviceId).toBe(id);
  });

  it("re-attaches a row from another device to this library's plan, or flags it orphaned until the plan is saved", async () => {
    const db = await open();
    const store = new LibraryLocalStore(db);
    const d0 = seedDoc(0);
    const d3 = seedDoc(3);
    const local0 = (await savePlan(db, d0, 'page')).id;
    const s0 = sentence(d0, 4);
    const s3 = sentence(d3, 1);
    const base = { url: null, clauseId: null, color: 'yellow', note: '', tags: [], createdAt: 1, updatedAt: 1, deviceId: 'd-other', version: 1, deleted: false };
    const onKnown: SyncedHighlight = { ...base, id: 'h-known', planId: 'their-plan-0', planKey: planKey(d0), orphaned: false, ...selectorFor(d0.text, s0.start, s0.end) };
    const onUnknown: SyncedHighlight = { ...base, id: 'h-unknown', planId: 'their-plan-3', planKey: planKey(d3), orphaned: false, ...selectorFor(d3.text, s3.start, s3.end) };
    await store.upsert([onKnown, onUnknown]);
    const [known, unknown] = (await store.get(['h-known', 'h-unknown'])) as HighlightRow[];
    expect(known).toMatchObject({ planId: local0, orphaned: false, quote: s0.quote });
    expect(unknown).toMatchObject({ planId: 'their-plan-3', orphaned: true, quote: s3.quote });
    // Saving that document here gives the highlight its plan.
    const local3 = (await savePlan(db, d3, 'page')).id;
    expect(await db.highlights.get('h-unknown')).toMatchObject({ planId: local3, orphaned: false });
    expect((await listHighlights(db, { planId: local3 })).map((h) => h.id)).toEqual(['h-unknown']);
    // A deleted plan's highlights stay orphaned when the engine rewrites them.
    await deletePlan(db, local0);
    await store.upsert([(await db.highlights.get('h-known'))!]);
    expect(await db.highlights.get('h-known')).toMatchObject({ planId: local0, orphaned: true });
  });
});

describe('two browsers on real libraries', () => {
  it('converge: creates, edits and deletes on both; each library keeps its own plan ids', async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea();
    const a = await side(cloud, clock, 'A', [0, 2]);
    const b = await side(cloud, clock, 'B', [0, 2, 4]);
    expect(a.device).not.toBe(b.device);
    expect(a.plans.get(0)).not.toBe(b.plans.get(0));

    const a1 = await highlight(a, clock, 0, 3, { note: '数据开放：年底前完成' });
    const a2 = await highlight(a, clock, 2, 6);
    const b1 = await highlight(b, clock, 4, 2, { color: 'green' });
    await settle(clock, [a, b]);
    expect(await shared(b.db)).toEqual(await shared(a.db));
    expect((await shared(a.db)).map((r) => r.id).sort()).toEqual([a1.id, a2.id, b1.id].sort());
    // On B, A's highlight is on B's own plan of the same document; B's seed-4 highlight is orphaned on A.
    expect(await b.db.highlights.get(a1.id)).toMatchObject({ planId: b.plans.get(0), orphaned: false, note: '数据开放：年底前完成' });
    expect(await a.db.highlights.get(b1.id)).toMatchObject({ orphaned: true, color: 'green' });
    expect((await listHighlights(b.db, { planId: b.plans.get(0) })).map((h) => h.id)).toEqual([a1.id]);

    // Edits of different highlights, and a deletion.
    await updateHighlight(b.db, a1.id, { tags: ['重点'] }, { now: clock.advance(1_000) });
    await updateHighlight(a.db, a2.id, { note: '上海：实施意见' }, { now: clock.advance(1_000) });
    await deleteHighlight(a.db, b1.id, { now: clock.advance(1_000) });
    await settle(clock, [b, a]);
    expect(await shared(b.db)).toEqual(await shared(a.db));
    expect(await a.db.highlights.get(a1.id)).toMatchObject({ tags: ['重点'], note: '数据开放：年底前完成' });
    expect(await b.db.highlights.get(a2.id)).toMatchObject({ note: '上海：实施意见' });
    expect(await b.db.highlights.get(b1.id)).toMatchObject({ deleted: true });
    expect((await listHighlights(b.db, {})).map((h) => h.id).sort()).toEqual([a1.id, a2.id].sort());
    expect(cloud.serverBytes()).toBeLessThanOrEqual(cloud.quota.bytes);
    for (const s of [a, b]) expect(s.area.writes.filter((w) => w.error)).toEqual([]);
  });

  it('the same highlight edited on both while apart: the documented rule, and both notes kept', async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea();
    const a = await side(cloud, clock, 'A', [1]);
    const b = await side(cloud, clock, 'B', [1]);
    const h = await highlight(a, clock, 1, 5);
    await settle(clock, [a, b]);
    a.area.goOffline();
    await updateHighlight(a.db, h.id, { note: '甲：对照北京方案', color: 'blue' }, { now: clock.advance(1_000) });
    await updateHighlight(b.db, h.id, { note: '乙：关注责任分工', color: 'green' }, { now: clock.advance(1_000) });
    await a.engine.sync();
    await b.engine.sync();
    a.area.goOnline();
    await settle(clock, [a, b]);
    const ra = (await a.db.highlights.get(h.id))!;
    const rb = (await b.db.highlights.get(h.id))!;
    expect(ra.note).toBe(rb.note);
    expect(ra.color).toBe(rb.color);
    // Same version on both (2): the later edit wins the fields (B's), and A's note follows the marker.
    expect(ra.color).toBe('green');
    expect(ra.note).toBe(`乙：关注责任分工${NOTE_CONFLICT_MARKER}甲：对照北京方案`);
    // The reader's next edit settles it everywhere.
    await updateHighlight(a.db, h.id, { note: '甲乙合并：对照方案，关注分工' }, { now: clock.advance(1_000) });
    await settle(clock, [a, b]);
    expect((await b.db.highlights.get(h.id))!.note).toBe('甲乙合并：对照方案，关注分工');
  });

  it('a reader edit between the engine reading and writing a row is kept (the transaction re-checks the row)', async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea();
    const a = await side(cloud, clock, 'A', [0]);
    const b = await side(cloud, clock, 'B', [0]);
    const h = await highlight(a, clock, 0, 7);
    await settle(clock, [a, b]);
    await updateHighlight(a.db, h.id, { note: '先改的批注' }, { now: clock.advance(1_000) });
    await a.engine.sync();
    // B pulls A's note while its reader edits the same row: both land, the edit stamped on the next round.
    const pulling = b.engine.sync();
    const editing = updateHighlight(b.db, h.id, { tags: ['同时'] }, { now: clock.advance(1_000) });
    await Promise.all([pulling, editing]);
    await settle(clock, [a, b]);
    for (const s of [a, b]) expect(await s.db.highlights.get(h.id)).toMatchObject({ note: '先改的批注', tags: ['同时'] });
  });

  it('quota full: what does not fit stays in the library, the status says how many, and it syncs once space frees', async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea({ quota: { bytes: 7_000 } });
    const a = await side(cloud, clock, 'A', [0, 1, 2]);
    const b = await side(cloud, clock, 'B', [0, 1, 2]);
    const made: HighlightRow[] = [];
    for (let i = 0; i < 12; i++) {
      const doc = seedDoc(i % 3);
      made.push(await highlight(a, clock, i % 3, i, { note: doc.text.slice(200 + i * 40, 520 + i * 40) }));
    }
    await settle(clock, [a, b]);
    const res = await a.engine.sync();
    expect(res.status.state).toBe('quota-full');
    const unsynced = res.status.unsynced;
    expect(unsynced).toBeGreaterThan(0);
    expect(res.status.message).toMatch(/kept on this device/);
    expect(cloud.serverBytes()).toBeLessThanOrEqual(7_000);
    // Everything is still in A's library; storage holds the rest, and B has at least that.
    expect((await listHighlights(a.db, {})).length).toBe(12);
    const held = new Set([...readStorage(cloud.serverItems()).shards.values()].flatMap((s) => s.states.map((x) => x.id)));
    expect(12 - held.size).toBe(unsynced);
    const onB = new Set((await listHighlights(b.db, {})).map((h) => h.id));
    for (const id of held) expect(onB.has(id)).toBe(true);
    expect(onB.size).toBeLessThan(12);
    // Deleting some frees space: the rest follows.
    for (const h of made.slice(0, 8)) await deleteHighlight(a.db, h.id, { now: clock.advance(1_000) });
    const after = await settle(clock, [a, b]);
    expect(after.at(-1)!.status.state).toBe('ok');
    expect(await shared(b.db)).toEqual(await shared(a.db));
    expect((await listHighlights(b.db, {})).length).toBe(4);
  });
});
