// Re-anchoring a highlight selector in a (possibly changed) document text: exact, position, fuzzy.
//
// Text is compared on a matching key that keeps a map back to the text's offsets: charKey (Traditional
// → Simplified, full → half width, one char for one char), a few more punctuation foldings, ASCII
// lower-case, and whitespace removed. So a highlight survives a script switch, ，/, swaps, reflowed
// lines and changed indentation. A wrong anchor is worse than none: every candidate must agree with
// the stored context, and when two places fit equally well the highlight is left orphaned (null).
import { charKey } from '../text/key';
import { editDistance, searchApprox } from './fuzzy';
import { CONTEXT_LENGTH, type Selector } from './selectors';

export type AnchorMethod = 'exact' | 'position' | 'fuzzy';

/** Where a selector was found: offsets in the text given to anchor(). */
export interface Anchor {
  start: number;
  end: number;
  /** Match quality in [0, 1]: quote similarity and context similarity, weighted. */
  score: number;
  /** exact: the quote's key occurs unchanged; position: an edited quote at its old offsets; fuzzy: elsewhere. */
  method: AnchorMethod;
}

export interface AnchorOptions {
  /** Largest share of the quote that may be edited (edit distance / quote length). Default 0.25. */
  maxErrorRate?: number;
  /** Smallest context (prefix/suffix) similarity accepted for an unchanged quote. Default 0.5. */
  minContext?: number;
  /**
   * Smallest context similarity for an edited quote (position, fuzzy): with the quote itself in doubt,
   * one surviving side of context is not enough. Default 0.6.
   */
  minContextEdited?: number;
}

/** A text with its matching key: key[i] stands for text[map[i]]. */
export interface PreparedText {
  text: string;
  key: string;
  map: Int32Array;
}

const DEFAULTS: Required<AnchorOptions> = { maxErrorRate: 0.25, minContext: 0.5, minContextEdited: 0.6 };
/** Weights of quote and context similarity in the score. */
const QUOTE_WEIGHT = 0.55;
const CONTEXT_WEIGHT = 0.45;
/** Candidates this close in score are ties, decided by distance from the old position only. */
const TIE = 0.05;
/** A candidate this good ends the search early (later stages cannot do meaningfully better). */
const STRONG_CONTEXT = 0.8;
/** A quote of at least this many key characters found unchanged and only once is itself evidence. */
const LONG_QUOTE = 24;
/** Exact occurrences scored at most (the nearest to the old position); a 1-char quote can occur thousands of times. */
const MAX_EXACT = 4000;
/**
 * A side of context cut short by the start or end of the text counts the edge as this many
 * characters of context (a sentinel that only the same edge matches): a highlight at the very end
 * has no suffix, but a candidate that is also at the end agrees with it.
 */
const EDGE = 8;
const SENTINEL = '\uffff';

/** Extra one-for-one foldings after charKey: quote marks, brackets, dashes, stops that pages swap freely. */
const FOLD: Record<string, string> = {
  '“': '"', '”': '"', '„': '"', '‟': '"', '〝': '"', '〞': '"', '「': '"', '」': '"', '『': '"', '』': '"',
  '‘': "'", '’': "'", '‚': "'", '‛': "'",
  '〔': '[', '〕': ']', '【': '[', '】': ']', '〖': '[', '〗': ']',
  '—': '-', '–': '-', '―': '-', '‒': '-', '−': '-',
  '。': '.', '｡': '.', '､': '、', '･': '·', '・': '·', '•': '·',
};

/** Whitespace dropped from keys: line breaks, spaces, ideographic space (charKey made it ' '), zero-width. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0x200b || c === 0xfeff || c === 0x2028 || c === 0x2029 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 0xa0 || c === 0x1680 || c === 0x202f || c === 0x205f;
}

/** The matching key of a text with, for each key character, its offset in the text. */
export function prepareText(text: string): PreparedText {
  const folded = charKey(text);
  const map = new Int32Array(folded.length);
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (isSpace(c)) continue;
    let ch = folded[i];
    if (c >= 0x41 && c <= 0x5a) ch = String.fromCharCode(c + 32);
    else ch = FOLD[ch] ?? ch;
    parts.push(ch);
    map[n++] = i;
  }
  return { text, key: parts.join(''), map: map.slice(0, n) };
}

