// Types of highlight sync: the storage.sync area it writes, the local store it reads, record states, results.
import type { HighlightRow } from '../library/db';

/** One key's change, as storage.onChanged reports it (absent oldValue: created; absent newValue: removed). */
export interface SyncChange {
  oldValue?: unknown;
  newValue?: unknown;
}

/**
 * The browser's sync storage as the engine needs it. The background adapts `browser.storage.sync`:
 * get/set/remove map one to one; onChanged wraps `storage.sync.onChanged` (or `storage.onChanged`
 * filtered on areaName 'sync'). Each set or remove call is one write operation for the rate quotas.
 */
export interface SyncArea {
  /** Items for these keys; every item when keys is null or absent. */
  get(keys?: string[] | null): Promise<Record<string, unknown>>;
  /** Writes all items or none (Chrome checks the quotas for the whole call first). */
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
  /** Calls `listener` after changes (this browser's writes and other browsers' arriving); returns unsubscribe. */
  onChanged(listener: (changes: Record<string, SyncChange>) => void): () => void;
}

/** Limits of a sync storage area (Chrome's names in comments). */
export interface Quota {
  /** QUOTA_BYTES: all items, each counted as key length + JSON of its value (UTF-8 bytes). */
  bytes: number;
  /** QUOTA_BYTES_PER_ITEM: one item, key included. */
  bytesPerItem: number;
  /** MAX_ITEMS */
  maxItems: number;
  /** MAX_WRITE_OPERATIONS_PER_MINUTE (set, remove and clear each count one). */
  writesPerMinute: number;
  /** MAX_WRITE_OPERATIONS_PER_HOUR */
  writesPerHour: number;
}

/** chrome.storage.sync limits (Firefox: the same byte and item limits, no published write rates). */
export const CHROME_SYNC_QUOTA: Readonly<Quota> = Object.freeze({
  bytes: 102_400,
  bytesPerItem: 8_192,
  maxItems: 512,
  writesPerMinute: 120,
  writesPerHour: 1_800,
});

/** Version vector: device id → the highest version of this highlight made by that device that was seen. */
export type Clock = Record<string, number>;

/** One edit event: the device that made it and the version number it gave the highlight (unique per highlight). */
export interface Dot {
  device: string;
  version: number;
}

/**
 * One live version of a highlight, as one edit left it: the synced fields of its library row (planId is the
 * editing device's plan id; plan ids are per device, planKey is the shared identity; deviceId + version are
 * the edit that made this version, its dot) plus its causal stamp.
 */
export interface Head extends Omit<HighlightRow, 'id' | 'deleted' | 'orphaned'> {
  /** What the editing device had seen of this highlight, this edit included. */
  clock: Clock;
  /** The edit that wrote this version's note text (equal to its own dot when this edit changed the note). */
  noteBy: Dot;
}

/** A deletion event (the latest one seen), kept for the tombstone's row and age. */
export interface DeleteMark {
  device: string;
  version: number;
  /** Epoch ms on the deleting device. */
  at: number;
}

/**
 * Everything sync knows about one highlight: a join-semilattice (merge is commutative, associative,
 * idempotent). `heads` are the live versions not superseded by anything in `clock`; none = deleted.
 */
export interface RecordState {
  id: string;
  clock: Clock;
  /** Concurrent live versions, best first (see compareHeads); empty for a tombstone. */
  heads: Head[];
  lastDelete: DeleteMark | null;
}

/** Sync bookkeeping carried on a local highlight row (as the optional `sync` property). */
export interface SyncMeta {
  /** The record state this row shows; the row's own fields are its rendering. */
  state: Omit<RecordState, 'id'>;
  /** Fingerprint of the row's synced fields when the engine wrote it: a different one means a local edit. */
  fp: string;
  /** This state was seen in sync storage (pushed, or pulled as part of a stored state). */
  known?: boolean;
  /** A tombstone dropped from sync storage once every device had it: never published again. */
  pruned?: boolean;
  /** Items generation of this device when it started holding this state in its own keys. */
  heldSince?: number;
}

