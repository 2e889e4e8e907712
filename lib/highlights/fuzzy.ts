// Bounded approximate substring search (Myers' bit-parallel edit distance) for re-anchoring highlights.
//
// Linear in the text for a given pattern: one pass of 32-bit words over the text (⌈m/32⌉ words per
// character), no backtracking. Patterns too long for a whole-text pass within the work budget are
// located by exact 32-char chunks first and only the windows around those hits are scanned.

/** An approximate occurrence: text[start, end) is within `errors` edits of the pattern. */
export interface ApproxMatch {
  start: number;
  end: number;
  /** Levenshtein distance between the pattern and text[start, end). */
  errors: number;
}

export interface SearchOptions {
  /** Only look in text[from, to). Defaults to the whole text. */
  from?: number;
  to?: number;
  /**
   * Work budget in word-steps (characters scanned × 32-char words of the pattern). Above it the
   * chunk-seeded strategy is used instead of a whole-text pass. Default 4e7 (~0.1 s).
   */
  budget?: number;
  /** At most this many matches are returned (the ones with the fewest errors). Default 2000. */
  maxMatches?: number;
}

const DEFAULT_BUDGET = 4e7;
const DEFAULT_MAX_MATCHES = 2000;
/** Chunk length for the long-pattern strategy: one machine word of the bit-parallel scan. */
const CHUNK = 32;
/** A chunk occurring more often than this says little about where the pattern is; it is skipped. */
const MAX_CHUNK_HITS = 64;

/** Per-pattern tables for the bit-parallel scan: for each character, its positions as bit masks. */
interface Pattern {
  length: number;
  words: number;
  /** char code → one mask per 32-row word; bit i of word w set where pattern[w*32+i] is that char. */
  peq: Map<number, Int32Array>;
  /** Mask of the last pattern row inside each word. */
  lastBit: Int32Array;
}

function compile(pattern: string): Pattern {
  const m = pattern.length;
  const words = Math.max(1, Math.ceil(m / 32));
  const peq = new Map<number, Int32Array>();
  for (let i = 0; i < m; i++) {
    const c = pattern.charCodeAt(i);
    let masks = peq.get(c);
    if (!masks) peq.set(c, (masks = new Int32Array(words)));
    masks[i >> 5] |= 1 << (i & 31);
  }
  const lastBit = new Int32Array(words).fill(1 << 31);
  lastBit[words - 1] = 1 << ((m - 1) & 31);
  return { length: m, words, peq, lastBit };
}

const ZERO = new Int32Array(64);

/**
 * Scans text[from, to) and calls `visit(j, d)` with d = the smallest edit distance between the whole
 * pattern and any substring of the text that ends at j (inclusive) in scan order (semi-global: the
 * match may start anywhere; `anchored`: it must start where the scan begins). Myers 1999 in Hyyrö's
 * multi-word formulation; `step` walks the text in either direction.
 */
function scan(
  p: Pattern,
  text: string,
  from: number,
  to: number,
  step: 1 | -1,
  visit: (j: number, d: number) => void,
  anchored = false,
): void {
  const { words, peq, lastBit } = p;
  const P = new Int32Array(words).fill(-1); // vertical +1 deltas: column 0 is 0,1,2,…,m
  const M = new Int32Array(words); // vertical −1 deltas
  const zero = words <= ZERO.length ? ZERO : new Int32Array(words);
  let score = p.length;
  const begin = step === 1 ? from : to - 1;
  const stop = step === 1 ? to : from - 1;
  for (let j = begin; j !== stop; j += step) {
    const eqs = peq.get(text.charCodeAt(j)) ?? zero;
    // Row 0 is free (the match can start anywhere): no horizontal delta enters the first word.
    // Anchored (the match must start at `begin`): row 0 grows by one per character.
    let hin = anchored ? 1 : 0;
    for (let w = 0; w < words; w++) {
      const pv = P[w];
      const mv = M[w];
      const hneg = hin < 0 ? 1 : 0;
      const eq = eqs[w] | hneg;
      const xv = eq | mv;
      const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      const last = lastBit[w];
      const hout = ph & last ? 1 : mh & last ? -1 : 0;
      ph = (ph << 1) | (hin > 0 ? 1 : 0);
      mh = (mh << 1) | hneg;
      P[w] = mh | ~(xv | ph);
      M[w] = ph & xv;
      hin = hout;
    }
    score += hin;
    visit(j, score);
  }
}

/** Reverses a string by UTF-16 code units (the scan works on code units, so pairs need no care). */
function reverse(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
}

/**
 * Among matches with equal errors, which is the better reading: the one whose first and last
 * characters are the pattern's (化公, read as 化 + inserted 公, not as 化 deleted), then the length
 * closest to the pattern's. Negative when a is better.
 */
function tieOrder(text: string, pattern: string, a: ApproxMatch, b: ApproxMatch): number {
  const m = pattern.length;
  const edges = (x: ApproxMatch) =>
    (text[x.start] === pattern[0] ? 1 : 0) + (text[x.end - 1] === pattern[m - 1] ? 1 : 0);
  return edges(b) - edges(a) || Math.abs(a.end - a.start - m) - Math.abs(b.end - b.start - m);
}

/**
 * Where the best match ending at `end` starts: scans backwards with the reversed pattern; equally
 * good starts are ordered by tieOrder. Returns null when no start is within maxErrors.
 */
