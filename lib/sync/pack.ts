// Highlight record states packed into storage.sync items: compact form, items within the per-item quota, chunks.
//
// LAYOUT. Each device writes only its own keys, so two browsers writing at once never overwrite each
// other (readers merge every device's items):
//   m:<deviceId>     manifest  { f: format, g: items generation, k: [hash of each item], t: written at
//                               (ms), s: { otherDeviceId: the generation of its items last merged here } }
//   h:<deviceId>:<k> item k   { d: [deviceIds], p: [[planId, planKey, url]], r: [records] }
//                    or one part of a chunked record { z: [chunkId, part, parts], s: text }
// A record that does not fit one item alone (a long note) is its whole item JSON split into parts on
// code-point boundaries; parts carry a hash of the whole, so parts of different writes never mix.
//
// COMPACT RECORD (one highlight's state; short keys, indexes into the item's d/p tables):
//   { i: id, c: [dev, version, dev, version, …] (clock), h?: [heads, best first] (absent: deleted),
//     x?: [dev, version, at] (latest deletion) }
//   head: { d: editing device, v: version, p: plan, q: quote, a?: prefix, b?: suffix, s: start,
//           e?: end (when ≠ start + quote length), l?: clauseId, o?: color (when ≠ yellow), n?: note,
//           g?: tags, t: createdAt, u?: updatedAt − createdAt, c?: its clock (when ≠ the record's),
//           w?: [dev, version] of the edit that wrote the note (when ≠ its own) }
// Left out: orphaned (per device), deleted (no heads means deleted), end when derivable, empty and
// default values; planId, planKey and url go once per item in its p table.
import { DEFAULT_COLOR, canonicalState, hash64, isDeleted } from './merge';
import type { Clock, Dot, Head, RecordState } from './types';

/** Format written in manifests; a reader skips devices whose manifest has a newer one. */
export const FORMAT = 1;

/** Device ids become part of keys: letters, digits, dot, underscore, hyphen; at most 64. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export const manifestKey = (device: string): string => `m:${device}`;
export const itemKey = (device: string, index: number): string => `h:${device}:${index}`;

export type ParsedKey = { kind: 'manifest'; device: string } | { kind: 'item'; device: string; index: number };

/** What a storage key is, or null for keys that are not ours. */
export function parseKey(key: string): ParsedKey | null {
  if (key.startsWith('m:')) {
    const device = key.slice(2);
    return DEVICE_ID_PATTERN.test(device) ? { kind: 'manifest', device } : null;
  }
  if (key.startsWith('h:')) {
    const at = key.lastIndexOf(':');
    const device = key.slice(2, at);
    const index = key.slice(at + 1);
    if (at > 2 && DEVICE_ID_PATTERN.test(device) && /^(0|[1-9]\d{0,5})$/.test(index)) {
      return { kind: 'item', device, index: Number(index) };
    }
  }
  return null;
}

export interface Manifest {
  /** Format version. */
  f: number;
  /** Items generation: increases whenever the device's items change. */
  g: number;
  /** One hash per item h:<device>:0 … k.length−1 (itemHash): a reader can tell a half-arrived write. */
  k: string[];
  /** Epoch ms of the write, on the writing device's clock. */
  t: number;
  /** Acknowledgements: other device → generation of its items merged here. */
  s: Record<string, number>;
}

export function parseManifest(v: unknown): Manifest | null {
  if (!isObj(v)) return null;
  const { f, g, k, t, s } = v;
  if (!isInt(f) || !isInt(g) || !Array.isArray(k) || !k.every(isStr) || !isNum(t) || !isObj(s)) return null;
  const acks: Record<string, number> = {};
  for (const [d, x] of Object.entries(s)) if (isInt(x)) acks[d] = x;
  return { f, g, k: k as string[], t, s: acks };
}

/** JSON with object keys sorted (storage may hand objects back in another key order). */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stableJson(x))).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Short hash of an item's value, listed in its device's manifest. */
export const itemHash = (value: unknown): string => hash64(stableJson(value)).slice(0, 9);

// ---------------------------------------------------------------- sizes as Chrome counts them

