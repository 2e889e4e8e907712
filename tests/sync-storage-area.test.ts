// The storage.sync adapter: Chrome- and Firefox-shaped areas (own onChanged or storage.onChanged), quota
// refusals mapped to the names the engine recognises, bytes in use; the engine running over it.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { quotaError, storageSyncArea, type StorageAreaLike, type StorageChangedEvent } from '../lib/background/storage-sync-area';
import { openLibrary } from '../lib/library/db';
import { savePlan } from '../lib/library/store';
import { planKey } from '../lib/library/identity';
import { createHighlight, listHighlights } from '../lib/highlights/store';
import { describe as selectorFor } from '../lib/highlights/selectors';
import { SyncEngine } from '../lib/sync/engine';
import { LibraryLocalStore, syncDeviceId } from '../lib/sync/library-store';
import type { SyncChange } from '../lib/sync/types';
import { FakeSyncArea, SimClock, chromeItemSize, type FakeBrowserSync } from './support/fake-sync-area';
import { seedDoc } from './support/docs';

type Listener = (changes: Record<string, SyncChange>) => void;

/** chrome.storage.sync as an extension sees it, over one simulated browser's replica. */
function chromeArea(b: FakeBrowserSync): StorageAreaLike {
  const subs = new Map<Listener, () => void>();
  return {
    get: (keys) => b.get(keys),
    set: (items) => b.set(items),
    remove: (keys) => b.remove(keys),
    getBytesInUse: async () => b.bytesInUse(),
    onChanged: {
      addListener: (l) => subs.set(l, b.onChanged(l)),
      removeListener: (l) => {
        subs.get(l)?.();
        subs.delete(l);
      },
    },
  };
}

/** Firefox's storage.sync without the area event and getBytesInUse, refusing with its own quota message. */
function firefoxArea(b: FakeBrowserSync, quotaBytes: number): { area: StorageAreaLike; onChanged: StorageChangedEvent; fire(c: Record<string, SyncChange>, area: string): void } {
  const listeners = new Set<(c: Record<string, SyncChange>, area: string) => void>();
  const area: StorageAreaLike = {
    get: (keys) => b.get(keys),
    async set(items) {
      const all = { ...(await b.get(null)), ...items };
      const total = Object.entries(all).reduce((n, [k, v]) => n + chromeItemSize(k, v), 0);
      if (total > quotaBytes) throw new Error('QuotaExceededError: storage.sync API call exceeded its quota limitations.');
      return b.set(items);
    },
    remove: (keys) => b.remove(keys),
  };
  b.onChanged((c) => listeners.forEach((l) => l(c, 'sync')));
  return {
    area,
    onChanged: { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) },
    fire: (c, name) => listeners.forEach((l) => l(c, name)),
  };
}

describe('quotaError', () => {
  it("keeps Chrome's quota names and maps Firefox's refusals to QUOTA_BYTES", () => {
    expect(quotaError(new Error('QUOTA_BYTES_PER_ITEM quota exceeded')).message).toBe('QUOTA_BYTES_PER_ITEM quota exceeded');
    expect(quotaError(new Error('This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.')).message).toMatch(/^This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE/);
    expect(quotaError(new Error('QuotaExceededError: storage.sync API call exceeded its quota limitations.')).message).toMatch(/^QUOTA_BYTES quota exceeded \(QuotaExceededError/);
    expect(quotaError(Object.assign(new Error('The operation failed'), { name: 'QuotaExceededError' })).message).toMatch(/^QUOTA_BYTES/);
    expect(quotaError(new Error('Extension context invalidated.')).message).toBe('Extension context invalidated.');
    expect(quotaError('boom')).toBeInstanceOf(Error);
  });
});

describe('storageSyncArea', () => {
  it("Chrome: get/set/remove pass through, onChanged is the area's own event, bytes from getBytesInUse", async () => {
    const cloud = new FakeSyncArea();
    const clock = new SimClock();
    const b = cloud.browser('c', clock.now);
    const area = storageSyncArea(chromeArea(b));
    const seen: Array<Record<string, SyncChange>> = [];
    const stop = area.onChanged((c) => seen.push(c));
    await area.set({ 'm:dev1': { f: 1, g: 1, k: [], t: 1, s: {} }, other: '政策透镜' });
    expect(await area.get(['other'])).toEqual({ other: '政策透镜' });
    expect(Object.keys(await area.get(null)).sort()).toEqual(['m:dev1', 'other']);
    await area.remove(['other']);
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toEqual({ other: { oldValue: '政策透镜' } });
    stop();
    await area.set({ x: 1 });
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toHaveLength(2);
    expect(await area.bytesInUse()).toBe(b.bytesInUse());
  });

  it('Firefox: storage.onChanged filtered to the sync area, bytes counted as the quota does', async () => {
    const cloud = new FakeSyncArea();
    const b = cloud.browser('f', new SimClock().now);
    const ff = firefoxArea(b, 102_400);
    const area = storageSyncArea(ff.area, ff.onChanged);
    const seen: string[] = [];
    area.onChanged((c) => seen.push(...Object.keys(c)));
    ff.fire({ localKey: { newValue: 1 } }, 'local');
    await area.set({ 'h:dev1:0': { d: ['dev1'], p: [], r: [] } });
    await vi.waitFor(() => expect(seen).toEqual(['h:dev1:0']));
    expect(await area.bytesInUse()).toBe(chromeItemSize('h:dev1:0', { d: ['dev1'], p: [], r: [] }));
  });

  it('Firefox refusing a write: the engine reads the area again, retries once, reports the error and keeps every highlight', async () => {
    const clock = new SimClock();
    const cloud = new FakeSyncArea();
    const b = cloud.browser('f', clock.now);
    // The engine believes Chrome's 100 KB; this browser refuses past 1 KB.
    const ff = firefoxArea(b, 1_000);
    const db = await openLibrary('ff', { indexedDB: new IDBFactory(), IDBKeyRange });
    const doc = seedDoc(3);
    const planId = (await savePlan(db, doc, 'page')).id;
    for (let i = 0; i < 4; i++) {
      const start = 100 + i * 200;
      await createHighlight(db, { planId, planKey: planKey(doc), url: doc.url, selector: selectorFor(doc.text, start, start + 60), clauseId: null, note: doc.text.slice(start, start + 150) });
    }
    let sets = 0;
    const counting: StorageAreaLike = { ...ff.area, set: (items) => (sets++, ff.area.set(items)) };
    const engine = new SyncEngine(storageSyncArea(counting, ff.onChanged), new LibraryLocalStore(db), await syncDeviceId(db), { now: clock.now });
    const r = await engine.sync();
    expect(r.status.state).toBe('error');
    expect(r.status.message).toMatch(/^QUOTA_BYTES quota exceeded/);
    expect(sets).toBe(2);
    expect(await b.get(null)).toEqual({});
    expect(await listHighlights(db, {})).toHaveLength(4);
  });
});
