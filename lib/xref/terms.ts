// Matching terms for related clauses: passages, script-independent keys, winnowed 3-gram fingerprints, similarity.
import { textKey } from '../text/key';

/*
 * Text is compared as passages (sentences, long ones cut at commas). Each passage has a key: textKey
 * (Traditional/Taiwan phrasing → mainland Simplified, widths folded) with everything but letters,
 * digits and % removed, kept as fragments (the pieces between commas) so a match can be mapped back
 * to the original words. Terms are character 3-grams of the key; a passage's fingerprints are the
 * 3-grams chosen by winnowing (the smallest hash in every window of WINDOW consecutive 3-grams).
 * Winnowing is deterministic and local, so two texts sharing a run of at least
 * WINDOW + GRAM - 1 key characters always share a fingerprint, whatever else surrounds the run
 * and whatever the rest of the library holds (a "rarest terms" signature gives no such promise).
 */

/** Characters per term. */
export const GRAM = 3;
/** Winnowing window, in 3-grams: shared runs of WINDOW + GRAM - 1 = 10 key characters are always found. */
export const WINDOW = 8;
/** Passages whose key is shorter than this are not matched (labels, 指导思想-style headings). */
export const MIN_KEY = 8;
/** Longest passage, in original characters, before it is cut at fragment boundaries. */
export const MAX_PASSAGE = 160;
/** Common runs shorter than this do not count as shared wording. */
export const MIN_RUN = 4;

/** A passage in matching form. */
export interface KeyedPassage {
  /** Key: letters (Han included), digits and % only, mainland Simplified, lower case. */
  key: string;
  /** Offset in `key` where each fragment starts (first is 0); fragment i ends where i + 1 starts. */
  fragStarts: number[];
}

/** A passage of a text: where it is, its fragments, and its key. */
export interface TextPassage extends KeyedPassage {
  /** Offsets in the source text. */
  start: number;
  end: number;
  /** Offsets in the source text of each fragment (same count as fragStarts). */
  frags: Array<[number, number]>;
}

const SENTENCE_END = /[。！？；!?;\n]/;
// 、 separates items of a list, not pieces of a sentence: it does not end a fragment.
const FRAGMENT_END = /[，,：:]/;
const NON_KEY = /[^\p{L}\p{N}%]+/gu;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\u3000' || c === '\u00a0' || c === '\n';
}

/** Fragment spans of text[start, end): cut after each comma-like mark. */
function fragmentSpans(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = start;
  for (let i = start; i < end; i++) {
    if (FRAGMENT_END.test(text[i])) {
      out.push([from, i + 1]);
      from = i + 1;
    }
  }
  if (from < end || !out.length) out.push([from, end]);
  return out;
}

/**
 * Passage spans of a text with their fragments: cut after each sentence end (。！？；and line breaks),
 * long sentences cut again at fragment boundaries. Deterministic, so stored keys line up with the text.
 */
export function passageSpans(text: string): Array<{ start: number; end: number; frags: Array<[number, number]> }> {
  const out: Array<{ start: number; end: number; frags: Array<[number, number]> }> = [];
  const push = (s: number, e: number) => {
    while (s < e && isSpace(text[s])) s++;
    while (e > s && isSpace(text[e - 1])) e--;
    if (e <= s) return;
    const frags = fragmentSpans(text, s, e);
    // Cut an overlong sentence into chunks of whole fragments (a single overlong fragment is cut hard).
    let chunk: Array<[number, number]> = [];
    const flush = () => {
      if (chunk.length) out.push({ start: chunk[0][0], end: chunk[chunk.length - 1][1], frags: chunk });
      chunk = [];
    };
    for (const f of frags) {
      for (let a = f[0]; a < f[1]; a += MAX_PASSAGE) {
        const piece: [number, number] = [a, Math.min(f[1], a + MAX_PASSAGE)];
        if (chunk.length && piece[1] - chunk[0][0] > MAX_PASSAGE) flush();
        chunk.push(piece);
      }
    }
    flush();
  };
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (SENTENCE_END.test(text[i])) {
      push(from, i + 1);
      from = i + 1;
    }
  }
  push(from, text.length);
  return out;
}

/** Key of a fragment: textKey with everything but letters, digits and % removed. */
export function fragmentKey(s: string): string {
  return textKey(s).toLowerCase().replace(NON_KEY, '');
}

