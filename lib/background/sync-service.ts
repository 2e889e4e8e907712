// Highlight sync as the background runs it: the engine over the library and a sync area, the plans a sync
// changed handed to the caller (to repaint open tabs), and the last outcome kept for the popup's status line.
import type { LibraryDB } from '../library/db';
import { SyncEngine, type SyncEngineOptions } from '../sync/engine';
import { LibraryLocalStore, syncDeviceId, type LastSync } from '../sync/library-store';
import type { SyncArea, SyncReport, SyncResult } from '../sync/types';

export interface SyncServiceOptions extends Omit<SyncEngineOptions, 'onSync'> {
  /** Plans whose highlights a sync changed in this library (arrived from another browser). */
  onRemoteChange?(planIds: string[]): void;
}

export class SyncService {
  /** Resolves once the last sync's result is recorded and its plans reported (tests wait on it). */
  settled: Promise<void> = Promise.resolve();
  private last: LastSync | null = null;
  private stopEngine: (() => void) | null = null;

  private constructor(
    readonly db: LibraryDB,
    private readonly area: SyncArea & { bytesInUse?(): Promise<number> },
    readonly store: LibraryLocalStore,
    readonly engine: SyncEngine,
    private readonly opts: SyncServiceOptions,
  ) {}

  /** The service for this library (its device id made on first use); call start() to sync. */
  static async open(db: LibraryDB, area: SyncArea & { bytesInUse?(): Promise<number> }, opts: SyncServiceOptions = {}): Promise<SyncService> {
    const store = new LibraryLocalStore(db);
    const device = await syncDeviceId(db);
    let self: SyncService | null = null;
    const { onRemoteChange: _o, ...engineOpts } = opts;
    const engine = new SyncEngine(area, store, device, {
      ...engineOpts,
      onSync: (result) => self?.recorded(result),
    });
    self = new SyncService(db, area, store, engine, opts);
    self.last = await store.loadLastSync();
    return self;
  }

  get deviceId(): string {
    return this.engine.deviceId;
  }

  /** Follow other browsers' changes (storage onChanged) and sync once now: what arrived while the worker slept. */
  start(): void {
    this.stopEngine ??= this.engine.start();
    this.requestSync();
  }

  stop(): void {
    this.stopEngine?.();
    this.stopEngine = null;
  }

  /** After a local highlight change: a debounced sync (errors are recorded in the status, never thrown). */
  requestSync(): void {
    void this.engine.requestSync().catch(() => undefined);
  }

  /** Sync at once (tests, a "sync now" action); the result is recorded like any other. */
  async syncNow(): Promise<SyncResult> {
    const result = await this.engine.sync();
    await this.settled;
    return result;
  }

  /** The status line's data: the last outcome, with the area's current size. */
  async report(): Promise<SyncReport> {
    await this.settled;
    const last = this.last ?? (await this.store.loadLastSync());
    let bytesInUse: number | null = null;
    try {
      bytesInUse = this.area.bytesInUse ? await this.area.bytesInUse() : null;
    } catch {
      bytesInUse = null;
    }
    const s = last?.status;
    return {
      state: s ? s.state : 'pending',
      message: s?.message ?? '',
      unsynced: s?.unsynced ?? 0,
      lastSyncAt: last?.okAt ?? null,
      checkedAt: last?.at ?? null,
      retryAt: s?.state === 'rate-limited' ? s.retryAt : null,
      devices: last?.devices ?? 0,
      bytesInUse,
      bytesQuota: this.engine.quota.bytes,
    };
  }

  /** Every sync's result: kept (memory and meta), and the plans it changed reported. */
  private recorded(result: SyncResult): void {
    const at = this.opts.now ? this.opts.now() : Date.now();
    const ok = result.status.state === 'ok' || result.status.state === 'quota-full';
    const last: LastSync = {
      at,
      okAt: ok ? at : (this.last?.okAt ?? null),
      status: result.status,
      // This browser counts once its own items are written (the pull ran before the push).
      devices: new Set([...result.pull.devices, ...(result.push.status.state === 'error' ? [] : [this.engine.deviceId])]).size,
    };
    this.last = last;
    const changed = result.pull.changed;
    this.settled = this.settled.then(async () => {
      try {
        await this.store.saveLastSync(last);
        if (!changed.length || !this.opts.onRemoteChange) return;
        const rows = await this.db.highlights.bulkGet(changed);
        const planIds = [...new Set(rows.map((r) => r?.planId).filter((id): id is string => !!id))].sort();
        if (planIds.length) this.opts.onRemoteChange(planIds);
      } catch {
        // The library closed meanwhile (worker stopping): the next sync reports again.
      }
    });
  }
}
