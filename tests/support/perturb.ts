// Perturbation suite for highlight re-anchoring: real seed texts edited the ways live pages change,
// each case tracking where the highlight must end up (or that it must be orphaned). Used by the
// highlight tests and by `npm run bench`.
import { Converter } from 'opencc-js/cn2t';
import { describe as describeSelection } from '../../lib/highlights/selectors';
import { anchor, matchKey, type Anchor, type AnchorOptions } from '../../lib/highlights/anchor';
import { toSimplifiedChars, traditionalShare } from '../../lib/text/script';
import { mulberry32 } from './prng';

export type PerturbKind =
  | 'insert' // text from another seed inserted outside the highlight (often right next to it)
  | 'delete' // a run deleted outside the highlight (often right next to it)
  | 'edit-inside' // one or two characters of the highlighted text changed, removed or added
  | 'reflow' // paragraphs joined and hard-wrapped, indentation added
  | 'whitespace' // spaces, blank lines and ideographic indents added or removed
  | 'punctuation' // full/half width swaps: ，vs , （vs ( “vs " 〔vs [ and 。vs .
  | 'to-simplified' // whole page switched from Traditional to Simplified (toSimplifiedChars)
  | 'to-traditional' // whole page switched from Simplified to Traditional (opencc cn → tw)
  | 'reader-copy' // the saved reader copy: blocks re-joined with blank lines and indents, chrome dropped
  | 'delete-highlight' // the sentence or paragraph holding the highlight deleted: must be orphaned
  | 'duplicate' // the highlighted sentence copied into another paragraph: must pick the original
  | 'mixed'; // two to four of the non-destructive edits above, one after another

export const PERTURB_KINDS: readonly PerturbKind[] = [
  'insert',
  'delete',
  'edit-inside',
  'reflow',
  'whitespace',
  'punctuation',
  'to-simplified',
  'to-traditional',
  'reader-copy',
  'delete-highlight',
  'duplicate',
  'mixed',
];

export interface Span {
  start: number;
  end: number;
}

export interface PerturbCase {
  kind: PerturbKind;
  /** Index of the seed text the case was made from. */
  seed: number;
  /** The text the highlight was made on. */
  original: string;
  /** The text it must be re-anchored in. */
  changed: string;
  /** The highlight in `original`. */
  highlight: Span;
  /** Where it is in `changed`, or null when its text is gone (it must be orphaned). */
  expected: Span | null;
  /** The edits applied, for failure messages. */
  edits: string[];
}

export interface SuiteFailure {
  kind: PerturbKind;
  seed: number;
  quote: string;
  expected: Span | null;
  expectedText: string | null;
  got: Anchor | null;
  gotText: string | null;
  edits: string[];
}

export interface SuiteResult {
  total: number;
  correct: number;
  /** Anchored to text other than the expected (or anchored when it should be orphaned). */
  wrong: number;
  /** Orphaned although the text is still there. */
  orphaned: number;
  /** correct / total. */
  share: number;
  byKind: Record<string, { total: number; correct: number; wrong: number; orphaned: number }>;
  byMethod: Record<string, number>;
  failures: SuiteFailure[];
  /** Wall time of all anchor() calls, ms. */
  ms: number;
}

export { mulberry32 };

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** A text and where the highlight is in it (null once it was deleted). */
interface State {
  text: string;
  span: Span | null;
  edits: string[];
}

/**
 * Replaces text[at, at+del) by `ins`, moving the span: text inserted strictly inside it becomes part
 * of it, text inserted at its edges does not; a span deleted entirely becomes null.
 */
function splice(s: State, at: number, del: number, ins: string, label: string): State {
  const text = s.text.slice(0, at) + ins + s.text.slice(at + del);
  const edits = [...s.edits, `${label}@${at}-${del}+${ins.length}`];
  if (!s.span) return { text, span: null, edits };
  const { start, end } = s.span;
  const dEnd = at + del;
  if (del > 0 && at <= start && dEnd >= end) return { text, span: null, edits };
  const mapStart = (p: number) => (p < at ? p : p >= dEnd ? p - del + ins.length : at + ins.length);
  const mapEnd = (p: number) => (p <= at ? p : p >= dEnd ? p - del + ins.length : at);
  // An insertion at the start edge pushes the span along; strictly inside, it grows the span.
  const ns = mapStart(start);
  const ne = mapEnd(end);
  if (ne <= ns) return { text, span: null, edits };
  return { text, span: { start: ns, end: ne }, edits };
}

