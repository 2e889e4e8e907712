// The search index in IndexedDB: immutable segments of packed postings per key gram (positions for bigrams), bulk-built and updated per plan.
//
// Layout. A segment is a batch of plans, each with an ordinal (ord). For every 1- and 2-character
// gram of the plans' body keys it has one `searchTerms` row [gram, seg] holding the ords that contain
// the gram, how often, and (bigrams) where: enough to tell EXACTLY whether a key of any length occurs
// (overlapping bigram positions chain into the whole key), with no text read. Row ['', seg] is the
// segment's document table (what filters and ranking need). A query reads only the rows of its grams.
// Saving a plan adds a one-plan segment and marks its old ord dead; small segments merge in tiers.
import type { LibraryDB, PlanRow } from '../library/db';
import {
  ByteReader,
  ByteSink,
  SEPARATOR,
  gramString,
  issuerNames,
  keyCodes,
  keyTableHash,
  planFields,
  planHost,
  planYear,
  prepareKeyTable,
  searchKey,
} from './tokens';

/** Bump when the layout or what is indexed changes: an index of another version is rebuilt. */
export const INDEX_VERSION = 1;
/** The meta row holding the manifest. */
export const SEARCH_META_KEY = 'search';
/** Body key characters per bulk-built segment: bounds build memory (~2.5 bytes a character). */
export const SEGMENT_CHARS = 12_000_000;
/** Small segments merge when this many share a size tier. */
const MERGE_FACTOR = 4;
/** Budget for decoded postings kept between queries in one context. */
const CACHE_BYTES = 32 * 1024 * 1024;

// ---------------------------------------------------------------- rows

/** A segment's document table, column-wise (one entry per plan indexed in it, dead ones included). */
export interface SegmentDocs {
  ords: number[];
  planIds: string[];
  /** Search keys of the title, of the metadata line (issuers, signers, 文号), of issuer names (one a line). */
  titleKeys: string[];
  metaKeys: string[];
  issuerKeys: string[];
  /** DocNumber.normalized of the plan itself, or null. */
  numberKeys: Array<string | null>;
  /** planYear (0: none). */
  years: number[];
  sites: string[];
  hosts: string[];
  kinds: string[];
  genres: Array<string | null>;
  savedAt: number[];
  updatedAt: number[];
  /** Length of the body key (for ranking's length normalisation). */
  bodyLens: number[];
}

/** One searchTerms row: the postings of a gram in a segment, or (term '') the segment's document table. */
export interface SearchTermRow {
  /** A 1- or 2-unit key gram; '' for the document table row. */
  term: string;
  seg: number;
  /** Packed postings: varints [n, docsBytes, countsBytes] then ord deltas, counts, position deltas per doc. */
  data?: Uint8Array;
  docs?: SegmentDocs;
}

/** One searchDocs row: where a plan is indexed. */
export interface SearchDocRow {
  planId: string;
  ord: number;
  seg: number;
  /** PlanRow.updatedAt of the indexed version (a re-index of the same version is skipped). */
  updatedAt: number;
}

export interface SegmentInfo {
  id: number;
  /** Plans indexed in it (dead ones included) and their body key characters. */
  docs: number;
  chars: number;
  /** Ords of plans deleted or re-saved since: filtered out of every answer until a merge drops them. */
  dead: number[];
  /** Bytes of its postings and document table. */
  bytes: number;
}

/** The meta row 'search': which segments make up the index, and whether it is usable. */
export interface SearchManifest {
  version: number;
  /** tokens.keyTableHash() at build time. */
  keyHash: string;
  /** Random per rebuild: caches of another build are dropped. */
  buildId: string;
  /** Incremented on every change. */
  gen: number;
  /** False while a rebuild runs: answers then come from the scan. */
  complete: boolean;
  nextOrd: number;
  nextSeg: number;
  segments: SegmentInfo[];
  /** Plans saved or deleted while a rebuild ran: applied when it finishes. */
  pending: string[];
  builtAt: number;
}

// ---------------------------------------------------------------- building a segment

function emptyDocs(): SegmentDocs {
  return {
    ords: [], planIds: [], titleKeys: [], metaKeys: [], issuerKeys: [], numberKeys: [], years: [],
    sites: [], hosts: [], kinds: [], genres: [], savedAt: [], updatedAt: [], bodyLens: [],
  };
}

/** Accumulates plans (in increasing ord) into one segment's rows. Memory ~ its packed size. */
export class SegmentBuilder {
  private cap = 1 << 15;
  private keys = new Uint32Array(this.cap);
  private slotAt = new Int32Array(this.cap);
  private uniSlot = new Int32Array(65536).fill(-1);
  private grams: number[] = [];
  private docSink: ByteSink[] = [];
  private countSink: ByteSink[] = [];
  private posSink: Array<ByteSink | null> = [];
  private lastOrd: number[] = [];
  private nDocs: number[] = [];
  private stamp = new Int32Array(1024);
  private cnt = new Int32Array(1024);
  private lastPos = new Int32Array(1024);
  private docStamp = 0;
  private touched: number[] = [];
  readonly docs = emptyDocs();
  chars = 0;

