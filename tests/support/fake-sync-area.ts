// Test doubles for highlight sync: a storage.sync cloud shared by simulated browsers (Chrome's quotas and
// errors exactly, per-browser replicas, offline mode, change events), an in-memory LocalStore, seed highlights.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HighlightRow } from '../../lib/library/db';
import { planKey } from '../../lib/library/identity';
import {
  CHROME_SYNC_QUOTA,
  type EngineState,
  type LocalStore,
  type Quota,
  type SyncArea,
  type SyncChange,
  type SyncedHighlight,
} from '../../lib/sync/types';
import { seedDoc, SEED_FILES } from './docs';
import { SEEDS_DIR } from './paths';

// ---------------------------------------------------------------- Chrome's size rule, written independently

/** JSON as base::JSONWriter writes it (escapes '<', U+2028/9; doubles outside int32 get ".0"). */
export function chromeJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    const int32 = Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 && !Object.is(v, -0);
    if (int32) return String(v);
    let real = String(v);
    if (!/[.eE]/.test(real)) real += '.0';
    return real;
  }
  if (typeof v === 'string') {
    let out = '"';
    for (const ch of v) {
      let cp = ch.codePointAt(0)!;
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // V8 → UTF-8 replaces lone surrogates
      const special: Record<number, string> = {
        0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x5c: '\\\\', 0x22: '\\"',
        0x3c: '\\u003C', 0x2028: '\\u2028', 0x2029: '\\u2029',
      };
      if (special[cp]) out += special[cp];
      else if (cp < 0x20) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
      else out += String.fromCodePoint(cp);
    }
    return out + '"';
  }
  if (Array.isArray(v)) return '[' + v.map((x) => chromeJson(x)).join(',') + ']';
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && typeof x !== 'function')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, x]) => chromeJson(k) + ':' + chromeJson(x)).join(',') + '}';
  }
  return 'null';
}

/** Quota size of one item: key bytes + JSON bytes (UTF-8). */
export function chromeItemSize(key: string, value: unknown): number {
  return Buffer.byteLength(key, 'utf8') + Buffer.byteLength(chromeJson(value), 'utf8');
}

// ---------------------------------------------------------------- the cloud and its browsers

type Change = { key: string; value: string | null };

/** Chrome's TimedLimit bucket: N tokens, refilled when an operation comes after the window ends. */
class Bucket {
  private tokens = 0;
  private expires: number | null = null;
  constructor(
    private readonly limit: number,
    private readonly span: number,
  ) {}
  take(now: number): boolean {
    if (this.expires === null || now > this.expires) {
      this.tokens = this.limit;
      this.expires = now + this.span;
    }
    if (this.tokens === 0) return false;
    this.tokens--;
    return true;
  }
}

export interface WriteRecord {
  at: number;
  op: 'set' | 'remove';
  keys: string[];
  /** null when it succeeded, else Chrome's error message. */
  error: string | null;
}

/**
 * The sync server every simulated browser talks to. Writes reach the server and the other browsers
 * at once unless a browser is offline (then its writes wait in an outbox, and what others wrote waits
 * for it) or `manual` is on (then deliveries wait for deliver()). Per key, the last arrival wins.
 */
export class FakeSyncArea {
  readonly quota: Quota;
  /** Hold every delivery (both directions) until deliver() is called. */
  manual = false;
  private readonly server = new Map<string, string>();
  readonly browsers = new Map<string, FakeBrowserSync>();

  constructor(opts: { quota?: Partial<Quota> } = {}) {
    this.quota = { ...CHROME_SYNC_QUOTA, ...opts.quota };
  }

  /** A browser's chrome.storage.sync (a replica of the server). */
  browser(name: string, now: () => number): FakeBrowserSync {
    const b = new FakeBrowserSync(this, name, now);
    for (const [k, v] of this.server) b.replica.set(k, v);
    this.browsers.set(name, b);
    return b;
  }

  /** What the server holds. */
  serverItems(): Record<string, unknown> {
    return Object.fromEntries([...this.server].map(([k, v]) => [k, JSON.parse(v)]));
  }

  serverBytes(): number {
    let n = 0;
    for (const [k, v] of this.server) n += chromeItemSize(k, JSON.parse(v));
    return n;
  }

  /** Deliver held changes: uploads first, then downloads; `limit` per browser for half-arrived writes. */
  deliver(limit = Infinity): void {
    for (const b of this.browsers.values()) if (b.online) this.upload(b, limit);
    for (const b of this.browsers.values()) if (b.online) b.download(limit);
  }

  /** @internal */
  upload(from: FakeBrowserSync, limit = Infinity): void {
    let n = 0;
    while (from.outbox.length && n < limit) {
      const c = from.outbox.shift()!;
      n++;
      if (c.value === null) this.server.delete(c.key);
      else this.server.set(c.key, c.value);
      for (const b of this.browsers.values()) if (b !== from) b.inbox.push(c);
    }
  }