/**
 * Rewrites the text character by character: `emit(i)` gives what goes before character i and what
 * replaces it. The span keeps its characters; text emitted before an inner character joins it.
 */
function rewrite(s: State, label: string, emit: (i: number, ch: string) => [string, string]): State {
  const src = s.text;
  const out: string[] = [];
  const charStart = new Int32Array(src.length + 1);
  const charEnd = new Int32Array(src.length + 1);
  let pos = 0;
  for (let i = 0; i < src.length; i++) {
    const [before, repl] = emit(i, src[i]);
    out.push(before, repl);
    pos += before.length;
    charStart[i] = pos;
    pos += repl.length;
    charEnd[i] = pos;
  }
  charStart[src.length] = charEnd[src.length] = pos;
  const text = out.join('');
  const edits = [...s.edits, label];
  if (!s.span) return { text, span: null, edits };
  const ns = charStart[s.span.start];
  const ne = charEnd[s.span.end - 1];
  return { text, span: ne > ns ? { start: ns, end: ne } : null, edits };
}

const isSpace = (ch: string) => /[\s\u3000\u00a0]/.test(ch);
const isHan = (ch: string) => /[\u4e00-\u9fff]/.test(ch);

/**
 * A random run of real text from one of the seeds (insertions never invent text), not from `except`:
 * new text on a page is other text, and a copy of the page's own passage would be a 'duplicate'.
 */
function seedSnippet(rng: Rng, seeds: string[], min: number, max: number, except = -1): string {
  const others = seeds.length > 1 && except >= 0 ? seeds.filter((_, i) => i !== except) : seeds;
  const src = pick(rng, others);
  const len = Math.min(src.length, int(rng, min, max));
  const at = int(rng, 0, src.length - len);
  return src.slice(at, at + len);
}

/** A position outside the span: next to it with probability `nearP` (within 40 chars), else anywhere. */
function outsidePosition(rng: Rng, s: State, nearP: number): number {
  const { start, end } = s.span!;
  const n = s.text.length;
  if (rng() < nearP) {
    return rng() < 0.5 ? Math.max(0, start - int(rng, 0, 40)) : Math.min(n, end + int(rng, 0, 40));
  }
  for (;;) {
    const p = int(rng, 0, n);
    if (p <= start || p >= end) return p;
  }
}

function insertEdit(rng: Rng, s: State, seeds: string[], seedIdx: number): State {
  return splice(s, outsidePosition(rng, s, 0.5), 0, seedSnippet(rng, seeds, 1, 200, seedIdx), 'insert');
}

function deleteEdit(rng: Rng, s: State): State {
  const { start, end } = s.span!;
  const n = s.text.length;
  const len = int(rng, 1, 300);
  const before = rng() < 0.5;
  const near = rng() < 0.5;
  if (before && start > 0) {
    const e = near ? start - Math.min(start, int(rng, 0, 30)) : int(rng, 0, start);
    const b = Math.max(0, e - len);
    return splice(s, b, e - b, '', 'delete');
  }
  if (end >= n) return s;
  const b = near ? Math.min(n, end + int(rng, 0, 30)) : int(rng, end, n);
  return splice(s, b, Math.min(len, n - b), '', 'delete');
}

/** One or two one-character edits inside a highlight of at least 10 characters (≤ 10% of it). */
function editInside(rng: Rng, s: State, seeds: string[]): State {
  const edits = s.span!.end - s.span!.start >= 20 ? 2 : 1;
  for (let k = 0; k < edits && s.span && s.span.end - s.span.start >= 10; k++) {
    const { start, end } = s.span;
    const at = int(rng, start + 1, end - 2);
    const r = rng();
    // Replacement characters come from the seeds: a real Han character, never invented text.
    let ch = '';
    while (!isHan(ch)) ch = seedSnippet(rng, seeds, 1, 1);
    if (r < 0.4) s = splice(s, at, 1, ch, 'substitute');
    else if (r < 0.7) s = splice(s, at, 1, '', 'remove-char');
    else s = splice(s, at, 0, ch, 'add-char');
  }
  return s;
}

const INDENTS = ['\u3000\u3000', '  ', '\t', ''];

function reflow(rng: Rng, s: State): State {
  const width = int(rng, 20, 60);
  const joinP = rng() * 0.6;
  const indent = pick(rng, INDENTS);
  let col = 0;
  return rewrite(s, `reflow w${width}`, (_i, ch) => {
    if (ch === '\n') {
      col = 0;
      return rng() < joinP ? ['', ''] : ['', '\n' + indent];
    }
    col++;
    if (col >= width && rng() < 0.5) {
      col = 0;
      return ['\n', ch];
    }
    return ['', ch];
  });
}