/**
 * A highlight row as the local store keeps it for sync. Local edits must keep `sync` (Dexie
 * update/modify do) and bump `version`; a row without `sync` counts as a new local edit.
 */
export type SyncedHighlight = HighlightRow & { sync?: SyncMeta };

/** Small engine state kept across service-worker restarts (optional). */
export interface EngineState {
  /** Epoch ms of this device's recent write operations (the last hour). */
  writes: number[];
  /** Items generation: increases whenever this device's items change. */
  gen: number;
}

/**
 * The local highlight table as the engine sees it. The background implements it over Dexie.
 * Contract for rows arriving from other devices: `planId` is the sender's plan id, so the
 * implementation should re-attach rows by `planKey` (as reattachHighlights does) and set `orphaned`.
 */
export interface LocalStore {
  /** Every highlight row, tombstones included. */
  all(): Promise<SyncedHighlight[]>;
  /** Rows by id, in order; undefined where missing. */
  get(ids: string[]): Promise<Array<SyncedHighlight | undefined>>;
  /** Insert or replace these rows. */
  upsert(rows: SyncedHighlight[]): Promise<void>;
  /** Run fn with no other highlight write in between its reads and writes (Dexie: a rw transaction). */
  transaction?<T>(fn: () => Promise<T>): Promise<T>;
  loadState?(): Promise<EngineState | undefined>;
  saveState?(state: EngineState): Promise<void>;
}

/** What the UI shows about sync. */
export type SyncStatus =
  | { state: 'ok'; message: string; unsynced: 0 }
  | {
      state: 'quota-full';
      message: string;
      /** Highlights kept only on this device for now. */
      unsynced: number;
      /** Bytes this device's highlights would need, and bytes it could use. */
      bytesNeeded: number;
      bytesAvailable: number;
    }
  | { state: 'rate-limited'; message: string; unsynced: number; retryAt: number }
  | { state: 'error'; message: string; unsynced: number };

export interface PullResult {
  status: SyncStatus;
  /** Ids whose local row changed. */
  changed: string[];
  /** Highlights now showing concurrent versions (a conflict note). */
  conflicts: number;
  /** Stored records that could not be read (torn chunk, newer format, damage); retried next time. */
  unreadable: number;
  /** Devices whose items are in sync storage (this one included). */
  devices: string[];
}

export interface PushResult {
  status: SyncStatus;
  /** Write operations spent (set + remove calls). */
  writeOps: number;
  /** Items written and keys removed. */
  itemsWritten: number;
  keysRemoved: number;
  /** Highlights held in this device's keys after the push. */
  held: number;
  /** Highlights whose latest state is not in sync storage (did not fit). */
  unsynced: number;
  /** Tombstones dropped from sync storage by this push (every device had them). */
  pruned: number;
  /** Local edits stamped as new versions by this push. */
  stamped: number;
}

export interface SyncResult {
  pull: PullResult;
  push: PushResult;
  status: SyncStatus;
}

/** What the background reports about sync to extension pages (the popup's status line). */
export interface SyncReport {
  /** 'off': no sync storage in this browser; 'pending': started, no sync has finished yet. */
  state: SyncStatus['state'] | 'off' | 'pending';
  /** The engine's own words (English), for a tooltip or an error's reason. */
  message: string;
  /** Highlights kept only on this device for now. */
  unsynced: number;
  /** Epoch ms of the last sync that wrote or confirmed everything that fit (ok or quota-full). */
  lastSyncAt: number | null;
  /** Epoch ms of the last sync attempt, whatever came of it. */
  checkedAt: number | null;
  /** When a rate-limited sync is retried. */
  retryAt: number | null;
  /** Browsers whose highlights are in sync storage (this one included). */
  devices: number;
  /** Bytes sync storage holds (all devices) and its limit; null when unknown. */
  bytesInUse: number | null;
  bytesQuota: number;
}