  get size(): number {
    return this.docs.ords.length;
  }

  private newSlot(gram: number): number {
    const s = this.grams.length;
    this.grams.push(gram);
    this.docSink.push(new ByteSink(8));
    this.countSink.push(new ByteSink(8));
    this.posSink.push(gram >= 65536 ? new ByteSink(16) : null);
    this.lastOrd.push(0);
    this.nDocs.push(0);
    if (s >= this.stamp.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.stamp = grow(this.stamp);
      this.cnt = grow(this.cnt);
      this.lastPos = grow(this.lastPos);
    }
    return s;
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slotAt;
    this.cap *= 2;
    this.keys = new Uint32Array(this.cap);
    this.slotAt = new Int32Array(this.cap);
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] !== 0) this.insertAt(oldKeys[i], oldSlots[i]);
    }
  }

  private insertAt(gram: number, slot: number): void {
    const mask = this.cap - 1;
    let h = Math.imul(gram ^ (gram >>> 16), 0x45d9f3b) & mask;
    while (this.keys[h] !== 0) h = (h + 1) & mask;
    this.keys[h] = gram;
    this.slotAt[h] = slot;
  }

  private bigramSlot(gram: number): number {
    const mask = this.cap - 1;
    let h = Math.imul(gram ^ (gram >>> 16), 0x45d9f3b) & mask;
    for (;;) {
      const k = this.keys[h];
      if (k === gram) return this.slotAt[h];
      if (k === 0) break;
      h = (h + 1) & mask;
    }
    const s = this.newSlot(gram);
    if (this.grams.length * 2 > this.cap) {
      this.rehash();
      this.insertAt(gram, s);
    } else {
      this.keys[h] = gram;
      this.slotAt[h] = s;
    }
    return s;
  }

  /** Add one plan under `ord` (greater than every ord added before). */
  add(ord: number, row: PlanRow): void {
    const fields = planFields(row);
    const { codes, length } = keyCodes(fields.body);
    const stamp = ++this.docStamp;
    const touched = this.touched;
    touched.length = 0;
    for (let i = 0; i < length; i++) {
      const a = codes[i];
      if (a === SEPARATOR) continue;
      let s = this.uniSlot[a];
      if (s < 0) s = this.uniSlot[a] = this.newSlot(a);
      if (this.stamp[s] !== stamp) {
        this.stamp[s] = stamp;
        this.cnt[s] = 0;
        touched.push(s);
      }
      this.cnt[s]++;
      if (i + 1 >= length) continue;
      const b = codes[i + 1];
      if (b === SEPARATOR) continue;
      s = this.bigramSlot(a * 65536 + b);
      if (this.stamp[s] !== stamp) {
        this.stamp[s] = stamp;
        this.cnt[s] = 0;
        this.lastPos[s] = 0;
        touched.push(s);
      }
      this.cnt[s]++;
      this.posSink[s]!.push(i - this.lastPos[s]);
      this.lastPos[s] = i;
    }
    for (const s of touched) {
      this.docSink[s].push(ord - this.lastOrd[s]);
      this.lastOrd[s] = ord;
      this.countSink[s].push(this.cnt[s]);
      this.nDocs[s]++;
    }
    const d = this.docs;
    const m = row.doc.metadata;
    d.ords.push(ord);
    d.planIds.push(row.id);
    d.titleKeys.push(searchKey(fields.title));
    d.metaKeys.push(searchKey(fields.meta));
    d.issuerKeys.push(issuerNames(row).map(searchKey).join('\n'));
    d.numberKeys.push(m.docNumber?.normalized || null);
    d.years.push(planYear(row));
    d.sites.push(row.site);
    d.hosts.push(planHost(row.url));
    d.kinds.push(row.kind);
    d.genres.push(row.genre);
    d.savedAt.push(row.savedAt);
    d.updatedAt.push(row.updatedAt);
    d.bodyLens.push(length);
    this.chars += length;
  }

  /** The segment's rows (postings and document table) and their byte size. */
  rows(seg: number): { rows: SearchTermRow[]; bytes: number } {
    const rows: SearchTermRow[] = [];
    let bytes = 0;
    const head = new ByteSink(16);
    for (let s = 0; s < this.grams.length; s++) {
      if (!this.nDocs[s]) continue;
      head.len = 0;
      const docs = this.docSink[s];
      const counts = this.countSink[s];
      const pos = this.posSink[s];
      head.push(this.nDocs[s]);
      head.push(docs.len);
      head.push(counts.len);
      const data = new Uint8Array(head.len + docs.len + counts.len + (pos ? pos.len : 0));
      data.set(head.buf.subarray(0, head.len), 0);
      data.set(docs.buf.subarray(0, docs.len), head.len);
      data.set(counts.buf.subarray(0, counts.len), head.len + docs.len);
      if (pos) data.set(pos.buf.subarray(0, pos.len), head.len + docs.len + counts.len);
      rows.push({ term: gramString(this.grams[s]), seg, data });
      bytes += data.byteLength + 8;
    }
    rows.push({ term: '', seg, docs: this.docs });
    bytes += docsBytes(this.docs);
    return { rows, bytes };
  }
}