function whitespace(rng: Rng, s: State): State {
  const spaceP = rng() * 0.08;
  const blank = rng() < 0.5;
  const indent = pick(rng, INDENTS);
  return rewrite(s, 'whitespace', (_i, ch) => {
    if (ch === '\n') return ['', blank ? '\n\n' + indent : '\n' + indent];
    if (isSpace(ch)) return ['', rng() < 0.5 ? '' : '\u3000'];
    return [rng() < spaceP ? (rng() < 0.5 ? ' ' : '\u3000') : '', ch];
  });
}

/** Punctuation pairs pages swap freely (either direction). */
const PUNCT: ReadonlyArray<readonly [string, string]> = [
  ['，', ','], ['：', ':'], ['；', ';'], ['（', '('], ['）', ')'], ['！', '!'], ['？', '?'],
  ['“', '"'], ['”', '"'], ['〔', '['], ['〕', ']'], ['。', '.'],
  ...Array.from({ length: 10 }, (_, d) => [String.fromCharCode(0xff10 + d), String(d)] as const),
];
const PUNCT_MAP = new Map<string, string[]>();
for (const [a, b] of PUNCT) {
  PUNCT_MAP.set(a, [...(PUNCT_MAP.get(a) ?? []), b]);
  if (b !== '"') PUNCT_MAP.set(b, [...(PUNCT_MAP.get(b) ?? []), a]);
}
PUNCT_MAP.set('"', ['“', '”']);

function punctuation(rng: Rng, s: State): State {
  const p = 0.3 + rng() * 0.7;
  return rewrite(s, 'punctuation', (_i, ch) => {
    const alts = PUNCT_MAP.get(ch);
    return ['', alts && rng() < p ? pick(rng, alts) : ch];
  });
}

let twConv: ((s: string) => string) | null = null;
const toTraditional = (s: string) => (twConv ??= Converter({ from: 'cn', to: 'tw' }))(s);

/** Whole-page script conversion, offsets tracked (piecewise if the conversion changes lengths). */
function convertScript(s: State, conv: (t: string) => string, label: string): State {
  const whole = conv(s.text);
  if (whole.length === s.text.length || !s.span) return { text: whole, span: s.span && { ...s.span }, edits: [...s.edits, label] };
  const a = conv(s.text.slice(0, s.span.start));
  const b = conv(s.text.slice(s.span.start, s.span.end));
  const c = conv(s.text.slice(s.span.end));
  return { text: a + b + c, span: { start: a.length, end: a.length + b.length }, edits: [...s.edits, label + ' (piecewise)'] };
}

/** The reader's saved copy: lines re-joined with blank lines and indents, chrome lines at either end dropped. */
function readerCopy(rng: Rng, s: State): State {
  const lines = s.text.split('\n');
  const starts: number[] = [];
  let off = 0;
  for (const l of lines) (starts.push(off), (off += l.length + 1));
  const { start, end } = s.span!;
  // Drop up to 3 leading and 2 trailing lines that do not hold the highlight.
  let lead = int(rng, 0, 3);
  while (lead > 0 && starts[lead - 1] + lines[lead - 1].length >= start) lead--;
  let tail = int(rng, 0, 2);
  while (tail > 0 && starts[lines.length - tail] < end) tail--;
  const keepFrom = lead > 0 ? starts[lead] : 0;
  const keepTo = tail > 0 ? starts[lines.length - tail] - 1 : s.text.length;
  const indent = pick(rng, ['\u3000\u3000', '  ']);
  const sep = pick(rng, ['\n\n', '\n', '\r\n\r\n']);
  return rewrite(s, `reader-copy -${lead}/-${tail}`, (i, ch) => {
    if (i < keepFrom || i >= keepTo) return ['', ''];
    const lineStart = i === keepFrom || s.text[i - 1] === '\n';
    if (ch === '\n') return ['', sep];
    return [lineStart ? indent : '', ch];
  });
}

const SENTENCE_END = /[。！？；!?;\n]/;

