// Search keys: one character-level spelling of text and queries (script, width, case, brackets, spaces), grams and packed varints.
import { simplifiedCharCode } from '../text/script';
import type { PlanRow } from '../library/db';

/**
 * Bump when the key of any character changes: the index stores keys' grams, so an index built
 * with other keys must be rebuilt (index.ts keeps this in its manifest).
 */
export const KEY_VERSION = 1;

/** Table value of a character that the key drops (spaces, controls, noncharacters). */
const DROP = 0xffff;
/** Table value of a character not looked up yet. */
const UNKNOWN = 0;
/** The one line break kept: no key match spans two lines or two fields. */
export const SEPARATOR = 10;

const OPEN = '([【〔﹝〖﹙〘｟⦅';
const CLOSE = ')]】〕﹞〗﹚〙｠⦆';
const DASHES = '‐‑‒–—―−﹘﹣';

/** code unit → key code unit. Filled per character on demand (all CJK at once for keyTableHash). */
const table = new Uint16Array(65536);
let cjkDone = false;

function isCjk(c: number): boolean {
  return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

function isDropped(c: number): boolean {
  return (
    c < 0x20 || // controls (the line break is handled before)
    c === 0x20 ||
    (c >= 0x7f && c <= 0xa0) ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200f) || // spaces, zero-width characters, direction marks
    (c >= 0x2028 && c <= 0x202f) ||
    (c >= 0x205f && c <= 0x2064) ||
    c === 0x3000 ||
    c === 0xfeff ||
    c === 0xfffe ||
    c === 0xffff
  );
}

/** Key of a non-CJK character: width folded, lower case, one bracket pair, one dash. */
function foldNonCjk(c: number): number {
  if (c === SEPARATOR) return SEPARATOR;
  if (isDropped(c)) return DROP;
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII
  if (c >= 0x41 && c <= 0x5a) return c + 32;
  const ch = String.fromCharCode(c);
  if (OPEN.includes(ch)) return 0x28;
  if (CLOSE.includes(ch)) return 0x29;
  if (DASHES.includes(ch) || c === 0x2d) return 0x2d;
  return c;
}

/**
 * Key of a CJK character: opencc's Traditional → Simplified of that character alone (1:1 or
 * unchanged), read from its dictionaries per character: no converter to build, no text to convert.
 */
function cjkKey(c: number): number {
  return simplifiedCharCode(c);
}

function lookup(c: number): number {
  let k = table[c];
  if (k !== UNKNOWN) return k;
  k = isCjk(c) ? cjkKey(c) : foldNonCjk(c);
  if (k === UNKNOWN) k = DROP; // U+0000
  table[c] = k;
  return k;
}

/** Look up every CJK character at once (for keyTableHash; keying itself fills the table per character). */
export function prepareKeyTable(): void {
  if (cjkDone) return;
  for (const [from, to] of [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff]]) for (let c = from; c <= to; c++) lookup(c);
  cjkDone = true;
}

/** A 32-bit fingerprint of the whole key table: an index built with different keys is rebuilt. */
export function keyTableHash(): string {
  prepareKeyTable();
  let h = 0x811c9dc5 ^ KEY_VERSION;
  for (let c = 1; c < 65536; c++) {
    h = Math.imul(h ^ lookup(c), 16777619);
  }
  return (h >>> 0).toString(36);
}

/** Key code units of `s` (dropped characters removed), and optionally where each came from in `s`. */
export interface KeyCodes {
  codes: Uint16Array;
  length: number;
  /** map[i] = offset in the source of key unit i; map[length] = source length. Only when asked. */
  map: Int32Array | null;
}

export function keyCodes(s: string, withMap = false): KeyCodes {
  return keyCodesInto(s, new Uint16Array(s.length), withMap ? new Int32Array(s.length + 1) : null);
}

/** Reusable buffers for keyCodesWithMapReusing (grown as needed). */
const scratch = { codes: new Uint16Array(0), map: new Int32Array(0) };

/**
 * keyCodes with its map, in buffers shared by every call (valid until the next call): describing a
 * page of hits keys ~20 long texts in a row, and fresh buffers for each are only garbage.
 */
export function keyCodesWithMapReusing(s: string): KeyCodes {
  if (scratch.codes.length < s.length) {
    const size = Math.max(s.length, scratch.codes.length * 2, 1024);
    scratch.codes = new Uint16Array(size);
    scratch.map = new Int32Array(size + 1);
  }
  return keyCodesInto(s, scratch.codes, scratch.map);
}

