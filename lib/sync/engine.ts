// Highlight sync between a reader's browsers over storage.sync: pull merges every device's items into the
// library, push writes this device's items within the quotas and write rates.
//
// WHO STORES WHAT. Each device writes only its own keys (pack.ts). A device holds a highlight in its
// keys unless another device's keys already hold a state that contains its own (an equal copy stays
// with its holder; of two equal copies the larger device id keeps its own), so the area converges
// to about one copy of each highlight, and the union of all devices' items is always the merged
// state. Gone devices (no manifest write for deviceGoneMs, default 180 days) are cleared by sync()
// after their highlights were merged and taken over (the one write to keys not its own).
//
// QUOTA. Before writing, a push measures every other key in the area and packs what fits the rest:
// tombstones first, then the most recently edited highlights, then any older one that still fits.
// Everything stays in the local library; what did not fit is counted in a 'quota-full' status and
// synced by a later push once space frees up (deletions, shorter notes, a cleared device).
//
// WRITE RATE. A push costs at most two write operations (one set, one remove) and none when nothing
// changed. The engine keeps its own rolling count and stays under `rate` (default 30 a minute and
// 600 an hour, a quarter and a third of Chrome's limits, so restarts without saved state and other
// writers stay safe); over it, push returns 'rate-limited' with retryAt and the changes wait locally.
// requestSync() debounces and retries at retryAt.
//
// TOMBSTONES. A deletion stays in storage until every known device (one that wrote a manifest within
// deviceGoneMs) has acknowledged the holder's items generation that carried it, and no other device's
// keys still carry any state of that highlight; then the holder drops it and marks its local row
// `pruned`. Local tombstone rows are kept for good, and a device publishes its pruned tombstone again
// as soon as an older state of that highlight reappears in storage (a browser back after more than
// deviceGoneMs, a restored backup): the old copy is deleted again everywhere after one more round.
// Limit: until then, browsers that never had the tombstone may briefly show that highlight.
import {
  isDeleted,
  leqState,
  mergeAll,
  mergeStates,
  readLocalRow,
  rowWithState,
  stateKey,
} from './merge';
import {
  DEVICE_ID_PATTERN,
  FORMAT,
  type Manifest,
  type ShardView,
  type StorageView,
  fitShard,
  itemBytes,
  itemHash,
  manifestKey,
  readStorage,
  stableJson,
  syncPriority,
} from './pack';
import {
  CHROME_SYNC_QUOTA,
  type EngineState,
  type LocalStore,
  type PullResult,
  type PushResult,
  type Quota,
  type RecordState,
  type SyncArea,
  type SyncMeta,
  type SyncResult,
  type SyncStatus,
  type SyncedHighlight,
} from './types';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncEngineOptions {
  now?(): number;
  /** Limits of the area (default Chrome's). */
  quota?: Partial<Quota>;
  /** Write operations the engine allows itself per rolling minute and hour. */
  rate?: { perMinute?: number; perHour?: number };
  /** A device silent this long no longer holds back tombstone pruning; sync() clears its keys. */
  deviceGoneMs?: number;
  /** The manifest is rewritten at least this often, so others see the device alive. */
  heartbeatMs?: number;
  /** requestSync() waits this long for more changes before syncing. */
  debounceMs?: number;
  timers?: Timers;
  /** Called after every sync() with its result (rate-limited ones included): the background repaints tabs from it. */
  onSync?(result: SyncResult): void;
}

interface LocalEntry {
  row: SyncedHighlight | null;
  state: RecordState;
  meta: SyncMeta | null;
}

const statusOk = (): SyncStatus => ({ state: 'ok', message: 'All highlights are in sync.', unsynced: 0 });

