// The search index in IndexedDB: immutable segments of packed postings per key gram (1–3 characters, positions for 3), bulk-built and updated per plan.
//
// Layout. A segment is a batch of plans; a plan's place in it is its local index j, its ord is global.
// For every gram of a segment's body keys it holds:
//   c / ab / abc  (1–3 units) the plans holding the gram and how often: a key of 1–3 characters is
//                 answered from this list alone (exact, no positions read);
//   abc positions where abc occurs in each of those plans: a longer key occurs at p exactly when the
//                 trigrams covering it occur at p + offset.
// Entries are sorted by gram and packed into pages (`searchTerms` rows [L<n>|P<n>, seg]): IndexedDB
// pays ~0.15 ms a record, so one row per gram would make writing 10,000 plans take minutes. Row
// ['', seg] holds the segment's document table (what filters and ranking need) and the first gram of
// each page, so a query reads only the pages its grams are on.
// A rebuild writes one segment for the whole library (in several passes when it is big); saving a
// plan adds a one-plan segment and marks its old ord dead; small segments merge in tiers.
import type { ClauseRow, LibraryDB, PlanRow } from '../library/db';
import type { Table } from 'dexie';
import {
  ByteReader,
  ByteSink,
  SEPARATOR,
  issuerNames,
  keyCodes,
  keyTableHash,
  planFields,
  planHost,
  planYear,
  prepareKeyTable,
  searchKey,
} from './tokens';
import { hitRecord, stampsDiffer, type HitRecord } from './hit-record';

/** Bump when the layout or what is indexed changes: an index of another version is rebuilt. */
export const INDEX_VERSION = 6;
/** The meta row holding the manifest. */
export const SEARCH_META_KEY = 'search';
/**
 * Body key characters whose postings one pass of a rebuild holds (~4.5 bytes a character, ~90 MB);
 * a bigger library takes a pass per range of first characters, still into one segment (a query reads
 * one page per gram per segment). Segments of more than half this stop merging in tiers.
 */
export const SEGMENT_CHARS = 20_000_000;
/** Passes of a rebuild at most (see doRebuild). */
const MAX_PASSES = 64;
/** Trigrams whose positions a segment counts most, kept in its meta row to steer covers away from them. */
const HEAVY_TRIGRAMS = 2000;
/** Small segments merge when this many share a size tier. */
const MERGE_FACTOR = 4;
/** Budget for decoded rows kept between queries in one context. */
const CACHE_BYTES = 48 * 1024 * 1024;
/** Target bytes of a page of plan lists, and of a page of positions (read only for keys of 4+ characters). */
const LIST_PAGE = 8 * 1024;
const POS_PAGE = 16 * 1024;

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

/** First gram of each page of a segment, per stream. */
export interface PageIndex {
  list: string[];
  pos: string[];
}

/**
 * A segment's document table and page index as stored: each string column joined by U+0000 (one
 * string clones far faster than thousands: the first query after a start reads every segment's).
 */
export interface PackedMeta {
  n: number;
  ords: Float64Array;
  planIds: string;
  titleKeys: string;
  metaKeys: string;
  issuerKeys: string;
  /** '' for none. */
  numberKeys: string;
  years: Int32Array;
  sites: string;
  hosts: string;
  kinds: string;
  /** '' for none. */
  genres: string;
  savedAt: Float64Array;
  updatedAt: Float64Array;
  bodyLens: Int32Array;
  /** First gram of each list page and of each positions page (packed: see packGrams). */
  listPages: string;
  posPages: string;
  /** The heaviest trigrams (most positions) and their counts of positions; `heavyMin`: the least listed. */
  heavy: string;
  heavyTotals: Float64Array;
}

/**
 * One searchTerms row: a page of a segment (`L<n>`: plan lists, `P<n>`: trigram positions), or
 * (term '') the segment's document table and page index.
 */
export interface SearchTermRow {
  term: string;
  seg: number;
  /**
   * Page: its grams (ascending, packed: see packGrams), where each entry starts in `data` (one more
   * than grams), the entries. One string, not an array of hundreds: a read clones one object, not hundreds.
   */
  grams?: string;
  offs?: Uint32Array;
  /** Plan list entry: varints [n, local index deltas…, counts…]; positions entry: per plan, position deltas. */
  data?: Uint8Array;
  meta?: PackedMeta;
}

/** What a hit lists of a clause: its ClauseRow without the text (its span in the plan's text is enough). */
export type ClauseSpan = Pick<ClauseRow, 'clauseId' | 'label' | 'heading' | 'path' | 'level' | 'start' | 'end' | 'parentId' | 'order'>;

/**
 * One searchDocs row: where a plan is indexed, and what its hits show of the indexed version. A page
 * of hits reads only these rows (in the same transaction as the postings that matched), never the
 * plans' whole documents or clause rows.
 */
export interface SearchDocRow {
  planId: string;
  ord: number;
  seg: number;
  /** PlanRow.updatedAt of the indexed version (a re-index of the same version is skipped). */
  updatedAt: number;
  /** The indexed version's clauses, in order. */
  clauses: ClauseSpan[];
  /** Title, issuers, 文号, date, text… of the indexed version; savedAt/viewedAt kept in step with the plan row. */
  hit: HitRecord;
}

/** A clause row as a ClauseSpan. */
export function clauseSpan(c: ClauseSpan): ClauseSpan {
  return { clauseId: c.clauseId, label: c.label, heading: c.heading, path: c.path, level: c.level, start: c.start, end: c.end, parentId: c.parentId, order: c.order };
}

/** The clause spans of these plans, from their clause rows (one primary-key range per plan), in order. */
export async function readClauseSpans(db: LibraryDB, planIds: string[]): Promise<ClauseSpan[][]> {
  const rows = await Promise.all(planIds.map((id) => db.clauses.where('[planId+clauseId]').between([id, -Infinity], [id, []], true, true).toArray()));
  return rows.map((rs) => rs.map(clauseSpan).sort((a, b) => a.order - b.order));
}

export interface SegmentInfo {
  id: number;
  /** Plans indexed in it (dead ones included) and their body key characters. */
  docs: number;
  chars: number;
  /** Ords of plans deleted or re-saved since: filtered out of every answer until a merge drops them. */
  dead: number[];
  /** Bytes of its rows. */
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
  /**
   * Segments merged away in the background, and the segment their plans went to: searchDocs rows
   * still name the old one (rewriting thousands of rows with their text only to rename would cost more).
   */
  moved?: Record<number, number>;
  builtAt: number;
}

// ---------------------------------------------------------------- building a segment

function emptyDocs(): SegmentDocs {
  return {
    ords: [], planIds: [], titleKeys: [], metaKeys: [], issuerKeys: [], numberKeys: [], years: [],
    sites: [], hosts: [], kinds: [], genres: [], savedAt: [], updatedAt: [], bodyLens: [],
  };
}

/** A 32-bit hash with well-mixed low bits (the table is indexed by them). */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return x ^ (x >>> 16);
}

/** Entries buffered before they are sorted by gram and packed (~12 MB of scratch). */
const BATCH = 1 << 20;

/** Bytes appended at the end of a growing buffer. */
class Tape {
  buf = new Uint8Array(1 << 16);
  len = 0;
  ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

/**
 * An open-addressing map from a pair of integers (a ≥ 0, b) to a slot: bigrams are (code, code),
 * trigrams (bigram slot, code). Integer keys and hashing only: this runs for every character.
 */
class PairTable {
  cap = 1 << 15;
  /** a + 1 (0: empty), b, slot. */
  ka = new Int32Array(this.cap);
  kb = new Int32Array(this.cap);
  slots = new Int32Array(this.cap);
  size = 0;

  get(a: number, b: number): number {
    const mask = this.cap - 1;
    const a1 = a + 1;
    let h = mix(Math.imul(a1, 0x9e3779b1) ^ b) & mask;
    for (;;) {
      const k = this.ka[h];
      if (k === a1 && this.kb[h] === b) return this.slots[h];
      if (k === 0) return -1;
      h = (h + 1) & mask;
    }
  }

  set(a: number, b: number, slot: number): void {
    if ((this.size + 1) * 2 > this.cap) {
      const { ka, kb, slots } = this;
      this.cap *= 2;
      this.ka = new Int32Array(this.cap);
      this.kb = new Int32Array(this.cap);
      this.slots = new Int32Array(this.cap);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== 0) this.insert(ka[i], kb[i], slots[i]);
    }
    this.insert(a + 1, b, slot);
    this.size++;
  }

  private insert(a1: number, b: number, slot: number): void {
    const mask = this.cap - 1;
    let h = mix(Math.imul(a1, 0x9e3779b1) ^ b) & mask;
    while (this.ka[h] !== 0) h = (h + 1) & mask;
    this.ka[h] = a1;
    this.kb[h] = b;
    this.slots[h] = slot;
  }
}

/**
 * Accumulates plans (in increasing ord) into one segment's rows; memory ~ their packed size.
 * Entries (gram slot, plan, count or position) are buffered flat and packed gram by gram per batch:
 * appending to thousands of buffers one position at a time costs a cache miss each (10× slower).
 */
export class SegmentBuilder {
  /** Per slot: its gram (as a string), and packed pieces of its plan list, counts and positions. */
  private terms: string[] = [];
  private docParts: Uint8Array[][] = [];
  private countParts: Uint8Array[][] = [];
  private posParts: Uint8Array[][] = [];
  private nDocs: number[] = [];
  /** Positions of each trigram slot (how heavy it is). */
  private posTotal: number[] = [];
  private lastDoc = new Int32Array(1 << 12);
  /** Characters by code; bigrams by code pair; trigrams by (bigram slot, code). */
  private uniSlot = new Int32Array(65536).fill(-1);
  private bigrams = new PairTable();
  private trigrams = new PairTable();
  /** Per-plan counting of characters and bigrams (by slot). */
  private stamp = new Int32Array(1 << 12);
  private cnt = new Int32Array(1 << 12);
  private touched: number[] = [];
  private docStamp = 0;
  /** The batch: slot, plan (local index), and position (trigrams) or count (characters, bigrams). */
  private occSlot = new Int32Array(BATCH);
  private occDoc = new Int32Array(BATCH);
  private occVal = new Int32Array(BATCH);
  private occN = 0;
  /** Scratch of pack(), kept between batches. */
  private sortDoc = new Int32Array(0);
  private sortVal = new Int32Array(0);
  private tapes = [new Tape(), new Tape(), new Tape()];
  readonly docs = emptyDocs();
  /**
   * searchDocs rows of plans added and not written yet (their `seg` is set when the segment is
   * written, unless it was fixed up front: then a rebuild writes them batch by batch, so a segment's
   * texts are not all held in memory until it is written).
   */
  docRows: SearchDocRow[] = [];
  chars = 0;