/** Keys of a passage's fragments; one textKey call for the passage when its marks survive keying. */
function fragmentKeys(text: string, frags: Array<[number, number]>): string[] {
  if (frags.length > 1) {
    const whole = textKey(text.slice(frags[0][0], frags[frags.length - 1][1]));
    const parts = whole.split(/(?<=[，,：:])/);
    if (parts.length === frags.length) return parts.map((p) => p.toLowerCase().replace(NON_KEY, ''));
  }
  return frags.map(([s, e]) => fragmentKey(text.slice(s, e)));
}

function keyed(keys: string[]): KeyedPassage {
  const fragStarts: number[] = [];
  let at = 0;
  for (const k of keys) {
    fragStarts.push(at);
    at += k.length;
  }
  return { key: keys.join(''), fragStarts };
}

/** Every passage of a text in matching form (short ones included: callers filter on MIN_KEY). */
export function textPassages(text: string): TextPassage[] {
  return passageSpans(text).map(({ start, end, frags }) => ({ start, end, frags, ...keyed(fragmentKeys(text, frags)) }));
}

/** Stored form of a text's passage keys: passages joined by '\n', fragments by '|' (keys hold neither). */
export function encodePassages(passages: KeyedPassage[]): string {
  return passages
    .map((p) => p.fragStarts.map((s, i) => p.key.slice(s, p.fragStarts[i + 1] ?? p.key.length)).join('|'))
    .join('\n');
}

/** Inverse of encodePassages. */
export function decodePassages(stored: string): KeyedPassage[] {
  if (!stored) return [];
  return stored.split('\n').map((p) => keyed(p.split('|')));
}

/** 32-bit FNV-1a of one term. */
function hashTerm(s: string, at: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + GRAM; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Winnowed fingerprints of a key, distinct, in first-seen order: in each window of WINDOW 3-grams
 * the one with the smallest hash (the rightmost on ties). A key shorter than a window gives its minimum.
 */
export function fingerprints(key: string): string[] {
  const n = key.length - GRAM + 1;
  if (n <= 0) return [];
  const hashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) hashes[i] = hashTerm(key, i);
  const out = new Set<string>();
  const w = Math.min(WINDOW, n);
  let last = -1;
  for (let start = 0; start + w <= n; start++) {
    // Reuse the previous minimum while it is still in the window and the new 3-gram is not smaller.
    const endAt = start + w - 1;
    if (last >= start && hashes[endAt] > hashes[last]) continue;
    if (last >= start) {
      last = endAt; // the new 3-gram is as small or smaller: rightmost minimum
    } else {
      last = start;
      for (let i = start + 1; i <= endAt; i++) if (hashes[i] <= hashes[last]) last = i;
    }
    out.add(key.slice(last, last + GRAM));
  }
  return [...out];
}

/** A common run of two keys. */
interface Run {
  a: number;
  b: number;
  len: number;
}

/** Maximal common runs of at least MIN_RUN characters, seeded by shared 3-grams. */
function commonRuns(a: string, index: Map<string, number[]>, b: string): Run[] {
  const runs: Run[] = [];
  for (let j = 0; j + GRAM <= b.length; j++) {
    const at = index.get(b.slice(j, j + GRAM));
    if (!at) continue;
    for (const i of at) {
      // Only runs that cannot be extended backwards: each maximal run is reported once.
      if (i > 0 && j > 0 && a[i - 1] === b[j - 1]) continue;
      let len = GRAM;
      while (i + len < a.length && j + len < b.length && a[i + len] === b[j + len]) len++;
      if (len >= MIN_RUN) runs.push({ a: i, b: j, len });
    }
  }
  return runs;
}

/** 3-gram positions of a key, for commonRuns. */
export function gramIndex(key: string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (let i = 0; i + GRAM <= key.length; i++) {
    const g = key.slice(i, i + GRAM);
    const list = m.get(g);
    if (list) list.push(i);
    else m.set(g, [i]);
  }
  return m;
}