export class SyncEngine {
  readonly deviceId: string;
  readonly quota: Quota;
  readonly rate: { perMinute: number; perHour: number };
  private readonly now: () => number;
  private readonly goneMs: number;
  private readonly heartbeatMs: number;
  private readonly debounceMs: number;
  private readonly timers: Timers;
  private readonly onSync: ((result: SyncResult) => void) | null;
  private engineState: EngineState | null = null;
  /** Other device → its items generation merged here (from consistent reads only). */
  private acks: Record<string, number> = {};
  private queue: Promise<unknown> = Promise.resolve();
  private pending: { promise: Promise<SyncResult>; resolve: (r: SyncResult) => void; reject: (e: unknown) => void } | null = null;
  private timer: unknown = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly area: SyncArea,
    private readonly local: LocalStore,
    deviceId: string,
    opts: SyncEngineOptions = {},
  ) {
    if (!DEVICE_ID_PATTERN.test(deviceId)) throw new Error(`SyncEngine: device id must match ${DEVICE_ID_PATTERN}`);
    this.deviceId = deviceId;
    this.quota = { ...CHROME_SYNC_QUOTA, ...opts.quota };
    this.rate = {
      perMinute: opts.rate?.perMinute ?? Math.max(1, Math.floor(this.quota.writesPerMinute / 4)),
      perHour: opts.rate?.perHour ?? Math.max(1, Math.floor(this.quota.writesPerHour / 3)),
    };
    this.now = opts.now ?? (() => Date.now());
    this.goneMs = opts.deviceGoneMs ?? 180 * DAY;
    this.heartbeatMs = opts.heartbeatMs ?? 7 * DAY;
    this.debounceMs = opts.debounceMs ?? 2_000;
    this.onSync = opts.onSync ?? null;
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
  }

  // ---------------------------------------------------------------- public API

  /** Merge every device's items into the local library (writes only local rows). */
  pull(): Promise<PullResult> {
    return this.exclusive(async () => {
      try {
        const view = readStorage(await this.area.get(null));
        return await this.applyPull(view);
      } catch (e) {
        return { status: this.errorStatus(e, 0), changed: [], conflicts: 0, unreadable: 0, devices: [] };
      }
    });
  }

  /** Write this device's items (local edits stamped first); does not apply other devices' changes locally. */
  push(): Promise<PushResult> {
    return this.exclusive(() => this.pushWithRetry(false));
  }

  /** Pull, then push; also clears the keys of gone devices once their highlights are taken over. */
  sync(): Promise<SyncResult> {
    return this.exclusive(async () => {
      let pull: PullResult;
      try {
        pull = await this.applyPull(readStorage(await this.area.get(null)));
      } catch (e) {
        pull = { status: this.errorStatus(e, 0), changed: [], conflicts: 0, unreadable: 0, devices: [] };
      }
      const push = await this.pushWithRetry(true);
      const status = pull.status.state === 'error' ? pull.status : push.status;
      const result = { pull, push, status };
      try {
        this.onSync?.(result);
      } catch {
        // A listener's failure is not the sync's.
      }
      return result;
    });
  }

  /**
   * Ask for a sync soon: calls within debounceMs are coalesced into one sync(); a rate-limited
   * result is retried at its retryAt. Resolves with the first sync that is not rate-limited.
   */
  requestSync(): Promise<SyncResult> {
    if (!this.pending) {
      let resolve!: (r: SyncResult) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<SyncResult>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.pending = { promise, resolve, reject };
    }
    this.arm(this.debounceMs);
    return this.pending.promise;
  }

  /** Sync when other devices' items change (storage.onChanged); returns stop(). */
  start(): () => void {
    if (!this.unsubscribe) {
      this.unsubscribe = this.area.onChanged((changes) => {
        const own = (k: string) => k === manifestKey(this.deviceId) || k.startsWith(`h:${this.deviceId}:`);
        const foreign = Object.keys(changes).some((k) => !own(k));
        if (foreign) void this.requestSync().catch(() => undefined);
      });
    }
    return () => this.stop();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  // ---------------------------------------------------------------- scheduling

  private arm(ms: number): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.fire();
    }, Math.max(0, ms));
  }

  private async fire(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    try {
      const result = await this.sync();
      if (result.status.state === 'rate-limited') {
        this.arm(result.status.retryAt - this.now());
        return;
      }
      if (this.pending === pending) this.pending = null;
      pending.resolve(result);
    } catch (e) {
      if (this.pending === pending) this.pending = null;
      pending.reject(e);
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- engine state, rate

  private async loadEngineState(): Promise<EngineState> {
    if (!this.engineState) {
      const saved = await this.local.loadState?.();
      this.engineState = {
        writes: Array.isArray(saved?.writes) ? saved!.writes.filter((t) => typeof t === 'number') : [],
        gen: typeof saved?.gen === 'number' ? saved.gen : 0,
      };
    }
    return this.engineState;
  }

  private async saveEngineState(): Promise<void> {
    if (this.engineState) await this.local.saveState?.(this.engineState);
  }

  /** When `ops` more writes would be within the rate, or null if they are now. */
  private rateBlockedUntil(now: number, ops: number): number | null {
    const st = this.engineState!;
    st.writes = st.writes.filter((t) => t >= now - HOUR).sort((a, b) => a - b);
    const windows: Array<[number, number]> = [
      [MINUTE, this.rate.perMinute],
      [HOUR, this.rate.perHour],
    ];
    let until: number | null = null;
    for (const [span, limit] of windows) {
      const inWindow = st.writes.filter((t) => t >= now - span);
      const over = inWindow.length + ops - limit;
      if (over > 0) {
        // The window must lose `over` writes: wait until the over-th oldest leaves it.
        const t = (inWindow[over - 1] ?? now) + span + 1;
        until = Math.max(until ?? 0, t);
      }
    }
    return until;
  }

  // ---------------------------------------------------------------- local rows

  /** Every local record with its state; local edits stamped as new versions (written back first). */
  private async loadLocal(view: StorageView): Promise<{ entries: Map<string, LocalEntry>; stamped: number }> {
    const rows = await this.local.all();
    const entries = new Map<string, LocalEntry>();
    const toStamp: Array<{ before: SyncedHighlight; after: SyncedHighlight; state: RecordState }> = [];
    // This device's highest version per highlight in storage: a new edit goes above it.
    const floor = new Map<string, number>();
    for (const shard of view.shards.values()) {
      for (const s of shard.states) {
        const v = s.clock[this.deviceId];
        if (v && v > (floor.get(s.id) ?? 0)) floor.set(s.id, v);
      }
    }
    for (const row of rows) {
      const read = readLocalRow(row, this.deviceId, floor.get(row.id) ?? 0);
      if (read.stamped) toStamp.push({ before: row, after: read.stamped, state: read.state });
      else entries.set(row.id, { row, state: read.state, meta: read.meta });
    }
    const written = await this.writeIfUnchanged(toStamp.map((t) => ({ before: t.before, after: t.after })));
    for (const t of toStamp) {
      if (written.has(t.after.id)) {
        entries.set(t.after.id, { row: t.after, state: t.state, meta: t.after.sync! });
        continue;
      }
      // Edited again meanwhile: this round uses the last synced state; the next one stamps the edit.
      const old = readLocalRow({ ...t.before, sync: t.before.sync }, this.deviceId);
      if (t.before.sync && !old.stamped) entries.set(t.before.id, { row: t.before, state: old.state, meta: old.meta });
    }
    return { entries, stamped: written.size };
  }

  /** Write rows whose stored copy is still `before` (a reader's edit in between wins; it syncs next time). */
  private async writeIfUnchanged(changes: Array<{ before: SyncedHighlight | null; after: SyncedHighlight }>): Promise<Set<string>> {
    const done = new Set<string>();
    if (!changes.length) return done;
    const run = async () => {
      const current = await this.local.get(changes.map((c) => c.after.id));
      const rows: SyncedHighlight[] = [];
      changes.forEach((c, i) => {
        const now = current[i];
        const same = c.before === null ? now === undefined : now !== undefined && JSON.stringify(now) === JSON.stringify(c.before);
        if (same) {
          rows.push(c.after);
          done.add(c.after.id);
        }
      });
      if (rows.length) await this.local.upsert(rows);
    };
    if (this.local.transaction) await this.local.transaction(run);
    else await run();
    return done;
  }

  // ---------------------------------------------------------------- pull

  private async applyPull(view: StorageView): Promise<PullResult> {
    await this.loadEngineState();
    const { entries } = await this.loadLocal(view);
    const stored = new Map<string, RecordState[]>();
    let unreadable = 0;
    for (const shard of view.shards.values()) {
      if (shard.newer) continue;
      unreadable += shard.unreadable;
      for (const s of shard.states) {
        const list = stored.get(s.id);
        if (list) list.push(s);
        else stored.set(s.id, [s]);
      }
    }
    const changes: Array<{ before: SyncedHighlight | null; after: SyncedHighlight }> = [];
    let conflicts = 0;
    for (const [id, states] of stored) {
      const inStorage = mergeAll(states)!;
      const mine = entries.get(id);
      if (!mine?.row) {
        // A deletion of a highlight this device never had needs no row.
        if (!isDeleted(inStorage)) changes.push({ before: null, after: rowWithState(inStorage, undefined, { known: true }) });
        if (inStorage.heads.length > 1) conflicts++;
        continue;
      }
      const merged = mergeStates(mine.state, inStorage);
      if (merged.heads.length > 1) conflicts++;
      const known = leqState(merged, inStorage);
      const changed = stateKey(merged) !== stateKey(mine.state);
      if (changed || known !== !!mine.meta?.known) {
        const flags = changed
          ? { known, heldSince: mine.meta?.heldSince }
          : { known, heldSince: mine.meta?.heldSince, pruned: mine.meta?.pruned };
        changes.push({ before: mine.row, after: rowWithState(merged, mine.row, flags) });
      }
    }
    const written = await this.writeIfUnchanged(changes);
    const changed = changes
      .filter((c) => written.has(c.after.id))
      .filter((c) => !c.before || JSON.stringify(stripMeta(c.before)) !== JSON.stringify(stripMeta(c.after)))
      .map((c) => c.after.id);
    for (const shard of view.shards.values()) {
      if (shard.device === this.deviceId || !shard.consistent || shard.unreadable || !shard.manifest) continue;
      this.acks[shard.device] = Math.max(this.acks[shard.device] ?? 0, shard.manifest.g);
    }
    return {
      status: statusOk(),
      changed: changed.sort(),
      conflicts,
      unreadable,
      devices: [...view.shards.keys()].filter((d) => !view.shards.get(d)!.newer).sort(),
    };
  }

  // ---------------------------------------------------------------- push

  private async pushWithRetry(clearGone: boolean): Promise<PushResult> {
    let last: PushResult | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const view = readStorage(await this.area.get(null));
        last = await this.applyPush(view, clearGone);
        // A quota error means the area changed under us (another browser's write arrived): read again once.
        if (last.status.state !== 'error' || !/QUOTA_BYTES|MAX_ITEMS/.test(last.status.message)) return last;
      } catch (e) {
        return emptyPush(this.errorStatus(e, 0));
      }
    }
    return last!;
  }

  private async applyPush(view: StorageView, clearGone: boolean): Promise<PushResult> {
    const st = await this.loadEngineState();
    const now = this.now();
    const { entries, stamped } = await this.loadLocal(view);
    const me = this.deviceId;
    const mine: ShardView | undefined = view.shards.get(me);

    const isGone = (s: ShardView) =>
      clearGone && s.device !== me && !s.newer && !!s.manifest && now - s.manifest.t > this.goneMs && s.consistent && !s.unreadable;
    const gone = [...view.shards.values()].filter(isGone);
    const others = [...view.shards.values()].filter((s) => s.device !== me && !gone.includes(s));

    const othersById = new Map<string, Array<{ device: string; state: RecordState }>>();
    for (const s of others) {
      for (const state of s.states) {
        const list = othersById.get(state.id);
        if (list) list.push({ device: s.device, state });
        else othersById.set(state.id, [{ device: s.device, state }]);
      }
    }
    const myStored = new Map((mine?.states ?? []).map((s) => [s.id, s]));
    // Highlights only a gone device held are taken over (sync() merged them locally first).
    const candidates = new Map<string, { state: RecordState; entry: LocalEntry | null }>();
    for (const [id, e] of entries) {
      const ownCopy = myStored.get(id);
      candidates.set(id, { state: ownCopy ? mergeStates(e.state, ownCopy) : e.state, entry: e });
    }
    for (const [id, s] of myStored) if (!candidates.has(id)) candidates.set(id, { state: s, entry: null });
    for (const g of gone) {
      for (const s of g.states) {
        const c = candidates.get(s.id);
        if (!c) candidates.set(s.id, { state: s, entry: null });
        else c.state = mergeStates(c.state, s);
      }
    }

    const knownDevices = others.filter((s) => !s.newer && (!s.manifest || now - s.manifest.t <= this.goneMs));
    const ackedBy = (gen: number) => knownDevices.every((s) => (s.manifest?.s[me] ?? -1) >= gen);
    const gen = Math.max(
      st.gen,
      mine?.manifest?.g ?? 0,
      ...others.map((s) => s.manifest?.s[me] ?? 0),
    );

    const hold: RecordState[] = [];
    const metaFlags = new Map<string, Partial<SyncMeta>>();
    let pruned = 0;
    for (const [id, { state, entry }] of candidates) {
      const meta = entry?.meta ?? null;
      const elsewhere = othersById.get(id) ?? [];
      const key = stateKey(state);
      if (isDeleted(state) && elsewhere.length === 0) {
        // A pruned tombstone stays local; it is published again only if some device brings back an old state.
        if (meta?.pruned) continue;
        const stored = myStored.get(id);
        if (!stored && meta?.known) {
          // It was in storage and no device carries it any more: its holder pruned it.
          metaFlags.set(id, { pruned: true });
          continue;
        }
        if (stored && stateKey(stored) === key && ackedBy(meta?.heldSince ?? mine?.manifest?.g ?? gen)) {
          metaFlags.set(id, { pruned: true, heldSince: undefined });
          pruned++;
          continue;
        }
      }
      // Covered when another device holds a state containing ours; an equal copy is left to its
      // holder (no churn), and of two equal copies the larger device id keeps its own.
      const holding = myStored.has(id) && stateKey(myStored.get(id)!) === key;
      const covered = elsewhere.some((o) => {
        const k = stateKey(o.state);
        return k === key ? !holding || o.device > me : leqState(state, o.state);
      });
      if (covered) {
        if (entry && !meta?.known) metaFlags.set(id, { known: true });
        continue;
      }
      hold.push(state);
    }
    hold.sort(syncPriority);

    // Room: the quota minus every key that is not ours (gone devices' keys are being removed).
    const goneBytes = gone.reduce((n, s) => n + s.bytes, 0);
    const goneCount = gone.reduce((n, s) => n + s.keys.length, 0);
    const othersBytes = view.bytes - (mine?.bytes ?? 0) - goneBytes;
    const othersCount = view.count - (mine?.keys.length ?? 0) - goneCount;
    const acks = { ...(mine?.manifest?.s ?? {}) };
    for (const [d, g] of Object.entries(this.acks)) acks[d] = Math.max(acks[d] ?? 0, g);
    for (const s of gone) delete acks[s.device];
    const manifestFor = (g: number, k: string[]): Manifest => ({ f: FORMAT, g, k, t: now, s: sortedRecord(acks) });
    let reserve = itemBytes(manifestKey(me), manifestFor(gen + 1, new Array(24).fill('x'.repeat(9))));
    let fit = fitShard(me, hold, {
      bytes: this.quota.bytes - othersBytes - reserve,
      items: this.quota.maxItems - othersCount - 1,
      bytesPerItem: this.quota.bytesPerItem,
    });
    const kFor = (items: Record<string, unknown>, keys: string[]) => keys.map((k) => itemHash(items[k]));
    const exact = itemBytes(manifestKey(me), manifestFor(gen + 1, kFor(fit.packed.items, fit.packed.keys)));
    if (exact > reserve) {
      reserve = exact;
      fit = fitShard(me, hold, {
        bytes: this.quota.bytes - othersBytes - reserve,
        items: this.quota.maxItems - othersCount - 1,
        bytesPerItem: this.quota.bytesPerItem,
      });
    }
    const { packed } = fit;
    const excluded = new Set(fit.excluded);

    // What changes in the area.
    const itemsChanged =
      !mine?.manifest ||
      mine.manifest.k.length !== packed.keys.length ||
      packed.keys.some((k) => !(k in (mine?.items ?? {})) || stableJson(mine!.items[k]) !== stableJson(packed.items[k]));
    const newGen = itemsChanged ? gen + 1 : Math.max(gen, mine?.manifest?.g ?? 0);
    const manifest = manifestFor(newGen, kFor(packed.items, packed.keys));
    const old = mine?.manifest;
    const tombstoneHolders = new Set(others.filter((s) => s.states.some(isDeleted)).map((s) => s.device));
    const ackNeeded = !!old && Object.entries(acks).some(([d, g]) => tombstoneHolders.has(d) && (old.s[d] ?? -1) < g);
    const writeManifest =
      itemsChanged || !old || old.f !== FORMAT || ackNeeded || now - old.t >= this.heartbeatMs || !!gone.length;
    const set: Record<string, unknown> = {};
    for (const k of packed.keys) {
      if (!mine || !(k in mine.items) || stableJson(mine.items[k]) !== stableJson(packed.items[k])) set[k] = packed.items[k];
    }
    if (writeManifest) set[manifestKey(me)] = manifest;
    const keep = new Set([...packed.keys, manifestKey(me)]);
    const remove = [...(mine?.keys ?? []).filter((k) => !keep.has(k)), ...gone.flatMap((s) => s.keys)];

    const unsynced = excluded.size;
    const heldStates = new Map(hold.filter((s) => !excluded.has(s.id)).map((s) => [s.id, s]));
    const waiting = hold.filter((s) => {
      const stored = myStored.get(s.id);
      return !stored || stateKey(stored) !== stateKey(s);
    }).length;
    const result = (status: SyncStatus, ops: number): PushResult => ({
      status,
      writeOps: ops,
      itemsWritten: ops ? Object.keys(set).length : 0,
      keysRemoved: ops ? remove.length : 0,
      held: packed.ids.length,
      unsynced,
      pruned: ops ? pruned : 0,
      stamped,
    });
    const fullStatus = (): SyncStatus =>
      unsynced
        ? {
            state: 'quota-full',
            message:
              `Browser sync storage is full: ${unsynced} highlight${unsynced === 1 ? '' : 's'} ` +
              'kept on this device only; they will sync when space frees up.',
            unsynced,
            bytesNeeded: fit.bytesNeeded,
            bytesAvailable: Math.max(0, this.quota.bytes - othersBytes - reserve),
          }
        : statusOk();

    const ops = (Object.keys(set).length ? 1 : 0) + (remove.length ? 1 : 0);
    if (ops === 0) {
      await this.saveFlags(entries, metaFlags, heldStates, excluded, myStored, gen, newGen);
      return result(fullStatus(), 0);
    }
    const blocked = this.rateBlockedUntil(now, ops);
    if (blocked !== null) {
      return result(
        {
          state: 'rate-limited',
          message: 'Waiting to stay within the browser sync write limits; changes are kept on this device.',
          unsynced: Math.max(unsynced, waiting),
          retryAt: blocked,
        },
        0,
      );
    }
    // Remove first when the old and new items together would not fit.
    const staleBytes = (mine?.keys ?? []).filter((k) => !keep.has(k)).reduce((n, k) => n + itemBytes(k, mine!.items[k]), 0);
    const totalAfterSet = othersBytes + goneBytes + packed.bytes + itemBytes(manifestKey(me), manifest) + staleBytes;
    const removeFirst = totalAfterSet > this.quota.bytes || othersCount + goneCount + packed.keys.length + 1 + remove.length > this.quota.maxItems;
    let spent = 0;
    try {
      const doSet = async () => {
        if (!Object.keys(set).length) return;
        st.writes.push(this.now());
        spent++;
        await this.area.set(set);
      };
      const doRemove = async () => {
        if (!remove.length) return;
        st.writes.push(this.now());
        spent++;
        await this.area.remove(remove);
      };
      if (removeFirst) {
        await doRemove();
        await doSet();
      } else {
        await doSet();
        await doRemove();
      }
    } catch (e) {
      await this.saveEngineState();
      const status = this.errorStatus(e, unsynced);
      return result(status, spent);
    }
    st.gen = newGen;
    await this.saveEngineState();
    await this.saveFlags(entries, metaFlags, heldStates, excluded, myStored, gen, newGen);
    return result(fullStatus(), spent);
  }

  /** Record on local rows what the push established: known, held since, pruned. */
  private async saveFlags(
    entries: Map<string, LocalEntry>,
    flags: Map<string, Partial<SyncMeta>>,
    held: Map<string, RecordState>,
    excluded: Set<string>,
    myStored: Map<string, RecordState>,
    oldGen: number,
    newGen: number,
  ): Promise<void> {
    for (const [id, state] of held) {
      const e = entries.get(id);
      if (!e) continue;
      const stored = myStored.get(id);
      const same = !!stored && stateKey(stored) === stateKey(state);
      const heldSince = same ? (e.meta?.heldSince ?? oldGen) : newGen;
      flags.set(id, { ...flags.get(id), known: true, pruned: undefined, heldSince });
    }
    for (const id of excluded) if (entries.get(id)?.meta?.known) flags.set(id, { ...flags.get(id), known: false });
    const changes: Array<{ before: SyncedHighlight; after: SyncedHighlight }> = [];
    for (const [id, f] of flags) {
      const e = entries.get(id);
      if (!e?.row || !e.meta) continue;
      const next: SyncMeta = { ...e.meta, ...f };
      for (const k of Object.keys(next) as Array<keyof SyncMeta>) if (next[k] === undefined || next[k] === false) delete next[k];
      if (stableJson(next) === stableJson(e.meta)) continue;
      changes.push({ before: e.row, after: { ...e.row, sync: next } });
    }
    await this.writeIfUnchanged(changes);
  }

  private errorStatus(e: unknown, unsynced: number): SyncStatus {
    const message = e instanceof Error ? e.message : String(e);
    if (/MAX_WRITE_OPERATIONS/.test(message)) {
      return {
        state: 'rate-limited',
        message: 'The browser refused a sync write (write limit); changes are kept on this device.',
        unsynced: Math.max(unsynced, 1),
        retryAt: this.now() + MINUTE,
      };
    }
    return { state: 'error', message, unsynced };
  }
}

function emptyPush(status: SyncStatus): PushResult {
  return { status, writeOps: 0, itemsWritten: 0, keysRemoved: 0, held: 0, unsynced: status.unsynced, pruned: 0, stamped: 0 };
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}

function stripMeta(r: SyncedHighlight): Omit<SyncedHighlight, 'sync'> {
  const { sync: _s, ...rest } = r;
  return rest;
}