  /** Grams indexed: those whose first code unit is in [lo, hi] (a rebuild too big for memory indexes the library in several passes, a range each). */
  private lo = 0;
  private hi = 0xffff;
  /** Key characters by code unit (when asked for: how a rebuild splits its passes). */
  readonly unitWeights: Float64Array | null;

  /**
   * `seg`: the segment its plans' searchDocs rows name, when known up front (a rebuild: the segment
   * it ends with). `range`: first code units of the grams to index; `countUnits`: fill unitWeights.
   */
  constructor(
    readonly seg: number | null = null,
    options: { range?: [number, number]; countUnits?: boolean } = {},
  ) {
    if (options.range) [this.lo, this.hi] = options.range;
    this.unitWeights = options.countUnits ? new Float64Array(65536) : null;
  }

  /** Stop indexing grams and free what is held (the plans' document table and searchDocs rows are still kept). */
  dropPostings(): void {
    this.lo = 1;
    this.hi = 0;
    this.terms = [];
    this.docParts = [];
    this.countParts = [];
    this.posParts = [];
    this.nDocs = [];
    this.posTotal = [];
    this.uniSlot.fill(-1);
    this.bigrams = new PairTable();
    this.trigrams = new PairTable();
    this.occN = 0;
  }

  get size(): number {
    return this.docs.ords.length;
  }

  private newSlot(term: string): number {
    const s = this.terms.length;
    this.terms.push(term);
    this.docParts.push([]);
    this.countParts.push([]);
    this.posParts.push([]);
    this.nDocs.push(0);
    this.posTotal.push(0);
    if (s >= this.lastDoc.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.lastDoc = grow(this.lastDoc);
      this.stamp = grow(this.stamp);
      this.cnt = grow(this.cnt);
    }
    this.lastDoc[s] = -1;
    return s;
  }

  /** Slots of grams not seen in this segment yet (kept out of the hot loop). */
  private uniMiss(a: number): number {
    return (this.uniSlot[a] = this.newSlot(String.fromCharCode(a)));
  }
  private biMiss(a: number, b: number): number {
    const s = this.newSlot(String.fromCharCode(a, b));
    this.bigrams.set(a, b, s);
    return s;
  }
  private triMiss(bi: number, c: number): number {
    const s = this.newSlot(this.terms[bi] + String.fromCharCode(c));
    this.trigrams.set(bi, c, s);
    return s;
  }

  /** Add one plan under `ord` (greater than every ord added before). */
  add(ord: number, row: PlanRow, clauses: ClauseSpan[]): void {
    this.docRows.push({ planId: row.id, ord, seg: this.seg ?? -1, updatedAt: row.updatedAt, clauses, hit: hitRecord(row) });
    const fields = planFields(row);
    const { codes, length } = keyCodes(fields.body);
    this.reserve(length);
    this.addCodes(codes, length, this.docs.ords.length);
    this.addDocRow(ord, row, fields.title, fields.meta, length);
  }

  /** Postings only (a later pass of a rebuild): `row`'s body under local index `j`, the one the first pass gave it (ascending). */
  addPostings(j: number, row: PlanRow): void {
    const { codes, length } = keyCodes(planFields(row).body);
    this.reserve(length);
    this.addCodes(codes, length, j);
  }

  /** Room in the batch for a body key of `length` units: at most a trigram entry a character, one entry per distinct character and bigram. */
  private reserve(length: number): void {
    const need = 3 * length;
    if (this.occN + need > this.occSlot.length) this.pack();
    if (need > this.occSlot.length) {
      this.occSlot = new Int32Array(need);
      this.occDoc = new Int32Array(need);
      this.occVal = new Int32Array(need);
    }
  }

  /** The hot loop over one plan's body key: character and bigram counts, trigram positions. */
  private addCodes(codes: Uint16Array, length: number, j: number): void {
    const uniSlot = this.uniSlot;
    const bigrams = this.bigrams;
    const trigrams = this.trigrams;
    const touched = this.touched;
    touched.length = 0;
    const docStamp = ++this.docStamp;
    const occSlot = this.occSlot;
    const occDoc = this.occDoc;
    const occVal = this.occVal;
    let n = this.occN;
    let stamp = this.stamp;
    let cnt = this.cnt;
    const lo = this.lo;
    const hi = this.hi;
    const weights = this.unitWeights;
    for (let i = 0; i < length; i++) {
      const a = codes[i];
      if (a === SEPARATOR) continue;
      if (weights) weights[a]++;
      if (a < lo || a > hi) continue;
      let s = uniSlot[a];
      if (s < 0) {
        s = this.uniMiss(a);
        stamp = this.stamp;
        cnt = this.cnt;
      }
      if (stamp[s] !== docStamp) {
        stamp[s] = docStamp;
        cnt[s] = 0;
        touched.push(s);
      }
      cnt[s]++;
      if (i + 1 >= length) continue;
      const b = codes[i + 1];
      if (b === SEPARATOR) continue;
      let bi = bigrams.get(a, b);
      if (bi < 0) {
        bi = this.biMiss(a, b);
        stamp = this.stamp;
        cnt = this.cnt;
      }
      if (stamp[bi] !== docStamp) {
        stamp[bi] = docStamp;
        cnt[bi] = 0;
        touched.push(bi);
      }
      cnt[bi]++;
      if (i + 2 >= length) continue;
      const c = codes[i + 2];
      if (c === SEPARATOR) continue;
      let tri = trigrams.get(bi, c);
      if (tri < 0) {
        tri = this.triMiss(bi, c);
        stamp = this.stamp;
        cnt = this.cnt;
      }
      occSlot[n] = tri;
      occDoc[n] = j;
      occVal[n] = i;
      n++;
    }
    for (let t = 0; t < touched.length; t++) {
      const s = touched[t];
      occSlot[n] = s;
      occDoc[n] = j;
      occVal[n] = cnt[s];
      n++;
    }
    this.occN = n;
  }

  /**
   * Sort the batch by slot (stable counting sort: plans stay in order, positions ascending) and
   * append each slot's plans (deltas), counts and positions (deltas within a plan) as one piece each.
   */
  private pack(): void {
    const n = this.occN;
    if (!n) return;
    const slots = this.terms.length;
    const start = new Int32Array(slots + 1);
    const occSlot = this.occSlot;
    for (let k = 0; k < n; k++) start[occSlot[k] + 1]++;
    for (let s = 0; s < slots; s++) start[s + 1] += start[s];
    const fill = start.slice(0, slots);
    if (this.sortDoc.length < n) {
      this.sortDoc = new Int32Array(this.occSlot.length);
      this.sortVal = new Int32Array(this.occSlot.length);
    }
    const doc = this.sortDoc;
    const val = this.sortVal;
    const occDoc = this.occDoc;
    const occVal = this.occVal;
    for (let k = 0; k < n; k++) {
      const at = fill[occSlot[k]]++;
      doc[at] = occDoc[k];
      val[at] = occVal[k];
    }
    const d = this.tapes[0];
    const c = this.tapes[1];
    const p = this.tapes[2];
    d.len = c.len = p.len = 0;
    // Per slot with entries in this batch: where its bytes start and end in each stream.
    const used: number[] = [];
    const ends = new Int32Array(slots * 3);
    const begins = new Int32Array(slots * 3);
    for (let s = 0; s < slots; s++) {
      let k = start[s];
      const end = start[s + 1];
      if (k === end) continue;
      const positional = this.terms[s].length === 3;
      begins[3 * s] = d.len;
      begins[3 * s + 1] = c.len;
      begins[3 * s + 2] = p.len;
      d.ensure((end - k) * 5);
      c.ensure((end - k) * 5);
      if (positional) p.ensure((end - k) * 5);
      let last = this.lastDoc[s];
      let docs = 0;
      while (k < end) {
        const j = doc[k];
        let e = k + 1;
        d.len = putVarint(d.buf, d.len, last < 0 ? j : j - last);
        last = j;
        if (positional) {
          while (e < end && doc[e] === j) e++;
          c.len = putVarint(c.buf, c.len, e - k);
          let prev = 0;
          for (let q = k; q < e; q++) {
            p.len = putVarint(p.buf, p.len, val[q] - prev);
            prev = val[q];
          }
        } else c.len = putVarint(c.buf, c.len, val[k]);
        docs++;
        k = e;
      }
      this.lastDoc[s] = last;
      this.nDocs[s] += docs;
      if (positional) this.posTotal[s] += end - start[s];
      ends[3 * s] = d.len;
      ends[3 * s + 1] = c.len;
      ends[3 * s + 2] = p.len;
      used.push(s);
    }
    // One right-sized copy per stream; the slots' pieces are views into it.
    const D = d.buf.slice(0, d.len);
    const C = c.buf.slice(0, c.len);
    const P = p.buf.slice(0, p.len);
    for (const s of used) {
      this.docParts[s].push(D.subarray(begins[3 * s], ends[3 * s]));
      this.countParts[s].push(C.subarray(begins[3 * s + 1], ends[3 * s + 1]));
      if (ends[3 * s + 2] > begins[3 * s + 2]) this.posParts[s].push(P.subarray(begins[3 * s + 2], ends[3 * s + 2]));
    }
    this.occN = 0;
  }

  /** The plan's entry in the document table. */
  private addDocRow(ord: number, row: PlanRow, title: string, meta: string, length: number): void {
    const dt = this.docs;
    dt.ords.push(ord);
    dt.planIds.push(row.id);
    dt.titleKeys.push(searchKey(title));
    dt.metaKeys.push(searchKey(meta));
    dt.issuerKeys.push(issuerNames(row).map(searchKey).join('\n'));
    dt.numberKeys.push(row.doc.metadata.docNumber?.normalized || null);
    dt.years.push(planYear(row));
    dt.sites.push(row.site);
    dt.hosts.push(planHost(row.url));
    dt.kinds.push(row.kind);
    dt.genres.push(row.genre);
    dt.savedAt.push(row.savedAt);
    dt.updatedAt.push(row.updatedAt);
    dt.bodyLens.push(length);
    this.chars += length;
  }

