// Repairs GBK text a decoder read one byte out of phase after a byte was lost:
// ` ?。ㄒ唬┗驹瓌t` → ` （一）基本原則`. Characters that cannot be recovered are marked, never guessed.
//
// How the damage looks: a '?' (or U+FFFD) stands for an invalid sequence the broken decoder gave up
// on; after it every character is made of the trail byte of one original character and the lead
// byte of the next. An ASCII byte in the trail range (0x40–0x7E, e.g. the `t` of 則 = 84 74) or a
// second '?' puts the decoder back in phase. Repair re-encodes the run as GBK, drops its first byte
// and re-reads the pairs; a Viterbi search over "in phase" / "lost lead byte" / "pending lead byte"
// states, scored by how plausible each resulting character is in Chinese text, decides where a run
// starts and ends and whether repairing beats leaving the text alone.
import { charPlausibility, gbkDecodePair, gbkEncodeChar } from './decode';

/** Placeholder written where a character was lost (its bytes are gone, so it cannot be known). */
export const LOST_CHAR = '\ufffd';

export interface MojibakeRepair {
  /** Span of the repaired text in the output. */
  start: number;
  end: number;
  /** The garbled text it replaced, as found in the input. */
  original: string;
  /** Span of `original` in the input. */
  sourceStart: number;
  sourceEnd: number;
}

export interface LostCharacter {
  /** Span of the LOST_CHAR placeholder in the output. */
  start: number;
  end: number;
  /** Which byte survived, e.g. `lead byte 0xD2 kept, trail byte lost`. */
  detail: string;
}

export interface MojibakeResult {
  text: string;
  repaired: MojibakeRepair[];
  unrecoverable: LostCharacter[];
}

// Scores are summed per character (charPlausibility: +3 frequent … -4 damage) plus these.
const ENTER = -3; // assuming a '?' hides a lost byte
const LINE_START = -4; // assuming a line starts out of phase without any '?'
const LOST = -2; // each character given up as lost
const MARK_AFTER_RUN = 0.5; // a '?' right after an out-of-phase run is the broken decoder's own mark
const PINYIN_FRAGMENT = 4; // '?' followed by `yōu)`: the '(' of a pinyin note was eaten with the byte
const TAG_FRAGMENT = 1; // '?' followed by `/p>`: the '<' of a tag was eaten with the byte
const LONE_LETTER = -2; // a single ASCII letter glued to CJK text, typical of a resync byte
const FOLD_LETTER = -2; // reading an ASCII letter as a width-folded full-width one
const FOLD_DIGIT = -3; // digits: folded runs of them would need trail byte A3 again and again
const EURO = -4; // a € kept as is: code page 936's rendering of a lone 0x80 byte
const FOLD_PUNCT = -0.5; // reading ASCII punctuation as a width-folded full-width one
const MARGIN = 1.5; // a repair must beat the untouched text by this much
const MAX_WINDOW = 4096; // longest stretch searched at once (real runs are a line or less)

/** Characters that only show up in Chinese text through mis-decoding (PUA, box drawing, bopomofo). */
const STRONG_SUSPECT = /[\ue000-\uf8ff\u2500-\u257f\u3100-\u312f]/;
const ANCHOR = /[?\ufffd]/;

const TONED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ';
/** A pinyin note whose '(' was lost: `yōu)` (needs a tone mark, so `ok)` is not one). */
const PINYIN_TAIL = new RegExp(`[a-zü${TONED}]{1,6}\\)`, 'y');
const HAS_TONE = new RegExp(`[${TONED}]`);
/** An end tag whose '<' was lost: `/p>`. */
const TAG_TAIL = /\/[a-zA-Z][a-zA-Z0-9]{0,8}>/y;

/** Cheap test: could this text contain the damage repairMojibake handles? */
export function looksMisdecoded(s: string): boolean {
  if (STRONG_SUSPECT.test(s)) return true;
  // A '?' directly followed by a CJK character or a pinyin tail is the other signature.
  for (let i = s.indexOf('?'); i >= 0 && i < s.length - 1; i = s.indexOf('?', i + 1)) {
    const c = s.charCodeAt(i + 1);
    if (c >= 0x2e80 || (c >= 0x61 && c <= 0x7a) || c === 0x21 || c === 0x3b) return true;
  }
  return s.includes('\ufffd');
}

// States of the search.
const A = 0; // in phase: characters are what they say
const X = 1; // in phase right after a lost character: may skip a pinyin / tag fragment
const L = 2; // a lead byte was lost: the next byte is its trail
const P = 3; // holding a lead byte whose trail is the next byte