/** Just the key, for comparing short strings (quote, prefix, suffix). */
export function matchKey(s: string): string {
  return prepareText(s).key;
}

/** First key index whose text offset is ≥ offset (key.length when none). */
function keyIndexAt(map: Int32Array, offset: number): number {
  let lo = 0;
  let hi = map.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Target {
  quote: string;
  /** Context keys, with EDGE sentinels on the outside when the side reached the text's edge. */
  prefix: string;
  suffix: string;
  /** Key index of the old start in the new text. */
  hint: number;
}

interface Candidate {
  ks: number;
  ke: number;
  errors: number;
  quoteSim: number;
  /** Context similarity, null when the selector has no context (the quote was the whole text). */
  context: number | null;
  score: number;
  dist: number;
  method: AnchorMethod;
}

/** 1 − edit distance / length of the stored side, against the same length of key next to the candidate. */
function sideSimilarity(stored: string, actual: string): number {
  if (!stored) return 1;
  return 1 - Math.min(stored.length, editDistance(stored, actual, stored.length)) / stored.length;
}

function evaluate(key: string, t: Target, ks: number, ke: number, errors: number, method: AnchorMethod): Candidate {
  const m = t.quote.length;
  const quoteSim = 1 - errors / Math.max(m, ke - ks);
  const lp = t.prefix.length;
  const ls = t.suffix.length;
  let context: number | null = null;
  if (lp + ls > 0) {
    // Past the edges of the text the window reads sentinels, so only an edge matches an edge.
    const left = SENTINEL.repeat(Math.max(0, lp - ks)) + key.slice(Math.max(0, ks - lp), ks);
    const right = key.slice(ke, ke + ls) + SENTINEL.repeat(Math.max(0, ke + ls - key.length));
    const sp = lp ? sideSimilarity(t.prefix, left) : 0;
    const ss = ls ? sideSimilarity(t.suffix, right) : 0;
    // Each side weighs by how much of it was stored (a highlight at the very start has no prefix).
    context = (sp * lp + ss * ls) / (lp + ls);
  }
  const score = QUOTE_WEIGHT * quoteSim + CONTEXT_WEIGHT * (context ?? quoteSim);
  return { ks, ke, errors, quoteSim, context, score, dist: Math.abs(ks - t.hint), method };
}

/** Whether a candidate fits well enough to be shown as the highlight. */
function acceptable(c: Candidate, t: Target, unique: boolean, o: Required<AnchorOptions>): boolean {
  if (c.quoteSim < 1 - o.maxErrorRate) return false;
  if (c.context === null) return c.errors === 0 && unique;
  if (c.context >= (c.errors === 0 ? o.minContext : o.minContextEdited)) return true;
  // Both sides edited (text inserted on each side): a long quote found unchanged, once, still counts.
  return c.errors === 0 && unique && t.quote.length >= LONG_QUOTE && c.context >= o.minContext / 2;
}

/**
 * The best acceptable candidate, or null. Candidates within TIE of the best are told apart by distance
 * from the old position alone; if the nearest is not clearly nearer, the highlight is ambiguous.
 */
function choose(cands: Candidate[], t: Target, o: Required<AnchorOptions>): Candidate | null {
  if (cands.length === 0) return null;
  const exactCount = cands.filter((c) => c.errors === 0).length;
  const ok = cands.filter((c) => acceptable(c, t, c.errors === 0 ? exactCount === 1 : cands.length === 1, o));
  if (ok.length === 0) return null;
  ok.sort((a, b) => b.score - a.score || a.dist - b.dist);
  const best = ok[0];
  const rivals = ok.filter((c) => c !== best && c.score >= best.score - TIE && (c.ke <= best.ks || c.ks >= best.ke));
  if (rivals.length === 0) return best;
  const pool = [best, ...rivals].sort((a, b) => a.dist - b.dist);
  const margin = Math.max(16, t.quote.length);
  return pool[0].dist + margin <= pool[1].dist ? pool[0] : null;
}

/** Strong enough that later stages cannot do meaningfully better: stop searching. */
function strong(c: Candidate | null): c is Candidate {
  return !!c && c.quoteSim >= 0.9 && (c.context ?? 0) >= STRONG_CONTEXT;
}

/** Exact occurrences of the quote's key, the nearest MAX_EXACT to the old position. */
function exactCandidates(key: string, t: Target): Candidate[] {
  const hits: number[] = [];
  for (let i = key.indexOf(t.quote); i >= 0; i = key.indexOf(t.quote, i + 1)) hits.push(i);
  if (hits.length > MAX_EXACT) hits.sort((a, b) => Math.abs(a - t.hint) - Math.abs(b - t.hint)).length = MAX_EXACT;
  return hits.map((i) => evaluate(key, t, i, i + t.quote.length, 0, 'exact'));
}

function approxCandidates(key: string, t: Target, maxErrors: number, from: number, to: number, method: AnchorMethod): Candidate[] {
  return searchApprox(key, t.quote, maxErrors, { from, to }).map((m) =>
    evaluate(key, t, m.start, m.end, m.errors, m.errors === 0 ? 'exact' : method),
  );
}

function toAnchor(doc: PreparedText, c: Candidate): Anchor {
  return { start: doc.map[c.ks], end: doc.map[c.ke - 1] + 1, score: Math.round(c.score * 1000) / 1000, method: c.method };
}

let cached: PreparedText | null = null;

/** The prepared text for a string, reusing the last one (anchoring many highlights on one page). */
function prepared(text: string | PreparedText): PreparedText {
  if (typeof text !== 'string') return text;
  if (cached && cached.text === text) return cached;
  return (cached = prepareText(text));
}

/**
 * Finds a selector in `text` (the current ExtractedDoc.text, or prepareText() of it). Returns null when
 * the highlight cannot be placed with confidence: the UI lists it as orphaned.
 */
export function anchor(text: string | PreparedText, sel: Selector, opts: AnchorOptions = {}): Anchor | null {
  const o = { ...DEFAULTS, ...opts };
  const doc = prepared(text);
  const quote = matchKey(sel.quote);
  if (!quote || !doc.key) return null;
  // describe() cuts a side short only at the text's edge; the prefix says how long a full side is.
  const prefixAtEdge = sel.start - sel.prefix.length <= 0;
  const fullSide = prefixAtEdge ? CONTEXT_LENGTH : sel.prefix.length;
  const suffixAtEdge = sel.suffix.length < fullSide - 1;
  const edge = SENTINEL.repeat(EDGE);
  const t: Target = {
    quote,
    prefix: (prefixAtEdge ? edge : '') + matchKey(sel.prefix),
    suffix: matchKey(sel.suffix) + (suffixAtEdge ? edge : ''),
    hint: keyIndexAt(doc.map, sel.start),
  };
  const m = quote.length;
  const maxErrors = Math.floor(m * o.maxErrorRate);

  // 1. The quote unchanged: pick by context, then nearness to the old position.
  const pool = exactCandidates(doc.key, t);
  let pick = choose(pool, t, o);
  if (strong(pick) || maxErrors === 0) return pick && toAnchor(doc, pick);

  // 2. The text at the old offsets, allowing edits inside the quote.
  const slack = maxErrors + 8;
  const near = approxCandidates(doc.key, t, maxErrors, Math.max(0, t.hint - slack), t.hint + m + slack, 'position');
  const seen = new Set(pool.map((c) => `${c.ks}:${c.ke}`));
  const add = (cs: Candidate[]) => {
    for (const c of cs) {
      const id = `${c.ks}:${c.ke}`;
      if (!seen.has(id)) (seen.add(id), pool.push(c));
    }
  };
  add(near);
  pick = choose(pool, t, o);
  if (strong(pick)) return toAnchor(doc, pick);

  // 3. Anywhere, allowing edits; the whole pool competes so an edited copy with the right context
  //    beats an unchanged copy with the wrong one.
  add(approxCandidates(doc.key, t, maxErrors, 0, doc.key.length, 'fuzzy'));
  pick = choose(pool, t, o);
  return pick && toAnchor(doc, pick);
}

/** Anchors many selectors on one text (the key is built once). Same order as `sels`. */
export function anchorAll(text: string | PreparedText, sels: Selector[], opts: AnchorOptions = {}): Array<Anchor | null> {
  const doc = prepared(text);
  return sels.map((s) => anchor(doc, s, opts));
}
