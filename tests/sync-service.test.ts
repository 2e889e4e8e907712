// The background's sync service on real libraries: plans a sync changed reported (for live repaint), the status
// report (last sync, quota full with the count kept locally), kept across a worker restart; following the area.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { SyncService } from '../lib/background/sync-service';
import { openLibrary, type LibraryDB } from '../lib/library/db';
import { savePlan } from '../lib/library/store';
import { planKey } from '../lib/library/identity';
import { createHighlight, deleteHighlight, updateHighlight } from '../lib/highlights/store';
import { describe as selectorFor } from '../lib/highlights/selectors';
import { FakeSyncArea, SimClock, type FakeBrowserSync } from './support/fake-sync-area';
import { seedDoc } from './support/docs';

interface Browser {
  db: LibraryDB;
  area: FakeBrowserSync;
  sync: SyncService;
  planId: string;
  reported: string[][];
}

/** A simulated browser's storage.sync as the service takes it (bytes in use as Chrome reports them). */
const areaOf = (area: FakeBrowserSync) => ({
  get: area.get.bind(area),
  set: area.set.bind(area),
  remove: area.remove.bind(area),
  onChanged: area.onChanged.bind(area),
  bytesInUse: async () => area.bytesInUse(),
});

async function browserWith(cloud: FakeSyncArea, clock: SimClock, name: string, factory = new IDBFactory(), opts: { debounceMs?: number } = {}): Promise<Browser> {
  const db = await openLibrary(name, { indexedDB: factory, IDBKeyRange });
  const planId = (await savePlan(db, seedDoc(2), 'page')).id;
  const area = cloud.browser(name, clock.now);
  const reported: string[][] = [];
  const sync = await SyncService.open(db, areaOf(area), {
    now: clock.now,
    quota: cloud.quota,
    onRemoteChange: (ids) => reported.push(ids),
    ...opts,
  });
  return { db, area, sync, planId, reported };
}

async function mark(b: Browser, clock: SimClock, at: number, note = '') {
  const doc = seedDoc(2);
  return createHighlight(b.db, { planId: b.planId, planKey: planKey(doc), url: doc.url, selector: selectorFor(doc.text, at, at + 24), clauseId: null, note }, { now: clock.advance(1_000) });
}

describe('SyncService', () => {
  it("reports the plans a sync changed, as this library's plan ids, and only when something arrived", async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea();
    const a = await browserWith(cloud, clock, 'A');
    const b = await browserWith(cloud, clock, 'B');
    const h = await mark(a, clock, 300, '上海：数据开放目录');
    await a.sync.syncNow();
    expect(a.reported).toEqual([]);
    clock.advance(5_000);
    await b.sync.syncNow();
    expect(b.reported).toEqual([[b.planId]]);
    expect(await b.db.highlights.get(h.id)).toMatchObject({ planId: b.planId, note: '上海：数据开放目录' });
    // Nothing new: no report. A deletion on A: B's tab must repaint.
    await b.sync.syncNow();
    expect(b.reported).toHaveLength(1);
    await deleteHighlight(a.db, h.id, { now: clock.advance(1_000) });
    await a.sync.syncNow();
    await b.sync.syncNow();
    expect(b.reported).toEqual([[b.planId], [b.planId]]);
    expect(await b.db.highlights.get(h.id)).toMatchObject({ deleted: true });
  });

  it('reports the last sync, and the status survives a restart of the worker', async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea();
    const factory = new IDBFactory();
    const a = await browserWith(cloud, clock, 'A', factory);
    const before = await a.sync.report();
    expect(before).toMatchObject({ state: 'pending', lastSyncAt: null, unsynced: 0, bytesInUse: 0, bytesQuota: 102_400 });
    await mark(a, clock, 500);
    await a.sync.syncNow();
    const r = await a.sync.report();
    expect(r).toMatchObject({ state: 'ok', unsynced: 0, lastSyncAt: clock.now(), checkedAt: clock.now(), devices: 1 });
    expect(r.bytesInUse).toBe(a.area.bytesInUse());
    expect(r.bytesInUse).toBeGreaterThan(0);
    // A new worker: the same library, a new service.
    a.db.close();
    const db = await openLibrary('A', { indexedDB: factory, IDBKeyRange });
    const again = await SyncService.open(db, areaOf(a.area), { now: clock.now });
    expect(again.deviceId).toBe(a.sync.deviceId);
    expect(await again.report()).toMatchObject({ state: 'ok', lastSyncAt: r.lastSyncAt, devices: 1 });
  });

  it('quota full: the count kept on this device, the last good sync time kept, then ok once space frees', async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea({ quota: { bytes: 4_000 } });
    const a = await browserWith(cloud, clock, 'A');
    const text = seedDoc(2).text;
    await mark(a, clock, 100);
    await a.sync.syncNow();
    const okAt = clock.now();
    const big = [];
    for (let i = 0; i < 6; i++) big.push(await mark(a, clock, 400 + i * 120, text.slice(600 + i * 300, 900 + i * 300)));
    clock.advance(1_000);
    await a.sync.syncNow();
    const full = await a.sync.report();
    expect(full.state).toBe('quota-full');
    expect(full.unsynced).toBeGreaterThan(0);
    expect(full.unsynced).toBeLessThan(7);
    // A quota-full sync still synced what fit: it counts as a sync.
    expect(full.lastSyncAt).toBe(clock.now());
    expect(full.lastSyncAt).toBeGreaterThan(okAt);
    expect(await a.db.highlights.count()).toBe(7);
    for (const h of big) await updateHighlight(a.db, h.id, { note: '' }, { now: clock.advance(1_000) });
    await a.sync.syncNow();
    expect(await a.sync.report()).toMatchObject({ state: 'ok', unsynced: 0 });
  });

  it('started, it follows the area: an edit on another browser arrives and is reported without asking', async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea();
    const a = await browserWith(cloud, clock, 'A', new IDBFactory(), { debounceMs: 0 });
    const b = await browserWith(cloud, clock, 'B', new IDBFactory(), { debounceMs: 0 });
    b.sync.start();
    await vi.waitFor(async () => expect((await b.sync.report()).state).toBe('ok'));
    const h = await mark(a, clock, 700, '北京：公共数据开放');
    await a.sync.syncNow();
    await vi.waitFor(() => expect(b.reported).toEqual([[b.planId]]), { timeout: 3_000 });
    expect(await b.db.highlights.get(h.id)).toMatchObject({ note: '北京：公共数据开放' });
    b.sync.stop();
  });
});