// Actions (how a state was reached), replayed to build the output.
const enum Act {
  Emit = 1, // A/X → A: character kept as is
  Enter, // A/X '?' → L
  LineStart, // start → L without a '?'
  LDbl, // L + 2-byte char → P (char's first byte was the lost character's trail)
  LFold, // L + ASCII standing for a full-width form → P
  LAscii, // L + trail-range ASCII → A (ASCII byte was the lost character's trail)
  LOther, // L → A without consuming (nothing to pair with)
  LMark, // L + '?' → L
  LPinyin, // L + pinyin tail → L
  PDbl, // P + 2-byte char → P
  PFold, // P + folded full-width → P
  PTrail, // P + trail-range ASCII / € → A
  PMark, // P + '?' → X (trail lost)
  PReenter, // P + '?' → L (trail lost and out of phase again)
  PEnd, // P → A without consuming (trail lost)
  PAscii, // P holding an ASCII byte: it was a character of its own
  XPinyin, // X + pinyin tail → X
  XTag, // X + tag tail → A
}

interface Step {
  act: Act;
  /** Input position where the action starts, and how many input characters it consumes. */
  pos: number;
  len: number;
  /** Pending byte (P actions), else 0. */
  pend: number;
}

const isAnchor = (c: number): boolean => c === 0x3f || c === 0xfffd;
const hi = (p: number): number => p >> 8;
const lo = (p: number): number => p & 0xff;

/** Two-byte GBK code of a character as the broken decoder produced it; 0 if none. */
function dblOf(c: number): number {
  return c >= 0x80 ? gbkEncodeChar(c) : 0;
}

/** Full-width form that width folding may have turned into this ASCII character (；→;). */
function foldOf(c: number): number {
  if (c === 0x20) return 0xa1a1; // ideographic space
  return c > 0x20 && c < 0x7f && c !== 0x3f ? gbkEncodeChar(c + 0xfee0) : 0;
}

/** The byte a single-byte character stands for when it can be a GBK trail byte; -1 if it cannot. */
function trailByte(c: number): number {
  if (c >= 0x40 && c <= 0x7e) return c;
  if (c === 0x20ac) return 0x80; // € is how Windows code page 936 shows a lone 0x80
  return -1;
}

function decodedScore(code: number): number {
  return code ? charPlausibility(code) : -4;
}

const isAsciiAlnum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Extra cost of reading ASCII c as its full-width form. */
const foldCost = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? FOLD_DIGIT : isAsciiAlnum(c) ? FOLD_LETTER : FOLD_PUNCT;

/** Score of keeping the character at i as it is. */
function keepScore(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) {
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!letter || i === 0 || s.charCodeAt(i - 1) < 0x2e80) return 0;
    const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    return isAsciiAlnum(next) ? 0 : LONE_LETTER;
  }
  // € in Chinese text is how code page 936 shows a stray 0x80 byte.
  if (c === 0x20ac) return EURO;
  // A toned vowel inside a pinyin note `(fā)` is ordinary in this corpus, not damage.
  if (TONED.includes(s[i]) && i > 0 && /[a-z(]/.test(s[i - 1])) return 0;
  return charPlausibility(c);
}