/**
 * Bytes of a value's JSON as Chrome's quota counts it (base::JSONWriter, UTF-8): like JSON.stringify
 * except '<', U+2028 and U+2029 become 6-byte escapes, lone surrogates become U+FFFD (3 bytes), and
 * whole numbers outside int32 are doubles written with a trailing ".0".
 */
export function chromeValueBytes(v: unknown): number {
  if (typeof v === 'string') return stringBytes(v);
  if (typeof v === 'number') return numberBytes(v);
  if (typeof v === 'boolean') return v ? 4 : 5;
  if (v === null || v === undefined) return 4;
  if (Array.isArray(v)) {
    let n = 2 + Math.max(0, v.length - 1);
    for (const x of v) n += chromeValueBytes(x);
    return n;
  }
  if (typeof v === 'object') {
    let n = 2;
    let count = 0;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined || typeof x === 'function') continue;
      n += stringBytes(k) + 1 + chromeValueBytes(x);
      count++;
    }
    return n + Math.max(0, count - 1);
  }
  return 4;
}

/** Bytes of one item: key (UTF-8) plus its value's JSON. */
export function itemBytes(key: string, value: unknown): number {
  return utf8Length(key) + chromeValueBytes(value);
}

function numberBytes(n: number): number {
  if (Number.isInteger(n) && n >= -2147483648 && n <= 2147483647) return String(n).length;
  const s = String(n);
  return /[.eE]/.test(s) ? s.length : s.length + 2;
}

/** Bytes one code point takes inside a JSON string as Chrome writes it. */
function codePointBytes(cp: number): number {
  if (cp === 0x22 || cp === 0x5c) return 2;
  if (cp === 0x08 || cp === 0x0c || cp === 0x0a || cp === 0x0d || cp === 0x09) return 2;
  if (cp === 0x3c || cp === 0x2028 || cp === 0x2029 || cp < 0x20) return 6;
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp >= 0xd800 && cp <= 0xdfff) return 3; // lone surrogate → U+FFFD
  if (cp < 0x10000) return 3;
  return 4;
}

function stringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80 && c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c) {
      n += 1;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
        continue;
      }
    }
    n += codePointBytes(c);
  }
  return n;
}

/** Raw UTF-8 length (keys are counted unescaped). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// ---------------------------------------------------------------- compact records

type PlanRef = [string, string | null, string | null];

/** The per-item tables that compact records point into. */
class ItemDict {
  devices: string[] = [];
  plans: PlanRef[] = [];
  private dev = new Map<string, number>();
  private plan = new Map<string, number>();
  /** Bytes the tables add to the item JSON (each entry plus its comma). */
  bytes = 0;

  device(id: string): number {
    let i = this.dev.get(id);
    if (i === undefined) {
      i = this.devices.length;
      this.devices.push(id);
      this.dev.set(id, i);
      this.bytes += stringBytes(id) + (i > 0 ? 1 : 0);
    }
    return i;
  }

  planOf(h: Head): number {
    const ref: PlanRef = [h.planId, h.planKey, h.url];
    const k = JSON.stringify(ref);
    let i = this.plan.get(k);
    if (i === undefined) {
      i = this.plans.length;
      this.plans.push(ref);
      this.plan.set(k, i);
      this.bytes += chromeValueBytes(ref) + (i > 0 ? 1 : 0);
    }
    return i;
  }

  snapshot() {
    return { d: this.devices.length, p: this.plans.length, bytes: this.bytes };
  }

  rollback(s: { d: number; p: number; bytes: number }) {
    for (const id of this.devices.splice(s.d)) this.dev.delete(id);
    for (const ref of this.plans.splice(s.p)) this.plan.delete(JSON.stringify(ref));
    this.bytes = s.bytes;
  }
}

function encodeClock(c: Clock, dict: ItemDict): number[] {
  const out: number[] = [];
  for (const k of Object.keys(c).sort()) out.push(dict.device(k), c[k]);
  return out;
}

const sameClock = (a: Clock, b: Clock): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