/** The sentence (or with `paragraph`, the line) holding the span, end-exclusive, terminator included. */
function enclosing(text: string, span: Span, paragraph: boolean): Span {
  let a = span.start;
  while (a > 0 && !(paragraph ? text[a - 1] === '\n' : SENTENCE_END.test(text[a - 1]))) a--;
  let b = Math.max(span.end, a + 1);
  while (b < text.length && !(paragraph ? text[b - 1] === '\n' : SENTENCE_END.test(text[b - 1]))) b++;
  if (paragraph && b < text.length) b--; // keep the line break: the paragraph goes, the break between its neighbours stays
  return { start: a, end: Math.max(b, span.end) };
}

/**
 * The highlighted passage as a matching key: the quote with PASSAGE_CONTEXT characters of context on
 * each side. Where a page holds the same passage twice (seed 001's news lead repeats the opening
 * paragraph, seed 003 its title), only the old offsets can tell the copies apart; an edit to one copy,
 * or deleting one, has no single right answer, so such highlights are not used (see makeCase).
 */
const PASSAGE_CONTEXT = 8;
function passageKey(original: string, span: Span): string {
  const sel = describeSelection(original, span.start, span.end);
  return matchKey(sel.prefix).slice(-PASSAGE_CONTEXT) + matchKey(sel.quote) + matchKey(sel.suffix).slice(0, PASSAGE_CONTEXT);
}

function occurrences(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0 && n < 3; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}

function deleteHighlight(rng: Rng, s: State): State | null {
  const r = enclosing(s.text, s.span!, rng() < 0.35);
  const out = splice(s, r.start, r.end - r.start, '', 'delete-highlight');
  return out.span ? null : out;
}

function duplicate(rng: Rng, s: State): State | null {
  const r = enclosing(s.text, s.span!, false);
  const copy = s.text.slice(r.start, r.end);
  const len = copy.length;
  const minDist = Math.max(500, 3 * len);
  const spots: number[] = [];
  for (let i = 0; i <= s.text.length; i++) {
    if (i !== 0 && s.text[i - 1] !== '\n') continue;
    if (Math.abs(i - r.start) >= minDist && (i <= r.start || i >= r.end)) spots.push(i);
  }
  if (spots.length === 0) return null;
  const at = pick(rng, spots);
  return splice(s, at, 0, copy.replace(/\n+$/, '') + '\n', 'duplicate');
}

/** A random highlight: starts on a non-space character, 5–60 characters, no trailing space. */
function chooseHighlight(rng: Rng, text: string): Span | null {
  for (let tries = 0; tries < 100; tries++) {
    const start = int(rng, 0, Math.max(0, text.length - 6));
    if (isSpace(text[start])) continue;
    let end = Math.min(text.length, start + int(rng, 5, 60));
    while (end > start && isSpace(text[end - 1])) end--;
    if (end - start >= 5) return { start, end };
  }
  return null;
}

function mixed(rng: Rng, s: State, seeds: string[], seedIdx: number): State {
  const steps = int(rng, 2, 4);
  for (let k = 0; k < steps && s.span; k++) {
    const op = pick(rng, ['insert', 'delete', 'whitespace', 'punctuation', 'reflow', 'script', 'edit-inside'] as const);
    if (op === 'insert') s = insertEdit(rng, s, seeds, seedIdx);
    else if (op === 'delete') s = deleteEdit(rng, s);
    else if (op === 'whitespace') s = whitespace(rng, s);
    else if (op === 'punctuation') s = punctuation(rng, s);
    else if (op === 'reflow') s = reflow(rng, s);
    else if (op === 'script') s = convertScript(s, toSimplifiedChars, 'to-simplified');
    else if (s.span.end - s.span.start >= 10) s = editInside(rng, s, seeds);
  }
  return s;
}

