// The sync engine's SyncArea over a WebExtension storage area (browser.storage.sync), passed in so tests use a fake.
import type { SyncArea, SyncChange } from '../sync/types';
import { itemBytes } from '../sync/pack';

type ChangeListener = (changes: Record<string, SyncChange>) => void;
type AreaChangeListener = (changes: Record<string, SyncChange>, areaName: string) => void;

/** The part of a storage area (chrome.storage.sync, Firefox's browser.storage.sync) the adapter uses. */
export interface StorageAreaLike {
  get(keys?: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
  /** Chrome; Firefox only in recent versions. */
  getBytesInUse?(keys?: string[] | null): Promise<number>;
  /** The area's own change event (Chrome 73+, Firefox 92+). */
  onChanged?: { addListener(l: ChangeListener): void; removeListener(l: ChangeListener): void };
}

/** storage.onChanged, for browsers whose area has no event of its own (filtered on areaName). */
export interface StorageChangedEvent {
  addListener(l: AreaChangeListener): void;
  removeListener(l: AreaChangeListener): void;
}

export interface StorageSyncArea extends SyncArea {
  /** Bytes the whole area uses, as the quota counts them. */
  bytesInUse(): Promise<number>;
}

/**
 * Quota refusals as the engine recognises them. Chrome already says QUOTA_BYTES, QUOTA_BYTES_PER_ITEM,
 * MAX_ITEMS or MAX_WRITE_OPERATIONS_…; Firefox says "QuotaExceededError: storage.sync API call exceeded
 * its quota limitations" (or throws a DOMException named QuotaExceededError), which becomes QUOTA_BYTES so
 * the engine reads the area again and packs to what fits.
 */
export function quotaError(e: unknown): Error {
  const err = e instanceof Error ? e : new Error(typeof e === 'string' ? e : String((e as { message?: unknown })?.message ?? e));
  const name = (e as { name?: unknown })?.name;
  if (/QUOTA_BYTES|MAX_ITEMS|MAX_WRITE_OPERATIONS/.test(err.message)) return err;
  if (name === 'QuotaExceededError' || /quota/i.test(err.message)) {
    return new Error(`QUOTA_BYTES quota exceeded (${err.message.slice(0, 200)})`);
  }
  return err;
}

export function storageSyncArea(area: StorageAreaLike, storageOnChanged?: StorageChangedEvent): StorageSyncArea {
  return {
    get: (keys) => area.get(keys ?? null).then((items) => items ?? {}),
    async set(items) {
      try {
        await area.set(items);
      } catch (e) {
        throw quotaError(e);
      }
    },
    async remove(keys) {
      try {
        await area.remove(keys);
      } catch (e) {
        throw quotaError(e);
      }
    },
    onChanged(listener) {
      if (area.onChanged) {
        const l: ChangeListener = (changes) => listener(changes);
        area.onChanged.addListener(l);
        return () => area.onChanged!.removeListener(l);
      }
      if (storageOnChanged) {
        const l: AreaChangeListener = (changes, areaName) => {
          if (areaName === 'sync') listener(changes);
        };
        storageOnChanged.addListener(l);
        return () => storageOnChanged.removeListener(l);
      }
      return () => undefined;
    },
    async bytesInUse() {
      if (area.getBytesInUse) {
        try {
          return await area.getBytesInUse(null);
        } catch {
          // Not implemented for this area: count as the quota does.
        }
      }
      const all = (await area.get(null)) ?? {};
      return Object.entries(all).reduce((n, [k, v]) => n + itemBytes(k, v), 0);
    },
  };
}