  /** @internal called after a browser wrote */
  wrote(from: FakeBrowserSync): void {
    if (this.manual || !from.online) return;
    this.upload(from);
    for (const b of this.browsers.values()) if (b !== from && b.online) b.download();
  }
}

/** One browser's storage.sync: Chrome's quota checks and errors, a write log, onChanged. */
export class FakeBrowserSync implements SyncArea {
  online = true;
  readonly replica = new Map<string, string>();
  readonly outbox: Change[] = [];
  readonly inbox: Change[] = [];
  readonly writes: WriteRecord[] = [];
  private readonly listeners = new Set<(changes: Record<string, SyncChange>) => void>();
  private readonly minute: Bucket;
  private readonly hour: Bucket;

  constructor(
    private readonly cloud: FakeSyncArea,
    readonly name: string,
    private readonly now: () => number,
  ) {
    this.minute = new Bucket(cloud.quota.writesPerMinute, 60_000);
    this.hour = new Bucket(cloud.quota.writesPerHour, 3_600_000);
  }

  async get(keys?: string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.replica) if (!keys || keys.includes(k)) out[k] = JSON.parse(v);
    return out;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    this.assessRate('set', Object.keys(items));
    const q = this.cloud.quota;
    const sizes = new Map<string, number>();
    for (const [k, v] of this.replica) sizes.set(k, chromeItemSize(k, JSON.parse(v)));
    for (const [k, v] of Object.entries(items)) {
      const size = chromeItemSize(k, v);
      sizes.set(k, size);
      if (size > q.bytesPerItem) return this.fail('QUOTA_BYTES_PER_ITEM quota exceeded');
    }
    let total = 0;
    for (const n of sizes.values()) total += n;
    if (total > q.bytes) return this.fail('QUOTA_BYTES quota exceeded');
    if (sizes.size > q.maxItems) return this.fail('MAX_ITEMS quota exceeded');
    const changes: Record<string, SyncChange> = {};
    for (const [k, v] of Object.entries(items)) {
      const json = JSON.stringify(v);
      const old = this.replica.get(k);
      if (old === json) continue;
      changes[k] = { ...(old !== undefined ? { oldValue: JSON.parse(old) } : {}), newValue: JSON.parse(json) };
      this.replica.set(k, json);
      this.outbox.push({ key: k, value: json });
    }
    this.emit(changes);
    this.cloud.wrote(this);
  }

  async remove(keys: string[]): Promise<void> {
    this.assessRate('remove', keys);
    const changes: Record<string, SyncChange> = {};
    for (const k of keys) {
      const old = this.replica.get(k);
      if (old === undefined) continue;
      changes[k] = { oldValue: JSON.parse(old) };
      this.replica.delete(k);
      this.outbox.push({ key: k, value: null });
    }
    this.emit(changes);
    this.cloud.wrote(this);
  }

  onChanged(listener: (changes: Record<string, SyncChange>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bytes in use, as Chrome's getBytesInUse(null). */
  bytesInUse(): number {
    let n = 0;
    for (const [k, v] of this.replica) n += chromeItemSize(k, JSON.parse(v));
    return n;
  }

  goOffline(): void {
    this.online = false;
  }

  /** Back online: what this browser wrote goes up, then what the others wrote comes down. */
  goOnline(): void {
    this.online = true;
    if (this.cloud.manual) return;
    this.cloud.upload(this);
    for (const b of this.cloud.browsers.values()) if (b !== this && b.online) b.download();
    this.download();
  }

  /** @internal apply server changes (no quota check, as Chrome applies incoming sync data). */
  download(limit = Infinity): void {
    const changes: Record<string, SyncChange> = {};
    let n = 0;
    while (this.inbox.length && n < limit) {
      const c = this.inbox.shift()!;
      n++;
      if (this.outbox.some((o) => o.key === c.key)) continue; // a local write not yet uploaded wins
      const old = this.replica.get(c.key);
      if (old === (c.value ?? undefined)) continue;
      if (c.value === null) this.replica.delete(c.key);
      else this.replica.set(c.key, c.value);
      changes[c.key] = {
        ...(old !== undefined ? { oldValue: JSON.parse(old) } : {}),
        ...(c.value !== null ? { newValue: JSON.parse(c.value) } : {}),
      };
    }
    this.emit(changes);
  }

  /** Write operations per window [t, t + 60 s] at their worst (for rate assertions). */
  maxWritesPerMinute(): number {
    const ts = this.writes.map((w) => w.at).sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < ts.length; i++) {
      while (ts[i] - ts[j] > 60_000) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  private assessRate(op: 'set' | 'remove', keys: string[]): void {
    const at = this.now();
    const rec: WriteRecord = { at, op, keys: [...keys], error: null };
    this.writes.push(rec);
    // Chrome assesses the per-minute heuristic, then the per-hour one, before running the call.
    if (!this.minute.take(at)) rec.error = 'This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.';
    else if (!this.hour.take(at)) rec.error = 'This request exceeds the MAX_WRITE_OPERATIONS_PER_HOUR quota.';
    if (rec.error) throw new Error(rec.error);
  }

  private fail(message: string): never {
    this.writes[this.writes.length - 1].error = message;
    throw new Error(message);
  }

  private emit(changes: Record<string, SyncChange>): void {
    if (!Object.keys(changes).length) return;
    for (const l of [...this.listeners]) queueMicrotask(() => l(changes));
  }
}

// ---------------------------------------------------------------- local store

/** The library's highlight table in memory (rows cloned in and out, as IndexedDB does). */
export class MemoryLocalStore implements LocalStore {
  readonly rows = new Map<string, SyncedHighlight>();
  state: EngineState | undefined;
  /** Called between the engine's read and its conditional write (to simulate a reader's edit then). */
  beforeWrite: (() => Promise<void> | void) | null = null;

  async all(): Promise<SyncedHighlight[]> {
    return [...this.rows.values()].map((r) => structuredClone(r));
  }
  async get(ids: string[]): Promise<Array<SyncedHighlight | undefined>> {
    return ids.map((id) => {
      const r = this.rows.get(id);
      return r && structuredClone(r);
    });
  }
  async upsert(rows: SyncedHighlight[]): Promise<void> {
    for (const r of rows) this.rows.set(r.id, structuredClone(r));
  }
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const hook = this.beforeWrite;
    this.beforeWrite = null;
    await hook?.();
    return fn();
  }
  async loadState(): Promise<EngineState | undefined> {
    return this.state && structuredClone(this.state);
  }
  async saveState(state: EngineState): Promise<void> {
    this.state = structuredClone(state);
  }

  /** Live rows, without local-only fields, sorted by id: what must agree across devices. */
  live(): Array<Omit<HighlightRow, 'planId' | 'orphaned'>> {
    return [...this.rows.values()]
      .filter((r) => !r.deleted)
      .map(({ sync: _s, planId: _p, orphaned: _o, ...rest }) => rest)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  row(id: string): SyncedHighlight | undefined {
    return this.rows.get(id);
  }
}

// ---------------------------------------------------------------- simulated time

/** A clock tests move by hand. */
export class SimClock {
  constructor(public t = Date.UTC(2024, 2, 1, 9, 0, 0)) {}
  now = (): number => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

// ---------------------------------------------------------------- highlights on real seed text

/**
 * A reader's edit as the highlight store makes it (lib/highlights/store.ts editedRow): changes
 * applied, version + 1, updatedAt never going backwards, this device as editor; `sync` kept.
 */
export function localEdit(
  row: SyncedHighlight,
  changes: Partial<Pick<HighlightRow, 'color' | 'note' | 'tags' | 'deleted' | 'end'>>,
  deviceId: string,
  now: number,
): SyncedHighlight {
  return { ...row, ...changes, version: row.version + 1, updatedAt: Math.max(now, row.updatedAt), deviceId };
}

/** The five seed documents with their plan keys and plain text. */
export const SEED_PLANS = SEED_FILES.map((file, i) => {
  const doc = seedDoc(i);
  return { file, key: planKey(doc), text: readFileSync(path.join(SEEDS_DIR, file), 'utf8'), url: doc.url };
});

/** Passages of a seed: its sentences (ending in 。；!?), trimmed, 8–80 characters. */
export function seedSentences(seed: number): string[] {
  const text = SEED_PLANS[seed].text;
  const out: string[] = [];
  for (const m of text.matchAll(/[^。；！？\n]{8,80}[。；！？]/g)) out.push(m[0].trim());
  return out.filter((s) => s.length >= 8);
}

/** A long passage of real text from a seed (for notes): `chars` characters from `from`. */
export function seedPassage(seed: number, from: number, chars: number): string {
  const text = SEED_PLANS[seed].text.replace(/\s+/g, '');
  const start = from % Math.max(1, text.length - chars);
  return text.slice(start, start + chars);
}

/** A highlight row on the n-th sentence of a seed, quote and context taken from the seed text. */
export function seedHighlight(
  seed: number,
  n: number,
  fields: Partial<HighlightRow> & { deviceId: string; createdAt: number },
): SyncedHighlight {
  const p = SEED_PLANS[seed];
  const sentences = seedSentences(seed);
  const quote = sentences[n % sentences.length];
  const start = p.text.indexOf(quote);
  if (start < 0) throw new Error('quote not in seed');
  const end = start + quote.length;
  return {
    id: `hl-${seed}-${start}`,
    planId: `plan-${seed}-${fields.deviceId}`,
    planKey: p.key,
    url: p.url,
    quote,
    prefix: p.text.slice(Math.max(0, start - 16), start),
    suffix: p.text.slice(end, end + 16),
    start,
    end,
    clauseId: null,
    color: 'yellow',
    note: '',
    tags: [],
    updatedAt: fields.createdAt,
    version: 1,
    deleted: false,
    orphaned: false,
    ...fields,
  };
}