function findStart(rp: Pattern, pattern: string, text: string, end: number, maxErrors: number, from: number): ApproxMatch | null {
  const m = rp.length;
  const lo = Math.max(from, end - m - maxErrors);
  let best: ApproxMatch | null = null;
  // Scanning backwards from `end` with the reversed pattern, anchored: d is exactly the distance
  // between the pattern and text[j, end).
  scan(
    rp,
    text,
    lo,
    end,
    -1,
    (j, d) => {
      if (d > maxErrors) return;
      const cur = best as ApproxMatch | null;
      const next = { start: j, end, errors: d };
      if (!cur || d < cur.errors || (d === cur.errors && tieOrder(text, pattern, next, cur) < 0)) best = next;
    },
    true,
  );
  return best;
}

/**
 * Candidate end positions: in each run of consecutive positions within maxErrors, the positions
 * with the run's lowest distance (one cluster = one occurrence).
 */
function clusterEnds(p: Pattern, text: string, from: number, to: number, maxErrors: number): Array<{ end: number; errors: number }> {
  const ends: Array<{ end: number; errors: number }> = [];
  let runBest = Infinity;
  let runEnds: number[] = [];
  const flush = () => {
    for (const e of runEnds) ends.push({ end: e, errors: runBest });
    runEnds = [];
    runBest = Infinity;
  };
  let prev = -2;
  scan(p, text, from, to, 1, (j, d) => {
    if (d > maxErrors) return;
    if (j !== prev + 1) flush();
    prev = j;
    if (d < runBest) {
      runBest = d;
      runEnds = [j + 1];
    } else if (d === runBest) runEnds.push(j + 1);
  });
  flush();
  return ends;
}

/** Full bit-parallel pass over text[from, to): every cluster's best matches with their starts. */
function scanWindow(p: Pattern, rp: Pattern, pattern: string, text: string, from: number, to: number, maxErrors: number): ApproxMatch[] {
  const out: ApproxMatch[] = [];
  for (const { end } of clusterEnds(p, text, from, to, maxErrors)) {
    const m = findStart(rp, pattern, text, end, maxErrors, from);
    if (m) out.push(m);
  }
  return out;
}

/** Keeps one match per overlap group: the fewest errors, then by tieOrder. */
function dedupe(matches: ApproxMatch[], text: string, pattern: string): ApproxMatch[] {
  const sorted = [...matches].sort((a, b) => a.errors - b.errors || tieOrder(text, pattern, a, b) || a.start - b.start);
  const kept: ApproxMatch[] = [];
  for (const x of sorted) {
    if (kept.some((k) => x.start < k.end && k.start < x.end)) continue;
    kept.push(x);
  }
  return kept;
}

/**
 * Long patterns: exact hits of 32-char chunks vote for where the pattern would start (with k errors
 * at least one of more than k chunks survives intact); the windows around the voted starts are then
 * scanned. Patterns edited in every chunk are not found (a conservative miss, never a wrong hit).
 */
function chunkSeeded(p: Pattern, rp: Pattern, pattern: string, text: string, from: number, to: number, maxErrors: number): ApproxMatch[] {
  const m = pattern.length;
  const votes = new Map<number, number>();
  const bucket = Math.max(CHUNK, maxErrors);
  for (let off = 0; off + CHUNK <= m; off += CHUNK) {
    const chunk = pattern.slice(off, off + CHUNK);
    const hits: number[] = [];
    for (let i = text.indexOf(chunk, from); i >= 0 && i + CHUNK <= to; i = text.indexOf(chunk, i + 1)) {
      hits.push(i);
      if (hits.length > MAX_CHUNK_HITS) break;
    }
    if (hits.length > MAX_CHUNK_HITS) continue;
    for (const h of hits) {
      const b = Math.floor((h - off) / bucket);
      votes.set(b, (votes.get(b) ?? 0) + 1);
    }
  }
  const buckets = [...votes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 32);
  const out: ApproxMatch[] = [];
  for (const [b] of buckets) {
    const lo = Math.max(from, b * bucket - maxErrors - bucket);
    const hi = Math.min(to, b * bucket + m + maxErrors + 2 * bucket);
    out.push(...scanWindow(p, rp, pattern, text, lo, hi, maxErrors));
  }
  return out;
}

/**
 * All approximate occurrences of `pattern` in `text` with at most `maxErrors` edits (insertions,
 * deletions, substitutions), one per non-overlapping place, fewest errors first.
 */
export function searchApprox(text: string, pattern: string, maxErrors: number, opts: SearchOptions = {}): ApproxMatch[] {
  const from = Math.max(0, opts.from ?? 0);
  const to = Math.min(text.length, opts.to ?? text.length);
  const m = pattern.length;
  if (m === 0 || to <= from) return [];
  const k = Math.max(0, Math.min(Math.floor(maxErrors), m - 1));
  const p = compile(pattern);
  const rp = compile(reverse(pattern));
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const matches =
    (to - from) * p.words <= budget || m < 2 * CHUNK
      ? scanWindow(p, rp, pattern, text, from, to, k)
      : chunkSeeded(p, rp, pattern, text, from, to, k);
  return dedupe(matches, text, pattern).slice(0, opts.maxMatches ?? DEFAULT_MAX_MATCHES);
}

/**
 * Levenshtein distance between two short strings (context windows), stopping early once it must
 * exceed `max` (then returns max + 1). O(|a|·|b|) with two rows; meant for strings of tens of chars.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (a.length < b.length) [a, b] = [b, a];
  const n = a.length;
  const m = b.length;
  if (m === 0) return Math.min(n, max + 1);
  if (n - m > max) return max + 1;
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[m];
}