function encodeHead(h: Head, recordClock: Clock, dict: ItemDict): Record<string, unknown> {
  const out: Record<string, unknown> = { d: dict.device(h.deviceId), v: h.version, p: dict.planOf(h), q: h.quote };
  if (h.prefix) out.a = h.prefix;
  if (h.suffix) out.b = h.suffix;
  out.s = h.start;
  if (h.end !== h.start + h.quote.length) out.e = h.end;
  if (h.clauseId !== null) out.l = h.clauseId;
  if (h.color !== DEFAULT_COLOR) out.o = h.color;
  if (h.note) out.n = h.note;
  if (h.tags.length) out.g = [...h.tags];
  out.t = h.createdAt;
  if (h.updatedAt !== h.createdAt) out.u = h.updatedAt - h.createdAt;
  if (!sameClock(h.clock, recordClock)) out.c = encodeClock(h.clock, dict);
  if (h.noteBy.device !== h.deviceId || h.noteBy.version !== h.version) out.w = [dict.device(h.noteBy.device), h.noteBy.version];
  return out;
}

/** The compact form of a state, its device and plan references added to `dict`. */
function encodeRecord(s: RecordState, dict: ItemDict): Record<string, unknown> {
  const out: Record<string, unknown> = { i: s.id, c: encodeClock(s.clock, dict) };
  if (s.heads.length) out.h = s.heads.map((h) => encodeHead(h, s.clock, dict));
  if (s.lastDelete) out.x = [dict.device(s.lastDelete.device), s.lastDelete.version, s.lastDelete.at];
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown, dflt: string): string | null => (v === undefined ? dflt : isStr(v) ? v : null);

class Bad extends Error {}
function need<T>(v: T | null | undefined | false): T {
  if (v === null || v === undefined || v === false) throw new Bad('bad record');
  return v;
}

function decodeClock(v: unknown, devices: string[]): Clock {
  need(Array.isArray(v) && v.length % 2 === 0);
  const arr = v as unknown[];
  const c: Clock = {};
  for (let i = 0; i < arr.length; i += 2) {
    const dev = need(isInt(arr[i]) && devices[arr[i] as number]);
    need(isInt(arr[i + 1]));
    c[dev] = Math.max(c[dev] ?? 0, arr[i + 1] as number);
  }
  return c;
}

function decodeHead(v: unknown, clock: Clock, devices: string[], plans: PlanRef[]): Head {
  need(isObj(v));
  const h = v as Record<string, unknown>;
  const deviceId = need(isInt(h.d) && devices[h.d as number]);
  const version = need(isInt(h.v) && (h.v as number));
  const plan = need(isInt(h.p) && plans[h.p as number]);
  const quote = need(isStr(h.q) && (h.q as string)) || '';
  const start = h.s as number;
  need(isNum(start));
  const end = h.e === undefined ? start + quote.length : (h.e as number);
  need(isNum(end));
  const createdAt = h.t as number;
  need(isNum(createdAt));
  const u = h.u === undefined ? 0 : (h.u as number);
  need(isNum(u));
  const tags = h.g === undefined ? [] : (h.g as unknown[]);
  need(Array.isArray(tags) && tags.every(isStr));
  let noteBy: Dot = { device: deviceId, version };
  if (h.w !== undefined) {
    const w = h.w as unknown[];
    need(Array.isArray(w) && w.length === 2 && isInt(w[1]));
    noteBy = { device: need(isInt(w[0]) && devices[w[0] as number]), version: w[1] as number };
  }
  const prefix = optStr(h.a, '');
  const suffix = optStr(h.b, '');
  const color = optStr(h.o, DEFAULT_COLOR);
  const note = optStr(h.n, '');
  need(prefix !== null && suffix !== null && color !== null && note !== null);
  need(h.l === undefined || isStr(h.l));
  return {
    planId: need(isStr(plan[0]) && plan[0]) || '',
    planKey: isStr(plan[1]) ? plan[1] : null,
    url: isStr(plan[2]) ? plan[2] : null,
    quote,
    prefix: prefix!,
    suffix: suffix!,
    start,
    end,
    clauseId: h.l === undefined ? null : (h.l as string),
    color: color!,
    note: note!,
    tags: tags as string[],
    createdAt,
    updatedAt: createdAt + u,
    deviceId,
    version,
    clock: h.c === undefined ? { ...clock } : decodeClock(h.c, devices),
    noteBy,
  };
}