/** One case of the given kind on one seed, or null when this highlight does not suit the kind. */
function makeCase(rng: Rng, kind: PerturbKind, seedIdx: number, seeds: string[]): PerturbCase | null {
  let original = seeds[seedIdx];
  const traditional = traditionalShare(original) > 0.2;
  // Script switches need a page in the other script first: make the Traditional (or Simplified) page.
  if (kind === 'to-simplified' && !traditional) original = toTraditional(original);
  if (kind === 'to-traditional' && traditional) original = toSimplifiedChars(original);
  const highlight = chooseHighlight(rng, original);
  if (!highlight) return null;
  if (kind === 'edit-inside' && highlight.end - highlight.start < 10) return null;
  const s0: State = { text: original, span: { ...highlight }, edits: [] };
  let s: State | null;
  switch (kind) {
    case 'insert': s = insertEdit(rng, s0, seeds, seedIdx); break;
    case 'delete': s = deleteEdit(rng, s0); break;
    case 'edit-inside': s = editInside(rng, s0, seeds); break;
    case 'reflow': s = reflow(rng, s0); break;
    case 'whitespace': s = whitespace(rng, s0); break;
    case 'punctuation': s = punctuation(rng, s0); break;
    case 'to-simplified': s = convertScript(s0, toSimplifiedChars, 'to-simplified'); break;
    case 'to-traditional': s = convertScript(s0, toTraditional, 'to-traditional'); break;
    case 'reader-copy': s = readerCopy(rng, s0); break;
    case 'delete-highlight': s = deleteHighlight(rng, s0); break;
    case 'duplicate': s = duplicate(rng, s0); break;
    case 'mixed': s = mixed(rng, s0, seeds, seedIdx); break;
  }
  if (!s || (s.text === original && kind !== 'to-simplified' && kind !== 'to-traditional')) return null;
  if (kind !== 'delete-highlight' && !s.span) return null; // only that kind is meant to orphan
  // The passage must be unique on the page before the edit; after it, gone when deleted, and not
  // copied by the edit itself (an insertion taken from the same seed) except in 'duplicate'.
  const passage = passageKey(original, highlight);
  if (occurrences(matchKey(original), passage) !== 1) return null;
  const after = occurrences(matchKey(s.text), passage);
  if (kind === 'delete-highlight' ? after !== 0 : kind !== 'duplicate' && after > 1) return null;
  return { kind, seed: seedIdx, original, changed: s.text, highlight, expected: s.span, edits: s.edits };
}

/**
 * `n` cases from the seed texts (ExtractedDoc.text of real pages), every kind on every seed in turn,
 * reproducible from `rngSeed`.
 */
export function perturbationSuite(seedTexts: string[], n: number, rngSeed: number): PerturbCase[] {
  const rng = mulberry32(rngSeed);
  const cases: PerturbCase[] = [];
  for (let i = 0; cases.length < n; i++) {
    const kind = PERTURB_KINDS[cases.length % PERTURB_KINDS.length];
    const seedIdx = i % seedTexts.length;
    const c = makeCase(rng, kind, seedIdx, seedTexts);
    if (c) cases.push(c);
    if (i > n * 50) throw new Error(`perturbationSuite: could not make ${kind} cases`);
  }
  return cases;
}

/** A span without the whitespace at its edges (anchors never start or end on whitespace). */
function trimSpan(text: string, sp: Span): Span {
  let { start, end } = sp;
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  return { start, end };
}

/**
 * Anchors every case (selector from the original, found in the changed text) and counts the
 * outcomes. Correct: both edges within 1 char of the expected span (2 for quotes of 10+ chars, where
 * an edit at the quote's edge makes either edge a fair answer), or orphaned when expected null.
 */
export function runSuite(cases: PerturbCase[], opts: AnchorOptions = {}): SuiteResult {
  const res: SuiteResult = { total: 0, correct: 0, wrong: 0, orphaned: 0, share: 0, byKind: {}, byMethod: {}, failures: [], ms: 0 };
  for (const c of cases) {
    const sel = describeSelection(c.original, c.highlight.start, c.highlight.end);
    const t0 = performance.now();
    const got = anchor(c.changed, sel, opts);
    res.ms += performance.now() - t0;
    const k = (res.byKind[c.kind] ??= { total: 0, correct: 0, wrong: 0, orphaned: 0 });
    res.total++;
    k.total++;
    if (got) res.byMethod[got.method] = (res.byMethod[got.method] ?? 0) + 1;
    let outcome: 'correct' | 'wrong' | 'orphaned';
    if (!c.expected) outcome = got ? 'wrong' : 'correct';
    else if (!got) outcome = 'orphaned';
    else {
      const e = trimSpan(c.changed, c.expected);
      const g = trimSpan(c.changed, got);
      const tol = matchKey(sel.quote).length < 10 ? 1 : 2;
      outcome = Math.abs(e.start - g.start) <= tol && Math.abs(e.end - g.end) <= tol ? 'correct' : 'wrong';
    }
    res[outcome]++;
    k[outcome]++;
    if (outcome !== 'correct') {
      res.failures.push({
        kind: c.kind,
        seed: c.seed,
        quote: sel.quote,
        expected: c.expected,
        expectedText: c.expected && c.changed.slice(c.expected.start, c.expected.end),
        got,
        gotText: got && c.changed.slice(got.start, got.end),
        edits: c.edits,
      });
    }
  }
  res.share = res.total ? res.correct / res.total : 0;
  return res;
}