function keyCodesInto(s: string, codes: Uint16Array, map: Int32Array | null): KeyCodes {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let k = table[s.charCodeAt(i)];
    if (k === UNKNOWN) k = lookup(s.charCodeAt(i));
    if (k === DROP) continue;
    if (map) map[n] = i;
    codes[n++] = k;
  }
  if (map) map[n] = s.length;
  return { codes, length: n, map };
}

/** Code units to a string (chunked: apply() has an argument limit). */
export function codesToString(codes: Uint16Array, length = codes.length): string {
  let out = '';
  for (let i = 0; i < length; i += 8192) {
    out += String.fromCharCode.apply(null, codes.subarray(i, Math.min(length, i + 8192)) as unknown as number[]);
  }
  return out;
}

/**
 * The search key of a text: Traditional → Simplified per character (opencc), full-width → ASCII,
 * lower case, every bracket (〔[【（﹝…) as ( ), every dash as -, spaces and controls removed,
 * line breaks kept as separators. `京政發〔2016〕57號` and `京政发[2016]57号` both key to `京政发(2016)57号`.
 */
export function searchKey(s: string): string {
  const k = keyCodes(s);
  return codesToString(k.codes, k.length);
}

/** The search key with, for each key unit, its offset in `s` (for snippets and marks). */
export function searchKeyWithMap(s: string): { key: string; map: Int32Array } {
  const k = keyCodes(s, true);
  return { key: codesToString(k.codes, k.length), map: k.map! };
}

// ---------------------------------------------------------------- the fields a plan is searched in

/** The raw text of each field a plan matches in. Everything search and scan look at comes from here. */
export interface PlanFields {
  title: string;
  /** Issuers, joint issuers, signers, the 文号 as written and normalized, one a line. */
  meta: string;
  body: string;
}

export function planFields(row: Pick<PlanRow, 'title' | 'doc'>): PlanFields {
  const m = row.doc.metadata;
  const meta = [
    ...(m.issuers ?? []),
    ...(m.jointIssuers ?? []),
    ...(m.signature ?? []),
    m.docNumber?.raw ?? '',
    m.docNumber?.normalized ?? '',
  ].filter(Boolean);
  return { title: row.title ?? m.title ?? '', meta: meta.join('\n'), body: row.doc.text ?? '' };
}

/** Issuer names a filter matches against (keyed): issuers, joint issuers, signers. */
export function issuerNames(row: Pick<PlanRow, 'doc'>): string[] {
  const m = row.doc.metadata;
  return [...(m.issuers ?? []), ...(m.jointIssuers ?? []), ...(m.signature ?? [])].filter(Boolean);
}

/** The year a plan is filed under: 成文日期, else 发布日期, else 实施日期, else the 文号's year; 0 when none. */
export function planYear(row: Pick<PlanRow, 'written' | 'published' | 'doc'>): number {
  const m = row.doc.metadata;
  for (const d of [row.written, row.published, m.dates?.effective ?? null]) {
    const y = d ? Number(d.slice(0, 4)) : NaN;
    if (y >= 1000 && y <= 9999) return y;
  }
  return m.docNumber?.year ?? 0;
}

/** The date shown for a plan (成文日期, else 发布日期). */
export function planDate(row: Pick<PlanRow, 'written' | 'published'>): string | null {
  return row.written ?? row.published ?? null;
}

/** Host name of a plan's URL, lower case; '' when none or unparsable. */
export function planHost(url: string | null): string {
  if (!url) return '';
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- varints

/** A growable byte buffer of unsigned LEB128 varints. */
export class ByteSink {
  buf: Uint8Array;
  len = 0;
  constructor(capacity = 16) {
    this.buf = new Uint8Array(capacity);
  }
  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  push(v: number): void {
    if (this.len + 5 > this.buf.length) this.grow(this.len + 5);
    while (v >= 0x80) {
      this.buf[this.len++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.len++] = v;
  }
  append(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.buf.length) this.grow(this.len + bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Reads varints from a byte array; `pos` is the next byte. */
export class ByteReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }
  next(): number {
    const b = this.buf;
    let v = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = b[this.pos++];
      v += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return v;
  }
  /** Skip n varints. */
  skip(n: number): void {
    const b = this.buf;
    let p = this.pos;
    while (n > 0) {
      if (!(b[p++] & 0x80)) n--;
    }
    this.pos = p;
  }
}