/** A state from its compact form, or null when it is not one (damaged, or written by a newer format). */
export function decodeRecord(v: unknown, devices: string[], plans: PlanRef[]): RecordState | null {
  try {
    need(isObj(v));
    const r = v as Record<string, unknown>;
    const id = need(isStr(r.i) && r.i.length > 0 && (r.i as string));
    const clock = decodeClock(r.c, devices);
    const heads = r.h === undefined ? [] : (r.h as unknown[]);
    need(Array.isArray(heads));
    let lastDelete = null;
    if (r.x !== undefined) {
      const x = r.x as unknown[];
      need(Array.isArray(x) && x.length === 3 && isInt(x[1]) && isNum(x[2]));
      lastDelete = { device: need(isInt(x[0]) && devices[x[0] as number]), version: x[1] as number, at: x[2] as number };
    }
    return canonicalState({ id, clock, heads: heads.map((h) => decodeHead(h, clock, devices, plans)), lastDelete });
  } catch (e) {
    if (e instanceof Bad) return null;
    throw e;
  }
}

// ---------------------------------------------------------------- items

/** Bytes of `{"d":[],"p":[],"r":[]}`: the frame of a group item. */
const GROUP_FRAME = 22;

export interface PackedShard {
  /** key → value, keys h:<device>:0 … n−1. */
  items: Record<string, unknown>;
  /** Item keys in order. */
  keys: string[];
  /** Bytes of all items (keys included), as Chrome counts them. */
  bytes: number;
  /** Ids packed. */
  ids: string[];
}