/** Rough serialized size of a document table. */
function docsBytes(d: SegmentDocs): number {
  let n = d.ords.length * 8 * 7;
  for (const k of ['planIds', 'titleKeys', 'metaKeys', 'issuerKeys', 'sites', 'hosts', 'kinds'] as const) {
    for (const s of d[k]) n += s.length * 2;
  }
  return n;
}

// ---------------------------------------------------------------- reading postings

/** A postings row decoded: ords, counts, and where each plan's positions start (lazily). */
export interface Postings {
  docs: Int32Array;
  counts: Int32Array;
  data: Uint8Array;
  posStart: number;
  /** Byte offset of each plan's positions (n + 1 entries), computed on first use. */
  posOff: Int32Array | null;
  bytes: number;
}

export function decodePostings(data: Uint8Array): Postings {
  const r = new ByteReader(data);
  const n = r.next();
  const docsLen = r.next();
  const countsLen = r.next();
  const headEnd = r.pos;
  const docs = new Int32Array(n);
  const counts = new Int32Array(n);
  let ord = 0;
  for (let j = 0; j < n; j++) {
    ord += r.next();
    docs[j] = ord;
  }
  for (let j = 0; j < n; j++) counts[j] = r.next();
  // Ords and counts end where the header says; positions (bigrams only) follow.
  const posStart = r.pos;
  if (posStart > data.length || posStart !== headEnd + docsLen + countsLen) throw new Error('corrupt postings row');
  return { docs, counts, data, posStart, posOff: null, bytes: data.byteLength + n * 8 };
}

/** Positions of the j-th plan of a bigram row, into `out` (grown as needed); returns the count. */
export function positionsOf(p: Postings, j: number, out: { buf: Int32Array }): number {
  if (!p.posOff) {
    const off = new Int32Array(p.docs.length + 1);
    const r = new ByteReader(p.data, p.posStart);
    for (let k = 0; k < p.docs.length; k++) {
      off[k] = r.pos;
      r.skip(p.counts[k]);
    }
    off[p.docs.length] = r.pos;
    p.posOff = off;
    p.bytes += off.byteLength;
  }
  const n = p.counts[j];
  if (out.buf.length < n) out.buf = new Int32Array(Math.max(n, out.buf.length * 2));
  const r = new ByteReader(p.data, p.posOff[j]);
  let pos = 0;
  for (let k = 0; k < n; k++) {
    pos += r.next();
    out.buf[k] = pos;
  }
  return n;
}

/** Occurrences of `key` (length ≥ 1) in each plan of one segment: ord → count. Exact. */
export function keyCountsInSegment(key: string, rows: Map<string, Postings | null>): Map<number, number> {
  const out = new Map<number, number>();
  if (key.length === 1) {
    const p = rows.get(key);
    if (p) for (let j = 0; j < p.docs.length; j++) out.set(p.docs[j], p.counts[j]);
    return out;
  }
  const grams: string[] = [];
  for (let i = 0; i + 1 < key.length; i++) grams.push(key.slice(i, i + 2));
  const lists: Postings[] = [];
  for (const g of grams) {
    const p = rows.get(g);
    if (!p) return out; // a gram absent from the segment: no plan there has the key
    lists.push(p);
  }
  if (key.length === 2) {
    const p = lists[0];
    for (let j = 0; j < p.docs.length; j++) out.set(p.docs[j], p.counts[j]);
    return out;
  }
  // Plans having every bigram of the key (walk the rarest list, find the ord in the others).
  const distinct = [...new Set(lists)].sort((a, b) => a.docs.length - b.docs.length);
  const cover: number[] = [];
  for (let o = 0; o + 2 <= key.length; o += 2) cover.push(o);
  if (key.length % 2 === 1) cover.push(key.length - 2);
  const coverRows = cover.map((o) => lists[o]);
  const idx = new Map<Postings, number>();
  const ptr = distinct.map(() => 0);
  const bufs = cover.map(() => ({ buf: new Int32Array(64) }));
  const lens = new Int32Array(cover.length);
  const ks = new Int32Array(cover.length);
  const base = distinct[0];
  outer: for (let j0 = 0; j0 < base.docs.length; j0++) {
    const ord = base.docs[j0];
    idx.set(base, j0);
    for (let d = 1; d < distinct.length; d++) {
      const docs = distinct[d].docs;
      let k = ptr[d];
      while (k < docs.length && docs[k] < ord) k++;
      ptr[d] = k;
      if (k >= docs.length) break outer;
      if (docs[k] !== ord) continue outer;
      idx.set(distinct[d], k);
    }
    // Verify with positions: key at p ⇔ each covering bigram at p + its offset.
    for (let c = 0; c < cover.length; c++) {
      lens[c] = positionsOf(coverRows[c], idx.get(coverRows[c])!, bufs[c]);
      ks[c] = 0;
    }
    let count = 0;
    const first = bufs[0].buf;
    for (let a = 0; a < lens[0]; a++) {
      const p = first[a];
      let ok = true;
      for (let c = 1; c < cover.length; c++) {
        const want = p + cover[c];
        const buf = bufs[c].buf;
        let k = ks[c];
        while (k < lens[c] && buf[k] < want) k++;
        ks[c] = k;
        if (k >= lens[c] || buf[k] !== want) {
          ok = false;
          break;
        }
      }
      if (ok) count++;
    }
    if (count) out.set(ord, count);
  }
  return out;
}