function tailLength(re: RegExp, s: string, i: number, tone: boolean): number {
  // Only a tail whose head was eaten: `發(f?ā)` still has its '(' and is not one.
  if (i >= 2 && /[a-z(（]/.test(s[i - 2])) return 0;
  re.lastIndex = i;
  const m = re.exec(s);
  if (!m || (tone && !HAS_TONE.test(m[0]))) return 0;
  return m[0].length;
}

// Search tables, allocated once and reused: a window is often a handful of characters.
let tables: { score: Float64Array; fromPos: Int32Array; fromState: Int8Array; act: Uint8Array } | null = null;
function buffers(): NonNullable<typeof tables> {
  const size = (MAX_WINDOW + 1) * 4;
  if (!tables)
    tables = {
      score: new Float64Array(size),
      fromPos: new Int32Array(size),
      fromState: new Int8Array(size),
      act: new Uint8Array(size),
    };
  return tables;
}

/**
 * Best reading of s from `start` (in phase there) until all readings agree again.
 * Returns the steps of the best path, where it ends, and its score against keeping the text.
 */
function searchWindow(
  s: string,
  start: number,
  lineStartEntry: boolean,
): { steps: Step[]; end: number; gain: number } {
  const maxLen = Math.min(s.length - start, MAX_WINDOW);
  const { score, fromPos, fromState, act } = buffers();
  let filled = -1; // positions 0..filled have been reset for this window
  const ensure = (j: number): void => {
    for (; filled < j; filled++) score.fill(-Infinity, (filled + 1) * 4, (filled + 2) * 4);
  };
  const idx = (j: number, st: number): number => j * 4 + st;
  const relax = (j: number, st: number, v: number, pj: number, ps: number, a: Act): void => {
    if (j > maxLen) return;
    ensure(j);
    const k = idx(j, st);
    if (v > score[k]) {
      score[k] = v;
      fromPos[k] = pj;
      fromState[k] = ps;
      act[k] = a;
    }
  };
  ensure(0);
  score[idx(0, A)] = 0;
  if (lineStartEntry) relax(0, L, LINE_START, 0, A, Act.LineStart);

  // The lead byte held in state P at j: second byte of the character before it.
  const pendAt = (j: number): number => {
    const c = s.charCodeAt(start + j - 1);
    return lo(c < 0x80 ? foldOf(c) : dblOf(c));
  };

  let j = 0;
  for (; ; j++) {
    ensure(j);
    const pos = start + j;
    const atEnd = j === maxLen;
    // Epsilon moves first: P and L may give up here and return to A.
    const sp = score[idx(j, P)];
    let pend = 0;
    if (sp > -Infinity) {
      pend = pendAt(j);
      if (pend < 0x81) relax(j, A, sp + (pend < 0x80 ? 0 : -4), j, P, Act.PAscii);
      else relax(j, A, sp + LOST, j, P, Act.PEnd);
    }
    const sl = score[idx(j, L)];
    if (sl > -Infinity) relax(j, A, sl + LOST, j, L, Act.LOther);
    if (j > 0 && sp === -Infinity && sl === -Infinity && score[idx(j, X)] === -Infinity) break; // converged
    if (atEnd) break;

    const c = s.charCodeAt(pos);
    const dbl = dblOf(c);
    const fold = foldOf(c);
    const trail = trailByte(c);
    const anchor = isAnchor(c);

    if (sp > -Infinity && pend >= 0x81) {
      if (anchor) {
        relax(j + 1, X, sp + LOST + MARK_AFTER_RUN, j, P, Act.PMark);
        relax(j + 1, L, sp + LOST + ENTER, j, P, Act.PReenter);
      }
      if (dbl) relax(j + 1, P, sp + decodedScore(gbkDecodePair(pend, hi(dbl))), j, P, Act.PDbl);
      if (trail >= 0) relax(j + 1, A, sp + decodedScore(gbkDecodePair(pend, trail)), j, P, Act.PTrail);
      if (fold) relax(j + 1, P, sp + foldCost(c) + decodedScore(gbkDecodePair(pend, hi(fold))), j, P, Act.PFold);
    }
    if (sl > -Infinity) {
      if (anchor) relax(j + 1, L, sl + LOST, j, L, Act.LMark);
      const py = c >= 0x61 ? tailLength(PINYIN_TAIL, s, pos, true) : 0;
      if (py) relax(j + py, L, sl + PINYIN_FRAGMENT, j, L, Act.LPinyin);
      if (dbl) relax(j + 1, P, sl + LOST, j, L, Act.LDbl);
      if (fold) relax(j + 1, P, sl + LOST + foldCost(c), j, L, Act.LFold);
      if (trail >= 0) relax(j + 1, A, sl + LOST, j, L, Act.LAscii);
    }
    for (const st of [X, A]) {
      const v = score[idx(j, st)];
      if (v === -Infinity) continue;
      relax(j + 1, A, v + keepScore(s, pos), j, st, Act.Emit);
      if (anchor) relax(j + 1, L, v + ENTER, j, st, Act.Enter);
      if (st === X) {
        const py = c >= 0x61 ? tailLength(PINYIN_TAIL, s, pos, true) : 0;
        if (py) relax(j + py, X, v + PINYIN_FRAGMENT, j, X, Act.XPinyin);
        const tag = c === 0x2f ? tailLength(TAG_TAIL, s, pos, false) : 0;
        if (tag) relax(j + tag, A, v + TAG_FRAGMENT, j, X, Act.XTag);
      }
    }
  }

  // Finish in A or X, whichever is better.
  const endState = score[idx(j, X)] > score[idx(j, A)] ? X : A;
  const best = score[idx(j, endState)];
  const steps: Step[] = [];
  for (let pj = j, ps = endState; !(pj === 0 && ps === A); ) {
    const k = idx(pj, ps);
    const qj = fromPos[k];
    const qs = fromState[k];
    steps.push({ act: act[k] as Act, pos: start + qj, len: pj - qj, pend: qs === P ? pendAt(qj) : 0 });
    pj = qj;
    ps = qs;
  }
  steps.reverse();
  let baseline = 0;
  for (let q = start; q < start + j; q++) baseline += keepScore(s, q);
  return { steps, end: start + j, gain: best - baseline };
}

/** First index after leading whitespace. */
function firstNonSpace(s: string): number {
  let i = 0;
  while (i < s.length && /[\s\u3000]/.test(s[i])) i++;
  return i;
}

const hex = (b: number): string => '0x' + b.toString(16).toUpperCase().padStart(2, '0');

/**
 * Repair out-of-phase GBK runs in one line of text. Offsets in the result refer to the output.
 * Text without the damage's signature is returned unchanged at the cost of a regex test.
 */
export function repairMojibake(line: string): MojibakeResult {
  const result: MojibakeResult = { text: line, repaired: [], unrecoverable: [] };
  const strong = STRONG_SUSPECT.test(line);
  if (!strong && !ANCHOR.test(line)) return result;

  const first = firstNonSpace(line);
  const state = { out: '', blank: true };
  let i = 0;
  let changed = false;
  const keep = (from: number, to: number): void => {
    if (to <= from) return;
    state.out += line.slice(from, to);
    if (state.blank && to > first) state.blank = false;
  };
  while (i < line.length) {
    // Next place a run can start: a '?' / U+FFFD, or the line start when the line has strong signs.
    let k = -1;
    for (let q = i; q < line.length; q++) {
      if (isAnchor(line.charCodeAt(q)) || (strong && q === first)) {
        k = q;
        break;
      }
    }
    if (k < 0) {
      keep(i, line.length);
      break;
    }
    keep(i, k);
    const win = searchWindow(line, k, strong && k === first && !isAnchor(line.charCodeAt(k)));
    const end = Math.max(win.end, k + 1);
    if (win.gain < MARGIN || win.steps.every((st) => st.act === Act.Emit)) {
      keep(k, end);
    } else {
      applySteps(line, win.steps, state, result);
      changed = true;
    }
    i = end;
  }
  const out = state.out;
  if (changed) result.text = out;
  return result;
}

/** Replays a search path onto `state.out`; records repairs and lost characters in `result`. */
function applySteps(
  line: string,
  steps: Step[],
  state: { out: string; blank: boolean },
  result: MojibakeResult,
): void {
  let segStartOut = -1;
  let segStartIn = -1;
  let segEndIn = -1;
  const close = (): void => {
    if (segStartOut < 0) return;
    result.repaired.push({
      start: segStartOut,
      end: state.out.length,
      original: line.slice(segStartIn, segEndIn),
      sourceStart: segStartIn,
      sourceEnd: segEndIn,
    });
    segStartOut = -1;
  };
  const lost = (trail: number | null, lead: number | null): void => {
    // A lost character at the very start of a line whose surviving byte is A1 was indentation
    // (the ideographic space A1A1 that opens GB/T 9704 paragraphs): drop it rather than mark it.
    if (trail === 0xa1 && state.blank) return;
    const detail =
      lead !== null
        ? `lead byte ${hex(lead)} kept, trail byte lost`
        : trail !== null
          ? `lead byte lost, trail byte ${hex(trail)} kept`
          : 'both bytes lost';
    result.unrecoverable.push({ start: state.out.length, end: state.out.length + 1, detail });
    emit(LOST_CHAR.charCodeAt(0));
  };
  function emit(code: number): void {
    const ch = String.fromCharCode(code || 0xfffd);
    state.out += ch;
    if (state.blank && !/\s/.test(ch)) state.blank = false;
  }

  for (const st of steps) {
    if (st.act === Act.Emit) {
      close();
      for (let q = st.pos; q < st.pos + st.len; q++) emit(line.charCodeAt(q));
      continue;
    }
    if (segStartOut < 0) {
      segStartOut = state.out.length;
      segStartIn = st.pos;
    }
    segEndIn = Math.max(segEndIn, st.pos + st.len);
    const c = line.charCodeAt(st.pos);
    switch (st.act) {
      case Act.Enter:
      case Act.LineStart:
      case Act.LPinyin:
      case Act.XPinyin:
      case Act.XTag:
        break; // consumed without output
      case Act.LDbl:
        lost(hi(dblOf(c)), null);
        break;
      case Act.LFold:
        lost(hi(foldOf(c)), null);
        break;
      case Act.LAscii:
        lost(trailByte(c), null);
        break;
      case Act.LOther:
      case Act.LMark:
        lost(null, null);
        break;
      case Act.PDbl:
        emit(gbkDecodePair(st.pend, hi(dblOf(c))));
        break;
      case Act.PFold:
        emit(gbkDecodePair(st.pend, hi(foldOf(c))));
        break;
      case Act.PTrail:
        emit(gbkDecodePair(st.pend, trailByte(c)));
        break;
      case Act.PMark:
      case Act.PReenter:
      case Act.PEnd:
        lost(null, st.pend);
        break;
      case Act.PAscii:
        emit(st.pend < 0x80 ? st.pend : 0x20ac);
        break;
    }
  }
  close();
}