/** Packing order: by plan, so an item's plan table stays short; tombstones last; then by id. */
function packOrder(a: RecordState, b: RecordState): number {
  const ka = a.heads[0]?.planKey ?? a.heads[0]?.planId ?? '\uffff';
  const kb = b.heads[0]?.planKey ?? b.heads[0]?.planId ?? '\uffff';
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Pack states into items of at most `bytesPerItem` bytes (key included); a state too big for one
 * item alone is split into chunk parts. Same states in, same items out.
 */
export function packShard(device: string, states: RecordState[], bytesPerItem: number): PackedShard {
  const ordered = [...states].sort(packOrder);
  const items: Record<string, unknown> = {};
  const keys: string[] = [];
  let bytes = 0;
  let dict = new ItemDict();
  let records: Array<Record<string, unknown>> = [];
  let recordBytes = 0;

  const emit = (value: unknown) => {
    const key = itemKey(device, keys.length);
    const size = itemBytes(key, value);
    if (size > bytesPerItem) throw new Error(`packShard: item ${key} is ${size} bytes (limit ${bytesPerItem})`);
    items[key] = value;
    keys.push(key);
    bytes += size;
  };
  const flush = () => {
    if (records.length) emit({ d: dict.devices, p: dict.plans, r: records });
    dict = new ItemDict();
    records = [];
    recordBytes = 0;
  };
  const sizeWith = (key: string, extra: number, count: number) =>
    utf8Length(key) + GROUP_FRAME + dict.bytes + recordBytes + extra + Math.max(0, count - 1);

  for (const s of ordered) {
    const key = itemKey(device, keys.length);
    const mark = dict.snapshot();
    let rec = encodeRecord(s, dict);
    let size = chromeValueBytes(rec);
    if (sizeWith(key, size, records.length + 1) <= bytesPerItem) {
      records.push(rec);
      recordBytes += size;
      continue;
    }
    dict.rollback(mark);
    flush();
    rec = encodeRecord(s, dict);
    size = chromeValueBytes(rec);
    if (sizeWith(itemKey(device, keys.length), size, 1) <= bytesPerItem) {
      records.push(rec);
      recordBytes += size;
      continue;
    }
    // Alone it is still too big: its whole item JSON goes out in parts.
    const whole = JSON.stringify({ d: dict.devices, p: dict.plans, r: [rec] });
    dict = new ItemDict();
    for (const part of splitForItems(device, keys.length, whole, bytesPerItem)) emit(part);
  }
  flush();
  return { items, keys, bytes, ids: ordered.map((s) => s.id) };
}

/** Chunk parts of `whole`, the first going to item `firstIndex`. */
function splitForItems(device: string, firstIndex: number, whole: string, bytesPerItem: number): unknown[] {
  const id = hash64(whole);
  const texts: string[] = [];
  let i = 0;
  while (i < whole.length) {
    const key = itemKey(device, firstIndex + texts.length);
    // Frame with room for part numbers up to 99999.
    const frame = utf8Length(key) + chromeValueBytes({ s: '', z: [id, 99999, 99999] });
    const room = bytesPerItem - frame;
    if (room < 16) throw new Error('packShard: bytesPerItem too small for a chunk');
    let used = 0;
    let j = i;
    while (j < whole.length) {
      const c = whole.charCodeAt(j);
      const pair = c >= 0xd800 && c <= 0xdbff && j + 1 < whole.length && (whole.charCodeAt(j + 1) & 0xfc00) === 0xdc00;
      const cost = stringBytes(whole.slice(j, pair ? j + 2 : j + 1)) - 2;
      if (used + cost > room) break;
      used += cost;
      j += pair ? 2 : 1;
    }
    texts.push(whole.slice(i, j));
    i = j;
  }
  return texts.map((s, k) => ({ z: [id, k, texts.length], s }));
}

export interface UnpackedShard {
  states: RecordState[];
  /** Records or chunks that could not be read. */
  unreadable: number;
}

/**
 * Read a device's items back (`items`: its h: keys → values; `count`: the manifest's n, or null to
 * read every index present). Incomplete chunks and damaged records are counted, not thrown.
 */
export function unpackShard(device: string, items: Record<string, unknown>, count: number | null): UnpackedShard {
  const indexes: number[] = [];
  for (const key of Object.keys(items)) {
    const p = parseKey(key);
    if (p?.kind === 'item' && p.device === device && (count === null || p.index < count)) indexes.push(p.index);
  }
  indexes.sort((a, b) => a - b);
  const states: RecordState[] = [];
  let unreadable = 0;
  const chunks = new Map<string, { parts: Array<string | undefined>; total: number }>();
  const readGroup = (g: unknown) => {
    if (!isObj(g) || !Array.isArray(g.d) || !Array.isArray(g.r) || !g.d.every(isStr)) {
      unreadable++;
      return;
    }
    const plans = Array.isArray(g.p) ? (g.p as unknown[]) : [];
    const okPlans = plans.every((p) => Array.isArray(p) && p.length === 3);
    for (const r of g.r) {
      const s = okPlans ? decodeRecord(r, g.d as string[], plans as PlanRef[]) : null;
      if (s) states.push(s);
      else unreadable++;
    }
  };
  for (const index of indexes) {
    const v = items[itemKey(device, index)];
    if (isObj(v) && Array.isArray(v.z)) {
      const [id, part, total] = v.z as unknown[];
      if (!isStr(id) || !isInt(part) || !isInt(total) || part >= total || !isStr(v.s)) {
        unreadable++;
        continue;
      }
      let c = chunks.get(id);
      if (!c || c.total !== total) {
        c = { parts: new Array(total), total };
        chunks.set(id, c);
      }
      c.parts[part] = v.s as string;
      continue;
    }
    readGroup(v);
  }
  for (const [id, c] of chunks) {
    const whole = c.parts.every((p) => p !== undefined) ? c.parts.join('') : null;
    if (whole === null || hash64(whole) !== id) {
      unreadable++;
      continue;
    }
    try {
      readGroup(JSON.parse(whole));
    } catch {
      unreadable++;
    }
  }
  return { states, unreadable };
}

// ---------------------------------------------------------------- fitting a budget

export interface FitResult {
  packed: PackedShard;
  /** Ids left out (did not fit), in priority order. */
  excluded: string[];
  /** Bytes all the states would need. */
  bytesNeeded: number;
}

/**
 * Pack as many states as fit in `bytes` and `items`, in priority order (`states` comes sorted,
 * most important first): the longest prefix that fits, then any later state that still fits alone.
 */
export function fitShard(
  device: string,
  states: RecordState[],
  budget: { bytes: number; items: number; bytesPerItem: number },
): FitResult {
  const fits = (p: PackedShard) => p.bytes <= budget.bytes && p.keys.length <= budget.items;
  const all = packShard(device, states, budget.bytesPerItem);
  if (fits(all)) return { packed: all, excluded: [], bytesNeeded: all.bytes };
  let lo = 0;
  let hi = states.length - 1;
  let best = packShard(device, [], budget.bytesPerItem);
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = packShard(device, states.slice(0, mid + 1), budget.bytesPerItem);
    if (fits(p)) {
      best = p;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const chosen = states.slice(0, lo);
  const excluded: string[] = [];
  for (const s of states.slice(lo)) {
    const alone = packShard(device, [s], budget.bytesPerItem);
    if (best.bytes + alone.bytes <= budget.bytes && best.keys.length + alone.keys.length <= budget.items) {
      const p = packShard(device, [...chosen, s], budget.bytesPerItem);
      if (fits(p)) {
        chosen.push(s);
        best = p;
        continue;
      }
    }
    excluded.push(s.id);
  }
  return { packed: best, excluded, bytesNeeded: all.bytes };
}

/** Tombstones first (tiny, and they stop deleted highlights coming back), then the most recently edited. */
export function syncPriority(a: RecordState, b: RecordState): number {
  const da = isDeleted(a);
  const dbd = isDeleted(b);
  if (da !== dbd) return da ? -1 : 1;
  const ta = da ? (a.lastDelete?.at ?? 0) : Math.max(...a.heads.map((h) => h.updatedAt));
  const tb = dbd ? (b.lastDelete?.at ?? 0) : Math.max(...b.heads.map((h) => h.updatedAt));
  if (ta !== tb) return tb - ta;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// ---------------------------------------------------------------- reading the whole area

/** One device's keys as found in sync storage. */
export interface ShardView {
  device: string;
  manifest: Manifest | null;
  /** Every key of this device present (manifest, current and stale items). */
  keys: string[];
  /** Bytes of those keys, as the quota counts them. */
  bytes: number;
  /** Values of its item keys. */
  items: Record<string, unknown>;
  /** States read from its current items. */
  states: RecordState[];
  unreadable: number;
  /** Manifest present and every item it lists present with the listed hash (not a half-arrived write). */
  consistent: boolean;
  /** Written in a newer format: not read, never cleared. */
  newer: boolean;
}

export interface StorageView {
  shards: Map<string, ShardView>;
  /** Bytes and items of the whole area (other extension data included). */
  bytes: number;
  count: number;
}

/** Split the whole area (get(null)) into devices' shards and read them. */
export function readStorage(all: Record<string, unknown>): StorageView {
  const shards = new Map<string, ShardView>();
  let bytes = 0;
  let count = 0;
  const shard = (device: string): ShardView => {
    let s = shards.get(device);
    if (!s) {
      s = { device, manifest: null, keys: [], bytes: 0, items: {}, states: [], unreadable: 0, consistent: false, newer: false };
      shards.set(device, s);
    }
    return s;
  };
  for (const [key, value] of Object.entries(all)) {
    const size = itemBytes(key, value);
    bytes += size;
    count++;
    const p = parseKey(key);
    if (!p) continue;
    const s = shard(p.device);
    s.keys.push(key);
    s.bytes += size;
    if (p.kind === 'manifest') s.manifest = parseManifest(value);
    else s.items[key] = value;
  }
  for (const s of shards.values()) {
    const m = s.manifest;
    if (m && m.f > FORMAT) {
      s.newer = true;
      continue;
    }
    s.consistent = !!m && m.k.every((h, i) => {
      const k = itemKey(s.device, i);
      return k in s.items && itemHash(s.items[k]) === h;
    });
    const read = unpackShard(s.device, s.items, m ? m.k.length : null);
    s.states = read.states;
    s.unreadable = read.unreadable;
  }
  return { shards, bytes, count };
}