/** Grams whose rows a key needs: itself when one unit long, else its bigrams. */
export function gramsOfKey(key: string): string[] {
  if (key.length === 1) return [key];
  const out: string[] = [];
  for (let i = 0; i + 1 < key.length; i++) {
    const g = key.slice(i, i + 2);
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

// ---------------------------------------------------------------- the in-memory view of the live plans

/** Every live plan of the index, column-wise, addressed by a dense index. */
export interface DocView {
  n: number;
  /** ord → dense index, -1 for dead or unknown ords. */
  ordToIdx: Int32Array;
  planIds: string[];
  titleKeys: string[];
  metaKeys: string[];
  issuerKeys: string[];
  numberKeys: Array<string | null>;
  years: Int32Array;
  sites: string[];
  hosts: string[];
  kinds: string[];
  genres: Array<string | null>;
  savedAt: Float64Array;
  updatedAt: Float64Array;
  bodyLens: Int32Array;
  /** Sum of bodyLens. */
  totalLen: number;
}

interface SearchCache {
  buildId: string;
  docTables: Map<number, SegmentDocs>;
  viewGen: number;
  view: DocView | null;
  postings: Map<string, Postings | null>;
  bytes: number;
}

const caches = new WeakMap<LibraryDB, SearchCache>();

function cacheFor(db: LibraryDB, buildId: string): SearchCache {
  let c = caches.get(db);
  if (!c || c.buildId !== buildId) {
    c = { buildId, docTables: new Map(), viewGen: -1, view: null, postings: new Map(), bytes: 0 };
    caches.set(db, c);
  }
  return c;
}

/**
 * Forget this context's cached index data: everything (the next query reads the document tables
 * again, as after a restart) or only the decoded postings (the next query reads its rows again).
 */
export function dropSearchCache(db: LibraryDB, options: { postingsOnly?: boolean } = {}): void {
  const c = caches.get(db);
  if (!c) return;
  if (!options.postingsOnly) {
    caches.delete(db);
    return;
  }
  c.postings.clear();
  c.bytes = 0;
}

/** Bytes held in memory by this context's cache for `db` (document tables, view, postings). */
export function searchCacheBytes(db: LibraryDB): number {
  const c = caches.get(db);
  if (!c) return 0;
  let n = c.bytes;
  for (const d of c.docTables.values()) n += docsBytes(d);
  if (c.view) n += c.view.n * 60 + c.view.ordToIdx.byteLength;
  return n;
}

function buildView(m: SearchManifest, tables: Map<number, SegmentDocs>): DocView {
  const dead = new Set<number>();
  for (const s of m.segments) for (const o of s.dead) dead.add(o);
  let n = 0;
  for (const s of m.segments) n += tables.get(s.id)!.ords.length;
  n -= dead.size;
  n = Math.max(0, n);
  const v: DocView = {
    n: 0,
    ordToIdx: new Int32Array(m.nextOrd).fill(-1),
    planIds: [], titleKeys: [], metaKeys: [], issuerKeys: [], numberKeys: [],
    years: new Int32Array(n), sites: [], hosts: [], kinds: [], genres: [],
    savedAt: new Float64Array(n), updatedAt: new Float64Array(n), bodyLens: new Int32Array(n), totalLen: 0,
  };
  let i = 0;
  for (const s of m.segments) {
    const t = tables.get(s.id)!;
    for (let j = 0; j < t.ords.length; j++) {
      const ord = t.ords[j];
      if (dead.has(ord) || i >= n) continue;
      v.ordToIdx[ord] = i;
      v.planIds.push(t.planIds[j]);
      v.titleKeys.push(t.titleKeys[j]);
      v.metaKeys.push(t.metaKeys[j]);
      v.issuerKeys.push(t.issuerKeys[j]);
      v.numberKeys.push(t.numberKeys[j]);
      v.years[i] = t.years[j];
      v.sites.push(t.sites[j]);
      v.hosts.push(t.hosts[j]);
      v.kinds.push(t.kinds[j]);
      v.genres.push(t.genres[j]);
      v.savedAt[i] = t.savedAt[j];
      v.updatedAt[i] = t.updatedAt[j];
      v.bodyLens[i] = t.bodyLens[j];
      v.totalLen += t.bodyLens[j];
      i++;
    }
  }
  v.n = i;
  return v;
}

/** What one query reads: the manifest and view, and a reader of gram postings (same transaction). */
export interface IndexSnapshot {
  manifest: SearchManifest;
  view: DocView;
  /** Body occurrence counts of each key, by dense plan index (exact), for a list of keys. */
  countKeys(keys: string[]): Promise<Int32Array[]>;
}

export async function readManifest(db: LibraryDB): Promise<SearchManifest | null> {
  const row = await db.meta.get(SEARCH_META_KEY);
  return (row?.value as SearchManifest | undefined) ?? null;
}

/** True when the manifest describes a finished index of this version. */
export function isUsable(m: SearchManifest | null): m is SearchManifest {
  return !!m && m.version === INDEX_VERSION && m.complete;
}

/**
 * Run `fn` on a consistent snapshot of the index (one read transaction), or return null when there
 * is no usable index (never built, older version, rebuild running).
 */
export async function withIndex<T>(db: LibraryDB, fn: (snap: IndexSnapshot) => Promise<T>): Promise<T | null> {
  return db.transaction('r', [db.meta, db.searchTerms], async () => {
    const m = await readManifest(db);
    if (!isUsable(m)) return null;
    const cache = cacheFor(db, m.buildId);
    const missing = m.segments.filter((s) => !cache.docTables.has(s.id));
    if (missing.length) {
      const rows = await db.searchTerms.bulkGet(missing.map((s) => ['', s.id] as [string, number]));
      rows.forEach((r, i) => {
        if (!r?.docs) throw new Error(`search index: segment ${missing[i].id} has no document table`);
        cache.docTables.set(missing[i].id, r.docs);
      });
    }
    if (!cache.view || cache.viewGen !== m.gen) {
      cache.view = buildView(m, cache.docTables);
      cache.viewGen = m.gen;
      const live = new Set(m.segments.map((s) => s.id));
      for (const id of [...cache.docTables.keys()]) if (!live.has(id)) cache.docTables.delete(id);
    }
    const view = cache.view;
    const segIds = m.segments.map((s) => s.id);
    const snap: IndexSnapshot = {
      manifest: m,
      view,
      countKeys: async (keys) => {
        const grams = [...new Set(keys.flatMap(gramsOfKey))];
        await loadGrams(db, cache, grams, segIds);
        return keys.map((key) => {
          const counts = new Int32Array(view.n);
          for (const seg of segIds) {
            const rows = new Map<string, Postings | null>();
            for (const g of gramsOfKey(key)) rows.set(g, cache.postings.get(cacheKey(g, seg)) ?? null);
            for (const [ord, c] of keyCountsInSegment(key, rows)) {
              const i = ord < view.ordToIdx.length ? view.ordToIdx[ord] : -1;
              if (i >= 0) counts[i] += c;
            }
          }
          return counts;
        });
      },
    };
    return fn(snap);
  });
}

function cacheKey(gram: string, seg: number): string {
  return `${gram}\u0001${seg}`;
}

/** Read the rows of these grams in every segment not cached yet (one range read per gram). */
async function loadGrams(db: LibraryDB, cache: SearchCache, grams: string[], segIds: number[]): Promise<void> {
  const need = grams.filter((g) => segIds.some((s) => !cache.postings.has(cacheKey(g, s))));
  const results = await Promise.all(
    need.map((g) => db.searchTerms.where('[term+seg]').between([g, -Infinity], [g, Infinity], true, true).toArray()),
  );
  const fresh = new Map<string, Postings | null>();
  need.forEach((g, i) => {
    for (const s of segIds) fresh.set(cacheKey(g, s), null);
    for (const row of results[i]) if (row.data) fresh.set(cacheKey(g, row.seg), decodePostings(row.data));
  });
  // Touch the ones this query uses, so eviction takes older ones first.
  for (const g of grams) {
    for (const s of segIds) {
      const k = cacheKey(g, s);
      const p = fresh.has(k) ? fresh.get(k)! : cache.postings.get(k);
      if (cache.postings.has(k)) {
        const old = cache.postings.get(k);
        cache.bytes -= old ? old.bytes : 16;
        cache.postings.delete(k);
      }
      cache.postings.set(k, p ?? null);
      cache.bytes += p ? p.bytes : 16;
    }
  }
  const keep = new Set(grams.flatMap((g) => segIds.map((s) => cacheKey(g, s))));
  for (const [k, p] of cache.postings) {
    if (cache.bytes <= CACHE_BYTES) break;
    if (keep.has(k)) continue;
    cache.bytes -= p ? p.bytes : 16;
    cache.postings.delete(k);
  }
}

// ---------------------------------------------------------------- writing

export interface BuildProgress {
  phase: 'indexing' | 'writing' | 'done';
  /** Plans read so far, of `total`. */
  done: number;
  total: number;
}

export interface BuildOptions {
  onProgress?: (p: BuildProgress) => void;
  /** Body key characters per segment (tests use small segments). */
  segmentChars?: number;
  /** Plans read per batch. */
  batch?: number;
}

export interface BuildStats {
  plans: number;
  segments: number;
  bytes: number;
  ms: number;
}

function randomId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Write a built segment and record it in the manifest (call inside a rw transaction). */
async function writeSegment(db: LibraryDB, m: SearchManifest, b: SegmentBuilder): Promise<void> {
  const seg = m.nextSeg++;
  const { rows, bytes } = b.rows(seg);
  await db.searchTerms.bulkPut(rows);
  await db.searchDocs.bulkPut(
    b.docs.ords.map((ord, j) => ({ planId: b.docs.planIds[j], ord, seg, updatedAt: b.docs.updatedAt[j] })),
  );
  m.segments.push({ id: seg, docs: b.size, chars: b.chars, dead: [], bytes });
  m.gen++;
}

const building = new WeakMap<LibraryDB, Promise<BuildStats>>();

/**
 * Build the whole index again from the plans table, in segments (memory stays bounded). Queries
 * fall back to the scan until it completes. Saves and deletes that happen meanwhile are applied at the end.
 */
export function rebuildSearchIndex(db: LibraryDB, options: BuildOptions = {}): Promise<BuildStats> {
  const running = building.get(db);
  if (running) return running;
  const p = doRebuild(db, options).finally(() => building.delete(db));
  building.set(db, p);
  return p;
}

async function doRebuild(db: LibraryDB, options: BuildOptions): Promise<BuildStats> {
  const t0 = Date.now();
  const segChars = options.segmentChars ?? SEGMENT_CHARS;
  const batch = options.batch ?? 100;
  const keyHash = keyTableHash();
  const buildId = randomId();
  const tables = [db.searchTerms, db.searchDocs, db.meta];
  await db.transaction('rw', tables, async () => {
    const prev = await readManifest(db);
    await db.searchTerms.clear();
    await db.searchDocs.clear();
    const m: SearchManifest = {
      version: INDEX_VERSION, keyHash, buildId, gen: 0, complete: false, nextOrd: 0, nextSeg: 0,
      segments: [], pending: prev && !prev.complete ? prev.pending : [], builtAt: Date.now(),
    };
    await db.meta.put({ key: SEARCH_META_KEY, value: m });
  });
  const total = await db.plans.count();
  const progress = (phase: BuildProgress['phase'], done: number) => options.onProgress?.({ phase, done, total });
  progress('indexing', 0);
  let builder = new SegmentBuilder();
  let ord = 0;
  let done = 0;
  let bytes = 0;
  const flush = async () => {
    if (!builder.size) return;
    progress('writing', done);
    const b = builder;
    builder = new SegmentBuilder();
    await db.transaction('rw', tables, async () => {
      const m = await readManifest(db);
      if (!m || m.buildId !== buildId) throw new Error('search index: another rebuild took over');
      await writeSegment(db, m, b);
      m.nextOrd = ord;
      bytes += m.segments[m.segments.length - 1].bytes;
      await db.meta.put({ key: SEARCH_META_KEY, value: m });
    });
  };
  let last: string | null = null;
  for (;;) {
    const rows: PlanRow[] = await (last === null
      ? db.plans.orderBy(':id').limit(batch).toArray()
      : db.plans.where(':id').above(last).limit(batch).toArray());
    if (!rows.length) break;
    for (const row of rows) {
      builder.add(ord++, row);
      done++;
      if (builder.chars >= segChars) await flush();
    }
    last = rows[rows.length - 1].id;
    progress('indexing', done);
  }
  await flush();
  await db.transaction('rw', [db.plans, ...tables], async () => {
    const m = await readManifest(db);
    if (!m || m.buildId !== buildId) throw new Error('search index: another rebuild took over');
    m.nextOrd = Math.max(m.nextOrd, ord);
    const pending = m.pending;
    m.pending = [];
    m.complete = true;
    await applyChanges(db, m, pending);
    await db.meta.put({ key: SEARCH_META_KEY, value: m });
  });
  progress('done', done);
  const m = await readManifest(db);
  return { plans: done, segments: m?.segments.length ?? 0, bytes: m ? indexBytes(m) : bytes, ms: Date.now() - t0 };
}

function indexBytes(m: SearchManifest): number {
  return m.segments.reduce((n, s) => n + s.bytes, 0);
}

/** Mark a plan's indexed version dead (call inside a rw transaction). */
async function markDead(db: LibraryDB, m: SearchManifest, planId: string): Promise<boolean> {
  const old = await db.searchDocs.get(planId);
  if (!old) return false;
  const seg = m.segments.find((s) => s.id === old.seg);
  if (seg && !seg.dead.includes(old.ord)) seg.dead.push(old.ord);
  await db.searchDocs.delete(planId);
  return true;
}

export type IndexChange = 'indexed' | 'removed' | 'unchanged' | 'pending' | 'needs-rebuild';

/**
 * Bring these plans' index entries in line with the plans table (inside a rw transaction over
 * plans, searchTerms, searchDocs, meta): a plan present is (re)indexed, one gone is removed.
 */
async function applyChanges(db: LibraryDB, m: SearchManifest, planIds: string[]): Promise<IndexChange[]> {
  const out: IndexChange[] = [];
  const builder = new SegmentBuilder();
  for (const id of [...new Set(planIds)]) {
    const row = await db.plans.get(id);
    const indexed = await db.searchDocs.get(id);
    if (row && indexed && indexed.updatedAt === row.updatedAt) {
      out.push('unchanged');
      continue;
    }
    const wasIndexed = await markDead(db, m, id);
    if (row) {
      builder.add(m.nextOrd++, row);
      out.push('indexed');
    } else out.push(wasIndexed ? 'removed' : 'unchanged');
  }
  if (builder.size) await writeSegment(db, m, builder);
  else if (out.includes('removed')) m.gen++;
  await mergeAsNeeded(db, m);
  return out;
}

/** The tier of a small segment: live plans, on a log-MERGE_FACTOR scale. */
function tier(s: SegmentInfo): number {
  return Math.floor(Math.log(Math.max(1, s.docs - s.dead.length)) / Math.log(MERGE_FACTOR));
}

/** Merge small segments of one tier, and rewrite segments mostly dead, until none qualifies. */
async function mergeAsNeeded(db: LibraryDB, m: SearchManifest): Promise<void> {
  for (let round = 0; round < 8; round++) {
    const mostlyDead = m.segments.filter((s) => s.dead.length * 2 > s.docs);
    if (mostlyDead.length) {
      await mergeSegments(db, m, mostlyDead.map((s) => s.id));
      continue;
    }
    const small = m.segments.filter((s) => s.chars < SEGMENT_CHARS / 2);
    const byTier = new Map<number, SegmentInfo[]>();
    for (const s of small) byTier.set(tier(s), [...(byTier.get(tier(s)) ?? []), s]);
    const full = [...byTier.entries()].sort((a, b) => a[0] - b[0]).find(([, list]) => list.length >= MERGE_FACTOR);
    if (!full) return;
    await mergeSegments(db, m, full[1].map((s) => s.id));
  }
}

/** Replace segments by one holding their live plans (postings re-packed in ord order). */
async function mergeSegments(db: LibraryDB, m: SearchManifest, ids: number[]): Promise<void> {
  const segs = m.segments.filter((s) => ids.includes(s.id));
  const dead = new Set(segs.flatMap((s) => s.dead));
  const rows = await db.searchTerms.where('seg').anyOf(ids).toArray();
  await db.searchTerms.where('seg').anyOf(ids).delete();
  const seg = m.nextSeg++;
  // Document table: live plans in ord order.
  const tables = rows.filter((r) => r.term === '' && r.docs).map((r) => r.docs!);
  const entries: Array<[SegmentDocs, number]> = [];
  for (const t of tables) for (let j = 0; j < t.ords.length; j++) if (!dead.has(t.ords[j])) entries.push([t, j]);
  entries.sort((a, b) => a[0].ords[a[1]] - b[0].ords[b[1]]);
  const docs = emptyDocs();
  let chars = 0;
  for (const [t, j] of entries) {
    for (const k of Object.keys(docs) as Array<keyof SegmentDocs>) (docs[k] as unknown[]).push(t[k][j]);
    chars += t.bodyLens[j];
  }
  m.segments = m.segments.filter((s) => !ids.includes(s.id));
  m.gen++;
  if (!docs.ords.length) return;
  const byTerm = new Map<string, SearchTermRow[]>();
  for (const r of rows) {
    if (r.term === '' || !r.data) continue;
    const list = byTerm.get(r.term);
    if (list) list.push(r);
    else byTerm.set(r.term, [r]);
  }
  const out: SearchTermRow[] = [];
  let bytes = docsBytes(docs);
  const head = new ByteSink(16);
  for (const [term, list] of byTerm) {
    const parts: Array<{ ord: number; count: number; pos: Uint8Array | null }> = [];
    for (const r of list) {
      const p = decodePostings(r.data!);
      const bigram = term.length === 2;
      let off = p.posStart;
      const reader = new ByteReader(p.data, p.posStart);
      for (let j = 0; j < p.docs.length; j++) {
        let pos: Uint8Array | null = null;
        if (bigram) {
          reader.pos = off;
          reader.skip(p.counts[j]);
          pos = p.data.subarray(off, reader.pos);
          off = reader.pos;
        }
        if (!dead.has(p.docs[j])) parts.push({ ord: p.docs[j], count: p.counts[j], pos });
      }
    }
    if (!parts.length) continue;
    parts.sort((a, b) => a.ord - b.ord);
    const d = new ByteSink(parts.length * 2);
    const c = new ByteSink(parts.length);
    const ps = new ByteSink(64);
    let prev = 0;
    for (const part of parts) {
      d.push(part.ord - prev);
      prev = part.ord;
      c.push(part.count);
      if (part.pos) ps.append(part.pos);
    }
    head.len = 0;
    head.push(parts.length);
    head.push(d.len);
    head.push(c.len);
    const data = new Uint8Array(head.len + d.len + c.len + ps.len);
    data.set(head.buf.subarray(0, head.len), 0);
    data.set(d.buf.subarray(0, d.len), head.len);
    data.set(c.buf.subarray(0, c.len), head.len + d.len);
    data.set(ps.buf.subarray(0, ps.len), head.len + d.len + c.len);
    out.push({ term, seg, data });
    bytes += data.byteLength + 8;
  }
  out.push({ term: '', seg, docs });
  await db.searchTerms.bulkPut(out);
  const moved = await db.searchDocs.bulkGet(docs.planIds);
  await db.searchDocs.bulkPut(
    moved.filter((r): r is SearchDocRow => !!r && !dead.has(r.ord)).map((r) => ({ ...r, seg })),
  );
  m.segments.push({ id: seg, docs: docs.ords.length, chars, dead: [], bytes });
  m.segments.sort((a, b) => a.id - b.id);
}

/** Tables an index update writes. */
function updateTables(db: LibraryDB) {
  return [db.plans, db.searchTerms, db.searchDocs, db.meta];
}

async function change(db: LibraryDB, planId: string): Promise<IndexChange> {
  return db.transaction('rw', updateTables(db), async () => {
    const m = await readManifest(db);
    if (!m || m.version !== INDEX_VERSION) return 'needs-rebuild';
    if (!m.complete) {
      if (!m.pending.includes(planId)) m.pending.push(planId);
      await db.meta.put({ key: SEARCH_META_KEY, value: m });
      return 'pending';
    }
    const [result] = await applyChanges(db, m, [planId]);
    await db.meta.put({ key: SEARCH_META_KEY, value: m });
    return result;
  });
}

/**
 * Index a plan after it was saved, re-saved or imported (its old version, if any, stops matching).
 * 'needs-rebuild' when there is no index of this version yet (ensureSearchIndex builds it);
 * 'pending' when a rebuild is running (it applies the change when it ends).
 */
export function indexPlanForSearch(db: LibraryDB, planId: string): Promise<IndexChange> {
  return change(db, planId);
}

/** Remove a deleted plan from the index (the plan row must already be gone, else it is re-indexed). */
export function removePlanFromSearch(db: LibraryDB, planId: string): Promise<IndexChange> {
  return change(db, planId);
}

/** Index (or remove) several plans in one transaction: after an import. */
export async function indexPlansForSearch(db: LibraryDB, planIds: string[]): Promise<IndexChange[]> {
  return db.transaction('rw', updateTables(db), async () => {
    const m = await readManifest(db);
    if (!m || m.version !== INDEX_VERSION) return planIds.map(() => 'needs-rebuild' as const);
    if (!m.complete) {
      for (const id of planIds) if (!m.pending.includes(id)) m.pending.push(id);
      await db.meta.put({ key: SEARCH_META_KEY, value: m });
      return planIds.map(() => 'pending' as const);
    }
    const out = await applyChanges(db, m, planIds);
    await db.meta.put({ key: SEARCH_META_KEY, value: m });
    return out;
  });
}

export interface EnsureResult {
  /** What was done: nothing, a full rebuild, or plans added/removed that the index had missed. */
  action: 'ready' | 'rebuilt' | 'reconciled';
  reason: string | null;
  stats: SearchIndexStats;
}

/**
 * Make sure a usable index exists: rebuilds (reporting progress) when it is missing, of an older
 * version, built with other keys, or left unfinished; else adds plans it misses and drops plans
 * that are gone (e.g. written by code that did not call indexPlanForSearch). Call at startup.
 */
export async function ensureSearchIndex(db: LibraryDB, options: BuildOptions = {}): Promise<EnsureResult> {
  const m = await readManifest(db);
  let reason: string | null = null;
  if (!m) reason = 'missing';
  else if (m.version !== INDEX_VERSION) reason = `version ${m.version} → ${INDEX_VERSION}`;
  else if (!m.complete) reason = 'unfinished';
  else if (m.keyHash !== keyTableHash()) reason = 'keys changed';
  if (reason) {
    await rebuildSearchIndex(db, options);
    return { action: 'rebuilt', reason, stats: await searchIndexStats(db) };
  }
  const [planIds, indexedIds] = await Promise.all([
    db.plans.toCollection().primaryKeys(),
    db.searchDocs.toCollection().primaryKeys(),
  ]);
  const have = new Set(indexedIds);
  const want = new Set(planIds);
  const diff = [...planIds.filter((id) => !have.has(id)), ...indexedIds.filter((id) => !want.has(id))];
  if (diff.length) {
    await indexPlansForSearch(db, diff);
    return { action: 'reconciled', reason: `${diff.length} plans out of step`, stats: await searchIndexStats(db) };
  }
  return { action: 'ready', reason: null, stats: await searchIndexStats(db) };
}

export interface SearchIndexStats {
  version: number | null;
  complete: boolean;
  plans: number;
  dead: number;
  segments: number;
  /** Bytes of postings and document tables (what the index adds to the library). */
  bytes: number;
}

export async function searchIndexStats(db: LibraryDB): Promise<SearchIndexStats> {
  const m = await readManifest(db);
  if (!m) return { version: null, complete: false, plans: 0, dead: 0, segments: 0, bytes: 0 };
  const dead = m.segments.reduce((n, s) => n + s.dead.length, 0);
  return {
    version: m.version,
    complete: m.complete,
    plans: m.segments.reduce((n, s) => n + s.docs, 0) - dead,
    dead,
    segments: m.segments.length,
    bytes: indexBytes(m),
  };
}

/** Prepare the key table up front (bulk keying), e.g. before a rebuild in a worker. */
export { prepareKeyTable };