/** How two passages match. */
export interface PassageMatch {
  /** 0..1: 1 for the same wording; a whole shared phrase of 12+ characters scores about 0.85. */
  score: number;
  /** Key characters in common runs (non-overlapping). */
  matched: number;
  /** The longest common run, as key offsets in the second passage (`run`) and in the first (`runA`). */
  run: [number, number];
  runA: [number, number];
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Length in key characters of the fragments of p that [s, e) touches. */
function fragmentCover(p: KeyedPassage, s: number, e: number): number {
  let from = 0;
  let to = p.key.length;
  for (let i = 0; i < p.fragStarts.length; i++) {
    const fs = p.fragStarts[i];
    const fe = p.fragStarts[i + 1] ?? p.key.length;
    if (fe <= s) from = fe;
    if (fs >= e) {
      to = fs;
      break;
    }
  }
  return Math.max(e - s, to - from);
}

/**
 * Similarity of two passages on their keys, the larger of:
 * - wording in common: Dice of the characters in shared runs, moving towards containment (the shorter
 *   one inside the longer) as the shorter passage gets long enough to mean something on its own;
 * - one shared phrase: the longest run over the fragments it lies in (so a whole clause-piece such as
 *   公共数据开放单位超过90% counts fully), discounted below 12 characters, times 0.9.
 * `aIndex` is gramIndex(a.key), passed in so one query passage is indexed once.
 */
export function similarity(a: KeyedPassage, b: KeyedPassage, aIndex: Map<string, number[]> = gramIndex(a.key)): PassageMatch | null {
  const runs = commonRuns(a.key, aIndex, b.key);
  if (!runs.length) return null;
  runs.sort((x, y) => y.len - x.len || x.a - y.a);
  // Greedy non-overlapping choice, longest first (few runs per pair: quadratic is fine).
  const chosen: Run[] = [];
  let matched = 0;
  for (const r of runs) {
    let len = r.len;
    for (const c of chosen) {
      // Trim overlap at the tail, else skip: a rough cut is enough for a score.
      if (r.a < c.a + c.len && c.a < r.a + len) len = Math.min(len, Math.max(0, c.a - r.a));
      if (r.b < c.b + c.len && c.b < r.b + len) len = Math.min(len, Math.max(0, c.b - r.b));
    }
    if (len >= MIN_RUN) {
      chosen.push({ a: r.a, b: r.b, len });
      matched += len;
    }
  }
  const la = a.key.length;
  const lb = b.key.length;
  const shorter = Math.min(la, lb);
  const dice = (2 * matched) / (la + lb);
  const containment = matched / shorter;
  // Few shared characters say little however short the passages: scale down below 10.
  const wording = (dice + (containment - dice) * clamp01((shorter - 8) / 16)) * clamp01(matched / 10);
  const best = runs[0];
  const phrase =
    clamp01((best.len - 5) / 7) * (best.len / fragmentCover(a, best.a, best.a + best.len) + best.len / fragmentCover(b, best.b, best.b + best.len)) / 2;
  const score = Math.round(Math.max(wording, 0.9 * phrase) * 1000) / 1000;
  return { score: Math.min(1, score), matched, run: [best.b, best.b + best.len], runA: [best.a, best.a + best.len] };
}

/**
 * The words of a passage around a key run, as written in the source text: the fragments the run
 * touches, widened with neighbouring fragments up to about `max` characters; … marks a cut.
 */
export function excerpt(text: string, passage: { start: number; end: number; frags: Array<[number, number]> }, keyed: KeyedPassage, run: [number, number], max = 90): string {
  const frags = passage.frags;
  const whole = text.slice(passage.start, passage.end).trim();
  if (whole.length <= max || frags.length !== keyed.fragStarts.length) {
    return whole.length <= max ? whole : whole.slice(0, max) + '…';
  }
  const fragEnd = (i: number) => keyed.fragStarts[i + 1] ?? keyed.key.length;
  let lo = 0;
  while (lo < frags.length - 1 && fragEnd(lo) <= run[0]) lo++;
  let hi = lo;
  while (hi < frags.length - 1 && keyed.fragStarts[hi + 1] < run[1]) hi++;
  const width = () => frags[hi][1] - frags[lo][0];
  while (width() < max) {
    const left = lo > 0 ? frags[lo][0] - frags[lo - 1][0] : Infinity;
    const right = hi < frags.length - 1 ? frags[hi + 1][1] - frags[hi][1] : Infinity;
    if (left === Infinity && right === Infinity) break;
    if (right <= left) {
      if (width() + right > max) break;
      hi++;
    } else {
      if (width() + left > max) break;
      lo--;
    }
  }
  let s = text.slice(frags[lo][0], frags[hi][1]).trim();
  if (s.length > max * 2) s = s.slice(0, max * 2);
  return (lo > 0 ? '…' : '') + s + (hi < frags.length - 1 ? '…' : '');
}
