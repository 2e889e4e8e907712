// The sync engine's LocalStore over the Dexie library: highlight rows, engine state and last status in `meta`.
import type { HighlightRow, LibraryDB } from '../library/db';
import { deviceId } from '../highlights/store';
import { DEVICE_ID_PATTERN } from './pack';
import type { EngineState, LocalStore, SyncStatus, SyncedHighlight } from './types';

/** meta keys this module owns. */
export const ENGINE_STATE_KEY = 'syncEngine';
export const LAST_SYNC_KEY = 'syncLast';

/** The outcome of the last sync, kept so the popup can show it after the worker restarted. */
export interface LastSync {
  /** Epoch ms the last sync finished (whatever its status). */
  at: number;
  /** Epoch ms of the last sync that wrote or confirmed everything that fit (status ok or quota-full). */
  okAt: number | null;
  status: SyncStatus;
  /** Devices whose items were in sync storage then (this one included). */
  devices: number;
}

/**
 * This library's sync device id: the highlight store's device id (meta 'deviceId'), so rows the
 * reader edits and the engine's stamps name the same device. An id from elsewhere that the sync
 * key format cannot carry is folded into it.
 */
export async function syncDeviceId(db: LibraryDB): Promise<string> {
  const id = await deviceId(db);
  if (DEVICE_ID_PATTERN.test(id)) return id;
  const folded = id.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return folded || 'device';
}

/**
 * Highlight rows as the engine reads and writes them. Rows arriving from another device carry that
 * device's plan id: on every write a row is re-attached to the local plan with its planKey (or kept on
 * its own plan when that exists here), and flagged `orphaned` when neither plan is in this library.
 * planId and orphaned are per device, outside the synced fields, so this never counts as an edit.
 */
export class LibraryLocalStore implements LocalStore {
  constructor(readonly db: LibraryDB) {}

  all(): Promise<SyncedHighlight[]> {
    return this.db.highlights.toArray() as Promise<SyncedHighlight[]>;
  }

  async get(ids: string[]): Promise<Array<SyncedHighlight | undefined>> {
    return (await this.db.highlights.bulkGet(ids)) as Array<SyncedHighlight | undefined>;
  }

  async upsert(rows: SyncedHighlight[]): Promise<void> {
    if (!rows.length) return;
    const db = this.db;
    await db.transaction('rw', [db.highlights, db.plans], async () => {
      const keys = [...new Set(rows.map((r) => r.planKey).filter((k): k is string => !!k))];
      const byKey = new Map<string, string>();
      for (const p of await db.plans.where('key').anyOf(keys).toArray()) byKey.set(p.key, p.id);
      const ownIds = [...new Set(rows.map((r) => r.planId).filter((id) => !!id))];
      const present = new Set((await db.plans.bulkGet(ownIds)).filter((p) => !!p).map((p) => p!.id));
      const out = rows.map((r) => attach(r, byKey, present));
      await db.highlights.bulkPut(out as HighlightRow[]);
    });
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    // plans too: upsert reads them to re-attach rows.
    return this.db.transaction('rw', [this.db.highlights, this.db.plans], fn);
  }

  async loadState(): Promise<EngineState | undefined> {
    const row = await this.db.meta.get(ENGINE_STATE_KEY);
    const v = row?.value as Partial<EngineState> | undefined;
    if (!v || typeof v !== 'object' || !Array.isArray(v.writes) || typeof v.gen !== 'number') return undefined;
    return { writes: v.writes.filter((t): t is number => typeof t === 'number'), gen: v.gen };
  }

  async saveState(state: EngineState): Promise<void> {
    await this.db.meta.put({ key: ENGINE_STATE_KEY, value: { writes: [...state.writes], gen: state.gen } });
  }

  async loadLastSync(): Promise<LastSync | null> {
    const v = (await this.db.meta.get(LAST_SYNC_KEY))?.value as LastSync | undefined;
    return v && typeof v === 'object' && typeof v.at === 'number' && v.status && typeof v.status === 'object' ? v : null;
  }

  async saveLastSync(last: LastSync): Promise<void> {
    await this.db.meta.put({ key: LAST_SYNC_KEY, value: last });
  }
}

/** The row on this device's plan: by planKey first, then its own planId; orphaned when neither is here. */
function attach(r: SyncedHighlight, byKey: Map<string, string>, present: Set<string>): SyncedHighlight {
  const local = r.planKey ? byKey.get(r.planKey) : undefined;
  if (local) return local === r.planId && !r.orphaned ? r : { ...r, planId: local, orphaned: false };
  const orphaned = !present.has(r.planId);
  return orphaned === r.orphaned ? r : { ...r, orphaned };
}