  /** The segment's rows (pages and meta row) and their byte size. */
  rows(seg: number): { rows: SearchTermRow[]; bytes: number } {
    const { lists, positions, totals } = this.entries();
    return segmentRows(seg, this.docs, lists, positions, totals);
  }

  /** Every gram's plan list and (trigrams) positions, in gram order, and each trigram's positions in all. */
  entries(): { lists: Entry[]; positions: Entry[]; totals: Map<string, number> } {
    this.pack();
    const order: number[] = [];
    for (let s = 0; s < this.terms.length; s++) if (this.nDocs[s]) order.push(s);
    order.sort((a, b) => (this.terms[a] < this.terms[b] ? -1 : 1));
    const lists: Entry[] = [];
    const positions: Entry[] = [];
    const totals = new Map<string, number>();
    for (const s of order) {
      const term = this.terms[s];
      lists.push(entry(term, this.nDocs[s], [...this.docParts[s], ...this.countParts[s]]));
      if (term.length === 3) {
        positions.push(entry(term, -1, this.posParts[s]));
        totals.set(term, this.posTotal[s]);
      }
    }
    return { lists, positions, totals };
  }
}

/** A gram's entry in a page stream: an optional varint header (n ≥ 0) then its byte pieces. */
interface Entry {
  term: string;
  head: number;
  parts: Uint8Array[];
  size: number;
}

function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function entry(term: string, head: number, parts: Uint8Array[]): Entry {
  let size = head >= 0 ? varintLength(head) : 0;
  for (const p of parts) size += p.length;
  return { term, head, parts, size };
}

/**
 * Packs entries, given in gram order, into page rows of about `target` bytes as they come (a bigger
 * entry gets a page of its own): a merge streams its output through one without holding it all.
 */
class PageWriter {
  /** Pages made and not taken yet. */
  rows: SearchTermRow[] = [];
  /** First gram of every page made. */
  readonly first: string[] = [];
  /** Bytes of every page made, and of those not taken yet. */
  bytes = 0;
  untaken = 0;
  private pending: Entry[] = [];
  private size = 0;

  constructor(
    readonly seg: number,
    readonly prefix: string,
    readonly target: number,
  ) {}

  add(e: Entry): void {
    if (this.pending.length && this.size + e.size > this.target) this.close();
    this.pending.push(e);
    this.size += e.size;
  }

  finish(): void {
    if (this.pending.length) this.close();
  }

  take(): SearchTermRow[] {
    const rows = this.rows;
    this.rows = [];
    this.untaken = 0;
    return rows;
  }

  private close(): void {
    const entries = this.pending;
    const grams: string[] = [];
    const offs = new Uint32Array(entries.length + 1);
    const data = new Uint8Array(this.size);
    let at = 0;
    entries.forEach((en, k) => {
      grams.push(en.term);
      offs[k] = at;
      if (en.head >= 0) at = putVarint(data, at, en.head);
      for (const part of en.parts) {
        data.set(part, at);
        at += part.length;
      }
    });
    offs[entries.length] = at;
    this.first.push(grams[0]);
    this.rows.push({ term: `${this.prefix}${this.first.length - 1}`, seg: this.seg, grams: packGrams(grams), offs, data });
    const bytes = this.size + offs.byteLength + grams.length * 2 * GRAM_WIDTH;
    this.bytes += bytes;
    this.untaken += bytes;
    this.pending = [];
    this.size = 0;
  }
}


/** The `keep` heaviest trigrams (most positions, then in gram order), from any number of (trigram, positions) pairs. */
function heaviest(pairs: Iterable<[string, number]>, keep = HEAVY_TRIGRAMS): Array<[string, number]> {
  const order = (a: [string, number], b: [string, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1);
  let top: Array<[string, number]> = [];
  for (const p of pairs) {
    top.push(p);
    // Bounded: a merge offers every trigram of a whole library.
    if (top.length >= 4 * keep) top = top.sort(order).slice(0, keep);
  }
  return top.sort(order).slice(0, keep);
}

const SEP0 = '\u0000';

function packMeta(d: SegmentDocs, pages: PageIndex, heavy: Array<[string, number]>): PackedMeta {
  const join = (xs: Array<string | null>) => xs.map((x) => x ?? '').join(SEP0);
  return {
    n: d.ords.length,
    ords: Float64Array.from(d.ords),
    planIds: join(d.planIds),
    titleKeys: join(d.titleKeys),
    metaKeys: join(d.metaKeys),
    issuerKeys: join(d.issuerKeys),
    numberKeys: join(d.numberKeys),
    years: Int32Array.from(d.years),
    sites: join(d.sites),
    hosts: join(d.hosts),
    kinds: join(d.kinds),
    genres: join(d.genres),
    savedAt: Float64Array.from(d.savedAt),
    updatedAt: Float64Array.from(d.updatedAt),
    bodyLens: Int32Array.from(d.bodyLens),
    listPages: packGrams(pages.list),
    posPages: packGrams(pages.pos),
    heavy: heavy.map((h) => h[0]).join(SEP0),
    heavyTotals: Float64Array.from(heavy.map((h) => h[1])),
  };
}

/**
 * A segment's meta row, unpacked as far as a query needs: the first query after a start reads every
 * segment's, so columns are split into arrays only when something asks for them (merging, filters).
 */
export interface SegmentMeta {
  packed: PackedMeta;
  /** The document table as arrays (split on first use). */
  readonly docs: SegmentDocs;
  /** The heaviest trigrams and their positions (a map made on first use: only keys of 4+ characters ask). */
  readonly heavy: Map<string, number>;
  /** Positions a trigram not among the heavy ones has at most. */
  heavyMin: number;
}

/** A packed column of strings as an array (no entries when the segment has no plans). */
function splitColumn(p: PackedMeta, col: string): string[] {
  return p.n ? col.split(SEP0) : [];
}

function orNull(xs: string[]): Array<string | null> {
  return xs.map((x) => x || null);
}

/** Plain array of a typed one (a loop: Array.from iterates slowly before the code is optimised). */
function arrayOf(xs: ArrayLike<number>): number[] {
  const out = new Array<number>(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i];
  return out;
}

export function unpackMeta(p: PackedMeta): SegmentMeta {
  let docs: SegmentDocs | null = null;
  let heavy: Map<string, number> | null = null;
  const heavyCount = p.heavyTotals.length;
  return {
    packed: p,
    get docs() {
      return (docs ??= {
        ords: arrayOf(p.ords),
        planIds: splitColumn(p, p.planIds),
        titleKeys: splitColumn(p, p.titleKeys),
        metaKeys: splitColumn(p, p.metaKeys),
        issuerKeys: splitColumn(p, p.issuerKeys),
        numberKeys: orNull(splitColumn(p, p.numberKeys)),
        years: arrayOf(p.years),
        sites: splitColumn(p, p.sites),
        hosts: splitColumn(p, p.hosts),
        kinds: splitColumn(p, p.kinds),
        genres: orNull(splitColumn(p, p.genres)),
        savedAt: arrayOf(p.savedAt),
        updatedAt: arrayOf(p.updatedAt),
        bodyLens: arrayOf(p.bodyLens),
      });
    },
    get heavy() {
      if (!heavy) {
        const terms = p.heavy ? p.heavy.split(SEP0) : [];
        heavy = new Map(terms.map((t, i) => [t, p.heavyTotals[i]]));
      }
      return heavy;
    },
    heavyMin: heavyCount >= HEAVY_TRIGRAMS ? p.heavyTotals[heavyCount - 1] : 0,
  };
}

/** Positions of a trigram in a segment, as far as its meta row tells: exact for heavy ones, a bound otherwise. */
function trigramWeight(meta: SegmentMeta, tri: string): number {
  return meta.heavy.get(tri) ?? meta.heavyMin;
}

/**
 * Writes a segment as its entries come in gram order: plan lists and trigram positions into pages
 * (taken as they fill), the heaviest trigrams kept from the positions' totals, then its meta row
 * (document table, page index, heavy trigrams). A build, a rebuild's passes and both merges write through one.
 */
class SegmentWriter {
  private readonly lists: PageWriter;
  private readonly positions: PageWriter;
  private heavy: Array<[string, number]> = [];

  constructor(readonly seg: number) {
    this.lists = new PageWriter(seg, 'L', LIST_PAGE);
    this.positions = new PageWriter(seg, 'P', POS_PAGE);
  }

  addList(e: Entry): void {
    this.lists.add(e);
  }

  /** A trigram's positions entry, and how many positions it holds in all. */
  addPositions(e: Entry, total: number): void {
    this.positions.add(e);
    this.heavy.push([e.term, total]);
    if (this.heavy.length >= 4 * HEAVY_TRIGRAMS) this.heavy = heaviest(this.heavy);
  }

  /** Bytes of pages made and not taken yet. */
  get untaken(): number {
    return this.lists.untaken + this.positions.untaken;
  }

  /** Pages made since the last take. */
  take(): SearchTermRow[] {
    return [...this.lists.take(), ...this.positions.take()];
  }

  /** Close the last pages: the pages not taken yet, the meta row for `docs`, and the bytes of every row. */
  finish(docs: SegmentDocs): { pages: SearchTermRow[]; metaRow: SearchTermRow; bytes: number } {
    this.lists.finish();
    this.positions.finish();
    const meta = packMeta(docs, { list: this.lists.first, pos: this.positions.first }, heaviest(this.heavy));
    return { pages: this.take(), metaRow: { term: '', seg: this.seg, meta }, bytes: this.lists.bytes + this.positions.bytes + packedBytes(meta) };
  }
}

/** All rows of a segment, from its entries in gram order. */
function segmentRows(seg: number, docs: SegmentDocs, lists: Entry[], positions: Entry[], totals: Map<string, number>): { rows: SearchTermRow[]; bytes: number } {
  const w = new SegmentWriter(seg);
  for (const e of lists) w.addList(e);
  for (const e of positions) w.addPositions(e, totals.get(e.term)!);
  const { pages, metaRow, bytes } = w.finish(docs);
  return { rows: [...pages, metaRow], bytes };
}

/** Index of the page that would hold `term` (the last page whose first gram is ≤ it), or -1. */
function pageOf(first: string, term: string): number {
  let lo = 0;
  let hi = first.length / GRAM_WIDTH - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (compareGramAt(first, mid, term) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The entry of `term` in a page row, or null. */
function entryIn(row: SearchTermRow, term: string): Uint8Array | null {
  const grams = row.grams!;
  let lo = 0;
  let hi = grams.length / GRAM_WIDTH - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareGramAt(grams, mid, term);
    if (c === 0) return row.data!.subarray(row.offs![mid], row.offs![mid + 1]);
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

// Grams (1–3 key code units, never U+0000) packed into one string, each padded with U+0000 to
// GRAM_WIDTH units: padding keeps string order (a shorter gram sorts before its extensions), and a
// sorted list is binary-searched in place, without an array of strings to clone or allocate.
const GRAM_WIDTH = 3;

export function packGrams(grams: string[]): string {
  let out = '';
  for (const g of grams) {
    if (!g.length || g.length > GRAM_WIDTH) throw new Error(`search index: gram of ${g.length} units`);
    out += g.length === GRAM_WIDTH ? g : g.padEnd(GRAM_WIDTH, SEP0);
  }
  return out;
}

/** The i-th gram of a packed list. */
export function gramAt(packed: string, i: number): string {
  const at = i * GRAM_WIDTH;
  let end = at + GRAM_WIDTH;
  while (end > at + 1 && packed.charCodeAt(end - 1) === 0) end--;
  return packed.slice(at, end);
}

/** Sign of (i-th gram of `packed`) − `term`, in string order. */
function compareGramAt(packed: string, i: number, term: string): number {
  const at = i * GRAM_WIDTH;
  for (let k = 0; k < GRAM_WIDTH; k++) {
    const a = packed.charCodeAt(at + k);
    const b = k < term.length ? term.charCodeAt(k) : 0;
    if (a !== b) return a - b;
  }
  return term.length > GRAM_WIDTH ? -1 : 0;
}

/** Write one unsigned varint at `at`; returns the next offset (the buffer has room). */
function putVarint(buf: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

/** Rough size of a segment's meta row: packed document table, page index and heavy trigrams. */
function packedBytes(p: PackedMeta): number {
  let n = p.n * 8 * 5 + p.heavyTotals.byteLength;
  for (const k of ['planIds', 'titleKeys', 'metaKeys', 'issuerKeys', 'numberKeys', 'sites', 'hosts', 'kinds', 'genres', 'listPages', 'posPages', 'heavy'] as const) n += p[k].length * 2;
  return n;
}

// ---------------------------------------------------------------- reading rows

/** Decode `n` varints from `data` at `at` into `out` (as running sums when `sum`); returns the end. */
function readVarints(data: Uint8Array, at: number, n: number, out: Int32Array, sum: boolean): number {
  let p = at;
  let v = 0;
  for (let k = 0; k < n; k++) {
    let byte = data[p++];
    let d = byte & 0x7f;
    let shift = 7;
    while (byte & 0x80) {
      byte = data[p++];
      d |= (byte & 0x7f) << shift;
      shift += 7;
    }
    if (sum) {
      v += d;
      out[k] = v;
    } else out[k] = d;
  }
  return p;
}

/** A plans row decoded: local indexes (ascending) and counts. */
export interface DocList {
  docs: Int32Array;
  counts: Int32Array;
}

export function decodeDocList(data: Uint8Array): DocList {
  const r = new ByteReader(data);
  const n = r.next();
  const docs = new Int32Array(n);
  const counts = new Int32Array(n);
  let at = readVarints(data, r.pos, n, docs, true);
  at = readVarints(data, at, n, counts, false);
  if (at !== data.length) throw new Error('search index: corrupt plans row');
  return { docs, counts };
}

/** A positions row decoded against its plans row: every position, and where each plan's run starts. */
export interface PosList {
  pos: Int32Array;
  /** off[k]..off[k+1] are the positions of the k-th plan of the plans row. */
  off: Int32Array;
}

/**
 * A positions row as a query keeps it: the bytes and where each plan's run starts in them (one pass
 * skipping varints); a run is decoded only for a plan that holds every trigram of a key.
 */
export interface PosRuns {
  data: Uint8Array;
  /** at[k]..at[k+1]: bytes of the k-th plan's run; counts[k] positions in it. */
  at: Int32Array;
  counts: Int32Array;
}

export function indexPosRuns(data: Uint8Array, list: DocList): PosRuns {
  const n = list.counts.length;
  const at = new Int32Array(n + 1);
  let p = 0;
  for (let k = 0; k < n; k++) {
    // Skip counts[k] varints: a byte below 0x80 ends one.
    for (let c = list.counts[k]; c > 0; p++) if (data[p] < 0x80) c--;
    at[k + 1] = p;
  }
  if (p !== data.length) throw new Error('search index: corrupt positions row');
  return { data, at, counts: list.counts };
}

/** Decode the k-th plan's positions into `out` (which has room for counts[k]). */
function decodeRun(r: PosRuns, k: number, out: Int32Array): void {
  readVarints(r.data, r.at[k], r.counts[k], out, true);
}

export function decodePosList(data: Uint8Array, list: DocList): PosList {
  const n = list.counts.length;
  const off = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) off[k + 1] = off[k] + list.counts[k];
  const pos = new Int32Array(off[n]);
  let at = 0;
  for (let k = 0; k < n; k++) at = readVarints(data, at, list.counts[k], pos.subarray(off[k], off[k + 1]), true);
  if (at !== data.length) throw new Error('search index: corrupt positions row');
  return { pos, off };
}

/**
 * Offsets of trigrams covering every character of a key (length ≥ 4) with the least total weight
 * (positions to read): a match of all of them at p + offset is a match of the key at p (exact).
 */
export function coverTrigrams(key: string, weight: (tri: string) => number): number[] {
  const L = key.length;
  // best[x]: least weight covering characters [0, x); from[x]: the last trigram's offset.
  const best = new Array<number>(L + 1).fill(Infinity);
  const from = new Array<number>(L + 1).fill(-1);
  best[0] = 0;
  for (let o = 0; o + 3 <= L; o++) {
    const w = weight(key.slice(o, o + 3));
    let prev = Infinity;
    for (let x = o; x < o + 3; x++) prev = Math.min(prev, best[x]);
    if (prev + w < best[o + 3]) {
      best[o + 3] = prev + w;
      from[o + 3] = o;
    }
  }
  // Walk back: a trigram ending at x, then the best prefix it can follow.
  const offsets: number[] = [];
  let x = L;
  while (x > 0) {
    const o = from[x];
    offsets.push(o);
    let next = o;
    for (let y = o; y < o + 3; y++) if (best[y] < best[next]) next = y;
    x = next;
  }
  return offsets.reverse();
}

/**
 * Occurrences of a key in one plan: starts p in the driving list such that every other list k holds
 * p + offsets[k]. Lists are that plan's ascending positions, pos[k][0 .. len[k]); `ptr` is scratch.
 */
function chainCount(pos: Int32Array[], len: Int32Array, ptr: Int32Array, offsets: number[]): number {
  const m = pos.length;
  // Drive from the list with the fewest positions in this plan.
  let d = 0;
  for (let k = 1; k < m; k++) if (len[k] < len[d]) d = k;
  ptr.fill(0);
  const dp = pos[d];
  let count = 0;
  next: for (let a = 0; a < len[d]; a++) {
    const p = dp[a] - offsets[d];
    for (let k = 0; k < m; k++) {
      if (k === d) continue;
      const want = p + offsets[k];
      const list = pos[k];
      let i = ptr[k];
      const end = len[k];
      while (i < end && list[i] < want) i++;
      ptr[k] = i;
      if (i >= end) break next;
      if (list[i] !== want) continue next;
    }
    count++;
  }
  return count;
}

/**
 * Occurrences of a key covered by two trigrams in one plan, straight from their position runs (no
 * decoding into arrays: keys of 4–6 characters, the common long ones): positions a of the first
 * such that a + delta is a position of the second.
 */
function pairCount(da: Uint8Array, a0: number, na: number, db: Uint8Array, b0: number, nb: number, delta: number): number {
  let pa = a0;
  let pb = b0;
  let a = 0;
  let b = 0;
  let ib = 0;
  let count = 0;
  // b holds the last decoded position of the second run (ib of them decoded so far).
  let haveB = false;
  for (let ia = 0; ia < na; ia++) {
    let byte = da[pa++];
    let v = byte & 0x7f;
    let shift = 7;
    while (byte & 0x80) {
      byte = da[pa++];
      v |= (byte & 0x7f) << shift;
      shift += 7;
    }
    a += v;
    const want = a + delta;
    while (!haveB || b < want) {
      if (ib >= nb) return count;
      byte = db[pb++];
      v = byte & 0x7f;
      shift = 7;
      while (byte & 0x80) {
        byte = db[pb++];
        v |= (byte & 0x7f) << shift;
        shift += 7;
      }
      b += v;
      ib++;
      haveB = true;
    }
    if (b === want) count++;
  }
  return count;
}

const EMPTY = new Int32Array(0);

/** Whether some local index is in every one of these ascending lists. */
function shareDoc(lists: DocList[]): boolean {
  const ptr = new Int32Array(lists.length);
  const first = lists[0].docs;
  next: for (let a = 0; a < first.length; a++) {
    const j = first[a];
    for (let k = 1; k < lists.length; k++) {
      const docs = lists[k].docs;
      let q = ptr[k];
      while (q < docs.length && docs[q] < j) q++;
      ptr[k] = q;
      if (q >= docs.length) return false;
      if (docs[q] !== j) continue next;
    }
    return true;
  }
  return false;
}

/** Body occurrences of `key` in each plan of one segment, added into `counts` by dense index. */
function countInSegment(key: string, cover: number[], get: (term: string) => Decoded | null, idx: Int32Array, counts: Int32Array): void {
  if (key.length <= 3) {
    const r = get(key);
    if (!r) return;
    const { docs, counts: c } = r.list;
    for (let k = 0; k < docs.length; k++) {
      const i = idx[docs[k]];
      if (i >= 0) counts[i] += c[k];
    }
    return;
  }
  // Candidates: plans holding every covering trigram; their positions decide (loaded only in
  // segments where such a candidate exists).
  const rows: Decoded[] = [];
  for (const o of cover) {
    const r = get(key.slice(o, o + 3));
    if (!r) return; // a covering trigram absent from the segment: no plan there has the key
    rows.push(r);
  }
  const m = rows.length;
  const ptr = new Int32Array(m);
  const pos: Int32Array[] = rows.map(() => EMPTY);
  const len = new Int32Array(m);
  const scratch = new Int32Array(m);
  const delta = m === 2 ? cover[1] - cover[0] : 0;
  let base = 0;
  for (let k = 1; k < m; k++) if (rows[k].list.docs.length < rows[base].list.docs.length) base = k;
  const baseDocs = rows[base].list.docs;
  const runs = rows.map((r) => r.positions);
  outer: for (let a = 0; a < baseDocs.length; a++) {
    const j = baseDocs[a];
    const i = idx[j];
    if (i < 0) continue;
    for (let k = 0; k < m; k++) {
      const docs = rows[k].list.docs;
      let q = k === base ? a : ptr[k];
      while (q < docs.length && docs[q] < j) q++;
      ptr[k] = q;
      if (q >= docs.length) break outer;
      if (docs[q] !== j) continue outer;
    }
    // j holds every covering trigram: their positions were loaded (see countKeys).
    let n: number;
    if (m === 2) {
      const r0 = runs[0];
      const r1 = runs[1];
      if (!r0 || !r1) throw new Error('search index: positions not loaded');
      const q0 = base === 0 ? a : ptr[0];
      const q1 = base === 1 ? a : ptr[1];
      n = pairCount(r0.data, r0.at[q0], r0.counts[q0], r1.data, r1.at[q1], r1.counts[q1], delta);
    } else {
      for (let k = 0; k < m; k++) {
        const p = runs[k];
        if (!p) throw new Error('search index: positions not loaded');
        const q = k === base ? a : ptr[k];
        const c = p.counts[q];
        if (pos[k].length < c) pos[k] = new Int32Array(Math.max(c, 2 * pos[k].length, 64));
        decodeRun(p, q, pos[k]);
        len[k] = c;
      }
      n = chainCount(pos, len, scratch, cover);
    }
    if (n) counts[i] += n;
  }
}

// ---------------------------------------------------------------- the in-memory view of the live plans

/** String columns of the document tables. */
type StringColumn = 'planIds' | 'titleKeys' | 'metaKeys' | 'issuerKeys' | 'numberKeys' | 'sites' | 'hosts' | 'kinds' | 'genres';

/** A column of keys joined by U+0000 (no key holds it) and where each plan's key starts (one more than plans). */
export interface Joined {
  text: string;
  starts: Int32Array;
}

/** One segment as the view sees it. */
interface ViewPart {
  packed: PackedMeta;
  /** The dense index of each of its plans (-1: dead), and whether none is dead. */
  idx: Int32Array;
  allLive: boolean;
}

/**
 * Every live plan of the index, column-wise, addressed by a dense index. Numbers are copied out when
 * the view is made; string columns are made from the packed tables on first use (a query without
 * filters never splits the issuer or site columns; titles and metadata are searched joined).
 */
export class DocView {
  private readonly cols = new Map<StringColumn, Array<string | null>>();
  private readonly joins = new Map<'titleKeys' | 'metaKeys', Joined>();

  constructor(
    readonly n: number,
    readonly years: Int32Array,
    readonly savedAt: Float64Array,
    readonly updatedAt: Float64Array,
    readonly bodyLens: Int32Array,
    /** Sum of bodyLens. */
    readonly totalLen: number,
    /** Per segment: the dense index of each of its plans (-1: dead). */
    readonly segments: Map<number, Int32Array>,
    private readonly parts: ViewPart[],
  ) {}

  get planIds(): string[] {
    return this.column('planIds') as string[];
  }
  get issuerKeys(): string[] {
    return this.column('issuerKeys') as string[];
  }
  get numberKeys(): Array<string | null> {
    return this.column('numberKeys');
  }
  get sites(): string[] {
    return this.column('sites') as string[];
  }
  get hosts(): string[] {
    return this.column('hosts') as string[];
  }
  get kinds(): string[] {
    return this.column('kinds') as string[];
  }
  get genres(): Array<string | null> {
    return this.column('genres');
  }

  /** A string column in dense order ('' read as null for 文号 and genre). */
  column(col: StringColumn): Array<string | null> {
    let out = this.cols.get(col);
    if (out) return out;
    const nullable = col === 'numberKeys' || col === 'genres';
    out = new Array<string | null>(this.n);
    for (const part of this.parts) {
      const xs = splitColumn(part.packed, part.packed[col]);
      for (let j = 0; j < xs.length; j++) {
        const i = part.idx[j];
        if (i >= 0) out[i] = nullable ? xs[j] || null : xs[j];
      }
    }
    this.cols.set(col, out);
    return out;
  }

  /** Title or metadata keys of the live plans, joined in dense order (segments without dead plans are taken as stored). */
  joined(col: 'titleKeys' | 'metaKeys'): Joined {
    let j = this.joins.get(col);
    if (j) return j;
    const pieces: string[] = [];
    for (const part of this.parts) {
      if (!part.packed.n) continue;
      if (part.allLive) pieces.push(part.packed[col]);
      else {
        // One slice per run of live plans (a few dead ones in 10,000 would otherwise split and rejoin them all).
        const packed = part.packed[col];
        let at = 0;
        let run = -1;
        for (let k = 0; k < part.packed.n; k++) {
          if (part.idx[k] >= 0) {
            if (run < 0) run = at;
          } else if (run >= 0) {
            pieces.push(packed.slice(run, at - 1));
            run = -1;
          }
          const end = packed.indexOf(SEP0, at);
          at = end < 0 ? packed.length + 1 : end + 1;
        }
        if (run >= 0) pieces.push(packed.slice(run));
      }
    }
    const text = pieces.join(SEP0);
    const starts = new Int32Array(this.n + 1);
    let at = 0;
    for (let i = 0; i < this.n; i++) {
      starts[i] = at;
      const end = text.indexOf(SEP0, at);
      at = end < 0 ? text.length + 1 : end + 1;
    }
    starts[this.n] = at;
    j = { text, starts };
    this.joins.set(col, j);
    return j;
  }

  /** Rough bytes held. */
  bytes(): number {
    let n = this.n * 24;
    for (const idx of this.segments.values()) n += idx.byteLength;
    for (const c of this.cols.values()) n += c.length * 16;
    for (const j of this.joins.values()) n += j.text.length * 2 + j.starts.byteLength;
    return n;
  }
}

/** A row as the cache keeps it: a plan list, with its positions once a key of length ≥ 4 needed them. */
interface Decoded {
  list: DocList;
  /** Sum of counts: how many positions the row's positions would hold. */
  total: number;
  positions: PosRuns | null;
  bytes: number;
}

interface SearchCache {
  buildId: string;
  docTables: Map<number, SegmentMeta>;
  viewGen: number;
  view: DocView | null;
  /** Decoded rows by gram and segment (null: the segment has no such gram), oldest first. */
  rows: Map<string, Decoded | null>;
  bytes: number;
}

const caches = new WeakMap<LibraryDB, SearchCache>();

function cacheFor(db: LibraryDB, buildId: string): SearchCache {
  let c = caches.get(db);
  if (!c || c.buildId !== buildId) {
    c = { buildId, docTables: new Map(), viewGen: -1, view: null, rows: new Map(), bytes: 0 };
    caches.set(db, c);
  }
  return c;
}

/**
 * Forget this context's cached index data: everything (the next query reads the document tables
 * again, as after a restart) or only the decoded rows (the next query reads its rows again).
 */
export function dropSearchCache(db: LibraryDB, options: { postingsOnly?: boolean } = {}): void {
  const c = caches.get(db);
  if (!c) return;
  if (!options.postingsOnly) {
    caches.delete(db);
    return;
  }
  c.rows.clear();
  c.bytes = 0;
}

/** Bytes held in memory by this context's cache for `db` (document tables, view, decoded rows). */
export function searchCacheBytes(db: LibraryDB): number {
  const c = caches.get(db);
  if (!c) return 0;
  let n = c.bytes;
  for (const d of c.docTables.values()) n += packedBytes(d.packed);
  if (c.view) n += c.view.bytes();
  return n;
}

function buildView(m: SearchManifest, metas: Map<number, SegmentMeta>): DocView {
  const dead = new Set<number>();
  for (const s of m.segments) for (const o of s.dead) dead.add(o);
  let cap = 0;
  for (const s of m.segments) cap += metas.get(s.id)!.packed.n;
  const years = new Int32Array(cap);
  const savedAt = new Float64Array(cap);
  const updatedAt = new Float64Array(cap);
  const bodyLens = new Int32Array(cap);
  const segments = new Map<number, Int32Array>();
  const parts: ViewPart[] = [];
  let totalLen = 0;
  let i = 0;
  for (const s of m.segments) {
    const p = metas.get(s.id)!.packed;
    const idx = new Int32Array(p.n);
    for (let j = 0; j < p.n; j++) {
      if (s.dead.length && dead.has(p.ords[j])) {
        idx[j] = -1;
        continue;
      }
      idx[j] = i;
      years[i] = p.years[j];
      savedAt[i] = p.savedAt[j];
      updatedAt[i] = p.updatedAt[j];
      bodyLens[i] = p.bodyLens[j];
      totalLen += p.bodyLens[j];
      i++;
    }
    segments.set(s.id, idx);
    parts.push({ packed: p, idx, allLive: !s.dead.length });
  }
  return new DocView(i, years, savedAt, updatedAt, bodyLens, totalLen, segments, parts);
}

/** What one query reads: the manifest and view, and a counter of key occurrences (same transaction). */
export interface IndexSnapshot {
  manifest: SearchManifest;
  view: DocView;
  /**
   * Body occurrences of each key in each live plan (by dense index). Exact. `phases` (profiling) gets the ms spent reading and counting added.
   * `likely[i]`: key i probably occurs (a term as typed, not a phrasing variant): its positions are read with the plan lists, in one batch.
   */
  countKeys(keys: string[], phases?: Record<string, number>, likely?: boolean[]): Promise<Int32Array[]>;
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
 * Run `fn` on a consistent snapshot of the index (one read transaction, of `alsoRead` too), or return null when there
 * is no usable index (never built, older version, rebuild running).
 */
export async function withIndex<T>(db: LibraryDB, fn: (snap: IndexSnapshot) => Promise<T>, alsoRead: Table[] = []): Promise<T | null> {
  // `alsoRead`: tables `fn` reads too (the hits' rows), in the same transaction: one less to open and commit per query.
  return db.transaction('r', [db.meta, db.searchTerms, ...alsoRead], async () => {
    const m = await readManifest(db);
    if (!isUsable(m)) return null;
    const cache = cacheFor(db, m.buildId);
    const view = await currentView(db, cache, m);
    const segIds = m.segments.map((s) => s.id);
    const snap: IndexSnapshot = {
      manifest: m,
      view,
      countKeys: async (keys, phases, likely) => {
        const tRead = performance.now();
        // Keys of 1–3 characters: their plan list. Longer keys: the lists and positions of the
        // trigrams covering them, chosen to avoid heavy ones (from the segments' meta rows, no read).
        const weight = (tri: string) => segIds.reduce((n, s) => n + trigramWeight(cache.docTables.get(s)!, tri), 0);
        const covers = keys.map((key) => (key.length > 3 ? coverTrigrams(key, weight) : []));
        const coverGrams = (key: string, i: number) => covers[i].map((o) => key.slice(o, o + 3));
        const short = keys.filter((k) => k.length <= 3);
        const positional = [...new Set(keys.flatMap((key, i) => coverGrams(key, i)))];
        // Plan lists first (one batch), with the positions of likely keys (one round trip less for
        // a typed term); other positions then only where some plan holds every covering trigram of
        // a key (Taiwan-phrasing variants are usually absent and cost no positions read).
        const pairs = (grams: string[]) => grams.flatMap((g) => segIds.map((s) => [g, s] as [string, number]));
        const first = pairs([...new Set([...short, ...positional])]);
        const early = new Set(keys.flatMap((key, i) => (likely?.[i] ? pairs(coverGrams(key, i)).map(([g, s]) => cacheKey(g, s)) : [])));
        await loadGrams(db, cache, first, early.size ? (k) => early.has(k) : false);
        const needPos = new Map<string, [string, number]>();
        keys.forEach((key, i) => {
          if (key.length <= 3) return;
          const grams = coverGrams(key, i);
          for (const s of segIds) {
            const lists = grams.map((g) => cache.rows.get(cacheKey(g, s))?.list ?? null);
            if (!lists.every((l): l is DocList => !!l) || !shareDoc(lists)) continue;
            for (const g of grams) needPos.set(cacheKey(g, s), [g, s]);
          }
        });
        // The lists just loaded stay cached through this second load (counting needs them).
        const tPos = performance.now();
        if (needPos.size) await loadGrams(db, cache, [...needPos.values()], true, new Set(first.map(([g, s]) => cacheKey(g, s))));
        const tCount = performance.now();
        if (phases && needPos.size) phases.positions = (phases.positions ?? 0) + tCount - tPos;
        if (phases) phases.postings = (phases.postings ?? 0) + tCount - tRead;
        const out = keys.map((key, i) => {
          const counts = new Int32Array(view.n);
          for (const seg of segIds) {
            const get = (g: string) => cache.rows.get(cacheKey(g, seg)) ?? null;
            countInSegment(key, covers[i], get, view.segments.get(seg)!, counts);
          }
          return counts;
        });
        if (phases) phases.count = (phases.count ?? 0) + performance.now() - tCount;
        return out;
      },
    };
    return fn(snap);
  });
}

/** The view of this manifest's live plans: the cached one, or made (reading the document tables it lacks). */
async function currentView(db: LibraryDB, cache: SearchCache, m: SearchManifest): Promise<DocView> {
  await loadDocTables(db, cache, m);
  if (!cache.view || cache.viewGen !== m.gen) {
    cache.view = buildView(m, cache.docTables);
    cache.viewGen = m.gen;
    const live = new Set(m.segments.map((s) => s.id));
    for (const id of [...cache.docTables.keys()]) if (!live.has(id)) cache.docTables.delete(id);
  }
  return cache.view;
}

/** Read the meta rows of segments whose document tables this context does not hold yet. */
async function loadDocTables(db: LibraryDB, cache: SearchCache, m: SearchManifest): Promise<void> {
  const missing = m.segments.filter((s) => !cache.docTables.has(s.id));
  if (!missing.length) return;
  const rows = await db.searchTerms.bulkGet(missing.map((s) => ['', s.id] as [string, number]));
  rows.forEach((r, i) => {
    if (!r?.meta) throw new Error(`search index: segment ${missing[i].id} has no meta row`);
    cache.docTables.set(missing[i].id, unpackMeta(r.meta));
  });
}

/**
 * Read the index's document tables into this context's cache and make the view (with the joined
 * titles and metadata every query searches) ahead of the first query; segments are immutable, so
 * what it reads stays valid. The background calls it when the popup opens, so the first query
 * typed after a browser start does not pay for them. Never rejects.
 */
export async function prefetchSearchIndex(db: LibraryDB): Promise<void> {
  try {
    await db.transaction('r', [db.meta, db.searchTerms], async () => {
      const m = await readManifest(db);
      if (!isUsable(m)) return;
      const view = await currentView(db, cacheFor(db, m.buildId), m);
      view.joined('titleKeys');
      view.joined('metaKeys');
    });
  } catch {
    // A failed prefetch only means the query reads the tables itself.
  }
}

function cacheKey(gram: string, seg: number): string {
  return `${gram}\u0001${seg}`;
}

/**
 * Make the plan lists of these (gram, segment) pairs cached (and their positions when
 * `positions` is true, or says so for the pair's cache key): the pages they are on are read in one batch. Entries this query uses move to the
 * young end of the cache; the oldest go when it is over budget, never `pinned` ones.
 */
async function loadGrams(
  db: LibraryDB,
  cache: SearchCache,
  pairs: Array<[string, number]>,
  positions: boolean | ((cacheKey: string) => boolean),
  pinned: Set<string> = new Set(),
): Promise<void> {
  const wanted: Array<{ g: string; s: number; list: string | null; pos: string | null }> = [];
  const keys = new Map<string, [string, number]>();
  const page = (s: number, prefix: 'L' | 'P', g: string) => {
    const meta = cache.docTables.get(s)!;
    const i = pageOf(prefix === 'L' ? meta.packed.listPages : meta.packed.posPages, g);
    if (i < 0) return null;
    const k = `${prefix}${i}\u0001${s}`;
    keys.set(k, [`${prefix}${i}`, s]);
    return k;
  };
  for (const [g, s] of pairs) {
    const k = cacheKey(g, s);
    const have = cache.rows.get(k);
    const needList = !cache.rows.has(k);
    const needPos = (positions === true || (positions !== false && positions(k))) && (needList || (!!have && !have.positions));
    if (!needList && !needPos) continue;
    wanted.push({ g, s, list: needList ? page(s, 'L', g) : null, pos: needPos ? page(s, 'P', g) : null });
  }
  if (wanted.length) {
    const ids = [...keys.keys()];
    const rows = await db.searchTerms.bulkGet(ids.map((k) => keys.get(k)!));
    const byKey = new Map(ids.map((k, i) => [k, rows[i]]));
    for (const w of wanted) {
      const k = cacheKey(w.g, w.s);
      const old = cache.rows.get(k);
      if (old !== undefined) cache.bytes -= old ? old.bytes : 16;
      let d: Decoded | null = old ?? null;
      if (old === undefined) {
        const row = w.list ? byKey.get(w.list) : undefined;
        const data = row ? entryIn(row, w.g) : null;
        if (data) {
          const list = decodeDocList(data);
          let total = 0;
          for (let q = 0; q < list.counts.length; q++) total += list.counts[q];
          d = { list, total, positions: null, bytes: list.docs.byteLength * 2 + 64 };
        }
      }
      if (d && w.pos && !d.positions) {
        const row = byKey.get(w.pos);
        const data = row ? entryIn(row, w.g) : null;
        if (!data) throw new Error(`search index: no positions for ${w.g} in segment ${w.s}`);
        d.positions = indexPosRuns(data, d.list);
        d.bytes += data.byteLength + d.positions.at.byteLength;
      }
      cache.rows.set(k, d);
      cache.bytes += d ? d.bytes : 16;
    }
  }
  const used = new Set<string>();
  for (const [g, s] of pairs) {
    const k = cacheKey(g, s);
    used.add(k);
    const d = cache.rows.get(k);
    cache.rows.delete(k);
    cache.rows.set(k, d ?? null);
  }
  for (const [k, d] of cache.rows) {
    if (cache.bytes <= CACHE_BYTES) break;
    if (used.has(k) || pinned.has(k)) continue;
    cache.bytes -= d ? d.bytes : 16;
    cache.rows.delete(k);
  }
}

// ---------------------------------------------------------------- writing

export interface BuildProgress {
  /** indexing: reading plans; writing: postings; done. */
  phase: 'indexing' | 'writing' | 'done';
  /** Plans read so far in this pass, of `total`. */
  done: number;
  total: number;
  /** A library too big to index in one pass is read again in further passes: this one (2, 3, …) of `passes`. */
  pass?: number;
  passes?: number;
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

/** Write a builder's rows as segment `seg` (the next id unless given); its searchDocs rows name the builder's own id if it has one. */
async function writeSegment(db: LibraryDB, m: SearchManifest, b: SegmentBuilder, seg = m.nextSeg): Promise<void> {
  m.nextSeg = Math.max(m.nextSeg, seg + 1);
  const { rows, bytes } = b.rows(seg);
  await db.searchTerms.bulkPut(rows);
  await writeDocRows(db, b, b.seg ?? seg);
  m.segments.push({ id: seg, docs: b.size, chars: b.chars, dead: [], bytes });
  m.gen++;
}

/** Write (and forget) the builder's pending searchDocs rows, as rows of segment `seg`. */
async function writeDocRows(db: LibraryDB, b: SegmentBuilder, seg: number): Promise<void> {
  const docRows = b.docRows;
  b.docRows = [];
  for (const r of docRows) r.seg = seg;
  await db.searchDocs.bulkPut(docRows);
}

/**
 * Split code units into `n` ranges [lo, hi] in order, each holding about an equal share of the key
 * characters counted in `weights` (a unit heavier than a share gets a range of its own).
 */
export function unitRanges(weights: Float64Array, n: number): Array<[number, number]> {
  let total = 0;
  let used = 0;
  for (const w of weights) {
    total += w;
    if (w) used++;
  }
  n = Math.max(1, Math.min(n, used));
  const out: Array<[number, number]> = [];
  let lo = 0;
  let acc = 0;
  for (let u = 0; u < weights.length; u++) {
    acc += weights[u];
    if (weights[u] && out.length < n - 1 && acc >= (total * (out.length + 1)) / n) {
      out.push([lo, u]);
      lo = u + 1;
    }
  }
  out.push([lo, weights.length - 1]);
  return out;
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
  const progress = (phase: BuildProgress['phase'], done: number, pass?: { pass: number; passes: number }) => options.onProgress?.({ phase, done, total, ...pass });
  progress('indexing', 0);
  const owned = (m: SearchManifest | null): SearchManifest => {
    if (!m || m.buildId !== buildId) throw new Error('search index: another rebuild took over');
    return m;
  };
  const ownedWrite = (fn: (m: SearchManifest) => Promise<void>) => db.transaction('rw', tables, async () => fn(owned(await readManifest(db))));
  // Every plan ends in segment FINAL (one read per gram per query). A first pass reads the plans in
  // id order: their document table and searchDocs rows, and their postings while memory allows; a
  // library too big for that is then indexed in further passes, each over a range of first characters
  // (a pass holds about `segChars` characters' postings), appended in gram order to the same segment.
  const FINAL = 0;
  const first = new SegmentBuilder(FINAL, { countUnits: true });
  let ord = 0;
  let done = 0;
  let passes = false;
  let last: string | null = null;
  for (;;) {
    const rows: PlanRow[] = await (last === null
      ? db.plans.orderBy(':id').limit(batch).toArray()
      : db.plans.where(':id').above(last).limit(batch).toArray());
    if (!rows.length) break;
    const spans = await readClauseSpans(db, rows.map((r) => r.id));
    for (const [i, row] of rows.entries()) {
      first.add(ord++, row, spans[i]);
      done++;
      if (!passes && first.chars >= segChars && done < total) {
        passes = true;
        first.dropPostings();
      }
    }
    await ownedWrite(() => writeDocRows(db, first, FINAL));
    last = rows[rows.length - 1].id;
    progress('indexing', done);
  }
  let bytes = 0;
  if (first.size && !passes) {
    progress('writing', done);
    await ownedWrite(async (m) => {
      await writeSegment(db, m, first, FINAL);
      m.nextOrd = ord;
      bytes = m.segments[0].bytes;
      await db.meta.put({ key: SEARCH_META_KEY, value: m });
    });
  } else if (first.size) {
    const w = new SegmentWriter(FINAL);
    const planIds = first.docs.planIds;
    // At most MAX_PASSES: past that (a library of over a billion characters) a pass holds more.
    const ranges = unitRanges(first.unitWeights!, Math.min(MAX_PASSES, Math.ceil(first.chars / segChars)));
    for (const [k, range] of ranges.entries()) {
      const pass = { pass: k + 2, passes: ranges.length + 1 };
      const b = new SegmentBuilder(FINAL, { range });
      for (let from = 0; from < planIds.length; from += batch) {
        const rows = await db.plans.bulkGet(planIds.slice(from, from + batch));
        // A plan deleted or changed since the first pass is pending: marked dead and re-indexed at the end.
        rows.forEach((row, k) => row && b.addPostings(from + k, row));
        progress('indexing', from + rows.length, pass);
      }
      const { lists, positions, totals } = b.entries();
      progress('writing', planIds.length, pass);
      for (const e of lists) w.addList(e);
      for (const e of positions) w.addPositions(e, totals.get(e.term)!);
      await ownedWrite(async () => void (await db.searchTerms.bulkPut(w.take())));
    }
    const last = w.finish(first.docs);
    bytes = last.bytes;
    await ownedWrite(async (m) => {
      await db.searchTerms.bulkPut([...last.pages, last.metaRow]);
      m.segments = [{ id: FINAL, docs: first.size, chars: first.chars, dead: [], bytes }];
      m.nextSeg = FINAL + 1;
      m.nextOrd = ord;
      m.gen++;
      await db.meta.put({ key: SEARCH_META_KEY, value: m });
    });
  }
  await db.transaction('rw', [db.plans, db.clauses, ...tables], async () => {
    const m = owned(await readManifest(db));
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
  let id = old.seg;
  for (let hops = 0; m.moved?.[id] !== undefined && !m.segments.some((s) => s.id === id) && hops < 64; hops++) id = m.moved[id];
  const seg = m.segments.find((s) => s.id === id);
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
      if (stampsDiffer(indexed.hit, row)) await db.searchDocs.put({ ...indexed, hit: { ...indexed.hit, savedAt: row.savedAt, viewedAt: row.viewedAt } });
      out.push('unchanged');
      continue;
    }
    const wasIndexed = await markDead(db, m, id);
    if (row) {
      builder.add(m.nextOrd++, row, (await readClauseSpans(db, [id]))[0]);
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

/** Every entry of a segment's pages, by stream. */
function entriesOf(rows: SearchTermRow[]): { lists: Map<string, Uint8Array>; positions: Map<string, Uint8Array> } {
  const lists = new Map<string, Uint8Array>();
  const positions = new Map<string, Uint8Array>();
  for (const r of rows) {
    if (!r.grams) continue;
    const into = r.term.startsWith('P') ? positions : lists;
    for (let i = 0; i < r.grams.length / GRAM_WIDTH; i++) into.set(gramAt(r.grams, i), r.data!.subarray(r.offs![i], r.offs![i + 1]));
  }
  return { lists, positions };
}

/** A segment being merged: its document table, and where each of its plans goes in the merged one (-1: dead). */
interface MergeSource {
  t: SegmentDocs;
  to: Int32Array;
}

/** The merged document table: the live plans of `olds`, in ord order (fills each source's `to`). */
function mergedDocs(olds: MergeSource[], dead: Set<number>): SegmentDocs {
  const order: Array<[number, number]> = [];
  olds.forEach((o, s) => o.t.ords.forEach((ord, j) => dead.has(ord) || order.push([s, j])));
  order.sort((a, b) => olds[a[0]].t.ords[a[1]] - olds[b[0]].t.ords[b[1]]);
  const docs = emptyDocs();
  order.forEach(([s, j], nj) => {
    olds[s].to[j] = nj;
    for (const k of Object.keys(docs) as Array<keyof SegmentDocs>) (docs[k] as unknown[]).push(olds[s].t[k][j]);
  });
  return docs;
}

/** A source's document table as stored in its meta row (an empty one when the row is missing). */
function mergeSource(meta: PackedMeta | undefined): MergeSource {
  const t = meta ? unpackMeta(meta).docs : emptyDocs();
  return { t, to: new Int32Array(t.ords.length).fill(-1) };
}

/**
 * One gram's entries in several segments as its entries in the merged segment: plans renumbered by
 * their source's `to` (dead ones dropped), positions kept per plan (trigrams), and its positions in
 * all (for the heavy trigrams). null when no live plan holds it.
 */
function mergeGram(term: string, parts: Array<{ list: Uint8Array; pos: Uint8Array | null; to: Int32Array }>): { list: Entry; pos: Entry | null; total: number } | null {
  const entries: Array<{ nj: number; count: number; pos: Int32Array | null }> = [];
  for (const part of parts) {
    const list = decodeDocList(part.list);
    const pl = part.pos ? decodePosList(part.pos, list) : null;
    for (let k = 0; k < list.docs.length; k++) {
      const nj = part.to[list.docs[k]];
      if (nj < 0) continue;
      entries.push({ nj, count: list.counts[k], pos: pl ? pl.pos.subarray(pl.off[k], pl.off[k + 1]) : null });
    }
  }
  if (!entries.length) return null;
  entries.sort((a, b) => a.nj - b.nj);
  const d = new ByteSink(entries.length + 8);
  const c = new ByteSink(entries.length + 8);
  const p = term.length === 3 ? new ByteSink(64) : null;
  let prev = 0;
  let total = 0;
  for (const e of entries) {
    d.push(e.nj - prev);
    prev = e.nj;
    c.push(e.count);
    total += e.count;
    if (p && e.pos) {
      let last = 0;
      for (const x of e.pos) {
        p.push(x - last);
        last = x;
      }
    }
  }
  return { list: entry(term, entries.length, [d.bytes(), c.bytes()]), pos: p ? entry(term, -1, [p.bytes()]) : null, total };
}

/** Replace segments by one holding their live plans, in ord order (entries re-packed; positions are per plan). */
async function mergeSegments(db: LibraryDB, m: SearchManifest, ids: number[]): Promise<void> {
  const segs = m.segments.filter((s) => ids.includes(s.id));
  const dead = new Set(segs.flatMap((s) => s.dead));
  const perSeg = await Promise.all(ids.map((id) => db.searchTerms.where('seg').equals(id).toArray()));
  for (const id of ids) await db.searchTerms.where('seg').equals(id).delete();
  m.segments = m.segments.filter((s) => !ids.includes(s.id));
  m.gen++;
  const olds = perSeg.map((rows) => ({ ...mergeSource(rows.find((r) => r.term === '')?.meta), ...entriesOf(rows) }));
  const docs = mergedDocs(olds, dead);
  if (!docs.ords.length) return;
  const seg = m.nextSeg++;
  const terms = [...new Set(olds.flatMap((o) => [...o.lists.keys()]))].sort();
  const w = new SegmentWriter(seg);
  for (const term of terms) {
    const parts = olds.flatMap((o) => {
      const list = o.lists.get(term);
      return list ? [{ list, pos: o.positions.get(term) ?? null, to: o.to }] : [];
    });
    const merged = mergeGram(term, parts);
    if (!merged) continue;
    w.addList(merged.list);
    if (merged.pos) w.addPositions(merged.pos, merged.total);
  }
  const { pages, metaRow, bytes } = w.finish(docs);
  await db.searchTerms.bulkPut([...pages, metaRow]);
  const moved = await db.searchDocs.bulkGet(docs.planIds);
  await db.searchDocs.bulkPut(moved.filter((r): r is SearchDocRow => !!r && !dead.has(r.ord)).map((r) => ({ ...r, seg })));
  const chars = docs.bodyLens.reduce((a, b) => a + b, 0);
  m.segments.push({ id: seg, docs: docs.ords.length, chars, dead: [], bytes });
  m.segments.sort((a, b) => a.id - b.id);
}

// ---------------------------------------------------------------- merging big segments in the background

/**
 * Saves merge small segments as they go (mergeAsNeeded), but a segment over SEGMENT_CHARS / 2 is
 * left alone there: merging it inside a save would hold hundreds of MB and block the save for
 * seconds. A library built up by saves and imports would so keep one segment per ~600 plans, and a
 * query reads a page per gram per segment. These big ones are merged here instead, MERGE_FACTOR of
 * one size tier at a time, in the background: their pages streamed in gram order (bounded memory),
 * the merged segment written under an id no query reads yet, then swapped in by one short transaction.
 */
const BIG_SEGMENT_CHARS = SEGMENT_CHARS / 2;
/** Bytes of merged pages held before they are written. */
const STREAM_FLUSH_BYTES = 4 * 1024 * 1024;
/** Pages read per request while streaming a segment. */
const STREAM_READ_PAGES = 16;

/** Which segments count as big, and how many of one size tier are merged at once. */
export interface BigMergePolicy {
  /** Characters from which a segment is big (default SEGMENT_CHARS / 2). */
  minChars?: number;
  /** Segments merged at once, and the base of the size tiers (default MERGE_FACTOR). */
  factor?: number;
}

/** The big segments to merge next: the oldest `factor` of the lowest size tier (characters over minChars, log-factor scale) holding that many, or null. */
export function bigMergeCandidates(segments: SegmentInfo[], policy: BigMergePolicy = {}): number[] | null {
  const minChars = policy.minChars ?? BIG_SEGMENT_CHARS;
  const factor = policy.factor ?? MERGE_FACTOR;
  const byTier = new Map<number, number[]>();
  for (const s of [...segments].sort((a, b) => a.id - b.id)) {
    if (s.chars < minChars) continue;
    const t = Math.floor(Math.log(s.chars / minChars) / Math.log(factor));
    byTier.set(t, [...(byTier.get(t) ?? []), s.id]);
  }
  const full = [...byTier.entries()].sort((a, b) => a[0] - b[0]).find(([, ids]) => ids.length >= factor);
  return full ? full[1].slice(0, factor) : null;
}

/** One stream (L or P) of a segment, read a few pages at a time, entry by entry in gram order. */
class PageCursor {
  private rows: SearchTermRow[] = [];
  private row = 0;
  private k = 0;
  private next = 0;

  constructor(
    private readonly db: LibraryDB,
    readonly seg: number,
    readonly prefix: 'L' | 'P',
    readonly pages: number,
  ) {}

  /** Load the current entry: the next pages once these are used up. */
  async ready(): Promise<void> {
    for (;;) {
      while (this.row < this.rows.length && this.k >= this.rows[this.row].grams!.length / GRAM_WIDTH) {
        this.row++;
        this.k = 0;
      }
      if (this.row < this.rows.length || this.next >= this.pages) return;
      const keys: Array<[string, number]> = [];
      for (let i = this.next; i < Math.min(this.pages, this.next + STREAM_READ_PAGES); i++) keys.push([`${this.prefix}${i}`, this.seg]);
      this.next += keys.length;
      const rows = await this.db.searchTerms.bulkGet(keys);
      if (rows.some((r) => !r?.grams)) throw new Error(`search index: segment ${this.seg} lacks a ${this.prefix} page`);
      this.rows = rows as SearchTermRow[];
      this.row = 0;
      this.k = 0;
    }
  }

  /** The current gram (after ready()), or null at the end. */
  peek(): string | null {
    const r = this.rows[this.row];
    return r ? gramAt(r.grams!, this.k) : null;
  }

  /** The current entry; moves to the next. */
  take(): Uint8Array {
    const r = this.rows[this.row];
    const data = r.data!.subarray(r.offs![this.k], r.offs![this.k + 1]);
    this.k++;
    return data;
  }
}

export interface StreamMergeOptions {
  /** Called after each batch of merged pages is written, before the swap (the background keeps its worker alive with it). */
  onProgress?: (pagesWritten: number) => void | Promise<void>;
}

/** The manifest, when it is still the usable index of build `buildId`. */
async function sameBuild(db: LibraryDB, buildId: string): Promise<SearchManifest | null> {
  const m = await readManifest(db);
  return isUsable(m) && m.buildId === buildId ? m : null;
}

/** Delete every row of segments the manifest does not list (left by a merge that was stopped), in batches. */
async function dropUnlisted(db: LibraryDB, buildId: string, segs: number[]): Promise<void> {
  for (const seg of segs) {
    for (;;) {
      const done = await db.transaction('rw', [db.meta, db.searchTerms], async () => {
        const m = await sameBuild(db, buildId);
        if (!m || m.segments.some((s) => s.id === seg)) return true;
        const keys = await db.searchTerms.where('seg').equals(seg).limit(500).primaryKeys();
        await db.searchTerms.bulkDelete(keys);
        return keys.length < 500;
      });
      if (done) break;
    }
  }
}

/**
 * Merge these segments into one without holding them in memory: their pages are read in gram order,
 * each gram's entries merged (mergeGram) and written as pages of a new segment that no query reads
 * until one transaction swaps it in for them. Plans deleted or re-saved meanwhile are dead in the
 * merged segment; their searchDocs rows keep naming the old segment, which the manifest's `moved`
 * maps to the new one. Resolves false, having removed what it wrote, when the index changed under it
 * (a rebuild, or one of the segments merged or rewritten by a save meanwhile).
 */
export async function mergeSegmentsStreaming(db: LibraryDB, ids: number[], options: StreamMergeOptions = {}): Promise<boolean> {
  const start = await db.transaction('rw', [db.meta], async () => {
    const m = await readManifest(db);
    if (!isUsable(m) || !ids.every((id) => m.segments.some((s) => s.id === id))) return null;
    const seg = m.nextSeg++;
    await db.meta.put({ key: SEARCH_META_KEY, value: m });
    return { buildId: m.buildId, seg, dead: new Set(m.segments.filter((s) => ids.includes(s.id)).flatMap((s) => s.dead)) };
  });
  if (!start) return false;
  const { buildId, seg } = start;
  const abandon = async () => {
    await dropUnlisted(db, buildId, [seg]);
    return false;
  };
  try {
    const metas = await db.searchTerms.bulkGet(ids.map((id) => ['', id] as [string, number]));
    if (metas.some((r) => !r?.meta)) return await abandon();
    const packed = metas.map((r) => r!.meta!);
    const olds = packed.map((p) => mergeSource(p));
    const docs = mergedDocs(olds, start.dead);
    const L = packed.map((p, i) => new PageCursor(db, ids[i], 'L', p.listPages.length / GRAM_WIDTH));
    const P = packed.map((p, i) => new PageCursor(db, ids[i], 'P', p.posPages.length / GRAM_WIDTH));
    const w = new SegmentWriter(seg);
    let written = 0;
    // Each batch is written only while the index is still this build's (a rebuild starting meanwhile stops it).
    const flush = async (rows = w.take()): Promise<boolean> => {
      if (!rows.length) return true;
      const ok = await db.transaction('rw', [db.meta, db.searchTerms], async () => {
        if (!(await sameBuild(db, buildId))) return false;
        await db.searchTerms.bulkPut(rows);
        return true;
      });
      written += rows.length;
      if (ok) await options.onProgress?.(written);
      return ok;
    };
    for (;;) {
      await Promise.all(L.map((c) => c.ready()));
      let gram: string | null = null;
      for (const c of L) {
        const g = c.peek();
        if (g !== null && (gram === null || g < gram)) gram = g;
      }
      if (gram === null) break;
      const parts: Array<{ list: Uint8Array; pos: Uint8Array | null; to: Int32Array }> = [];
      for (let i = 0; i < L.length; i++) {
        if (L[i].peek() !== gram) continue;
        const list = L[i].take();
        let pos: Uint8Array | null = null;
        if (gram.length === GRAM_WIDTH) {
          await P[i].ready();
          if (P[i].peek() === gram) pos = P[i].take();
        }
        parts.push({ list, pos, to: olds[i].to });
      }
      const merged = mergeGram(gram, parts);
      if (merged) {
        w.addList(merged.list);
        if (merged.pos) w.addPositions(merged.pos, merged.total);
      }
      if (w.untaken >= STREAM_FLUSH_BYTES && !(await flush())) return await abandon();
    }
    const { pages, metaRow, bytes } = w.finish(docs);
    if (!(await flush(pages))) return await abandon();
    const chars = docs.bodyLens.reduce((a, b) => a + b, 0);
    const swapped = await db.transaction('rw', [db.meta, db.searchTerms], async () => {
      const m = await sameBuild(db, buildId);
      if (!m || !ids.every((id) => m.segments.some((s) => s.id === id))) return false;
      // Dead now: plans deleted or re-saved since the merge started (those dead before were left out).
      const deadNow = new Set(m.segments.filter((s) => ids.includes(s.id)).flatMap((s) => s.dead));
      m.segments = m.segments.filter((s) => !ids.includes(s.id));
      if (docs.ords.length) {
        await db.searchTerms.put(metaRow);
        m.segments.push({ id: seg, docs: docs.ords.length, chars, dead: docs.ords.filter((o) => deadNow.has(o)), bytes });
        m.segments.sort((a, b) => a.id - b.id);
      }
      m.moved = { ...m.moved };
      for (const id of ids) m.moved[id] = seg;
      m.gen++;
      await db.meta.put({ key: SEARCH_META_KEY, value: m });
      return true;
    });
    if (!swapped) return await abandon();
    // The old segments are no longer read: their rows go in batches, not in the swap (it would block queries).
    await dropUnlisted(db, buildId, ids);
    if (!docs.ords.length) await dropUnlisted(db, buildId, [seg]);
    return true;
  } catch (e) {
    await abandon().catch(() => undefined);
    throw e;
  }
}

const compacting = new WeakMap<LibraryDB, Promise<number>>();
/** Databases whose rows left by a stopped merge this context has removed (once per start is enough). */
const swept = new WeakSet<LibraryDB>();

/**
 * Merge big segments while MERGE_FACTOR of one size tier exist (bigMergeCandidates), after removing
 * rows a stopped merge left (first run in this context). One run at a time per database (a second call joins it). Resolves the
 * number of merges done. The background calls it after saves, imports and deletes, and at start.
 */
export function compactSearchIndex(db: LibraryDB, options: StreamMergeOptions & BigMergePolicy = {}): Promise<number> {
  const running = compacting.get(db);
  if (running) return running;
  const run = (async () => {
    const m = await readManifest(db);
    if (!isUsable(m)) return 0;
    if (!swept.has(db)) {
      const listed = new Set(m.segments.map((s) => s.id));
      const present = (await db.searchTerms.orderBy('seg').uniqueKeys()) as number[];
      await dropUnlisted(db, m.buildId, present.filter((s) => !listed.has(s)));
      swept.add(db);
    }
    let merges = 0;
    for (;;) {
      const now = await readManifest(db);
      const ids = isUsable(now) ? bigMergeCandidates(now.segments, options) : null;
      if (!ids || !(await mergeSegmentsStreaming(db, ids, options))) return merges;
      merges++;
    }
  })().finally(() => compacting.delete(db));
  compacting.set(db, run);
  return run;
}

/** Tables an index update writes. */
function updateTables(db: LibraryDB) {
  return [db.plans, db.clauses, db.searchTerms, db.searchDocs, db.meta];
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
