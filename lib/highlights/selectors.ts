// Highlight selectors: what is stored about a selection in ExtractedDoc.text so it can be found again.
//
// A text-quote selector (the quote with a little context on each side) plus a text-position selector
// (the offsets when it was made), the same pair web annotation tools store (W3C Web Annotation).

/** How a highlight is remembered. Offsets are UTF-16 offsets in the ExtractedDoc.text it was made on. */
export interface Selector {
  /** The highlighted text exactly as it was, text[start, end). */
  quote: string;
  /** Up to CONTEXT_LENGTH characters just before the quote (shorter at the start of the text). */
  prefix: string;
  /** Up to CONTEXT_LENGTH characters just after the quote (shorter at the end of the text). */
  suffix: string;
  start: number;
  end: number;
}

export interface DescribeOptions {
  /** Characters of context kept on each side. Default CONTEXT_LENGTH. */
  contextLength?: number;
}

/** Context kept on each side: enough to tell repeated phrases apart, small enough to store per highlight. */
export const CONTEXT_LENGTH = 32;

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Moves an offset off the middle of a surrogate pair (towards `dir`), so no half character is stored. */
function snap(text: string, i: number, dir: -1 | 1): number {
  if (i > 0 && i < text.length && isLowSurrogate(text.charCodeAt(i)) && isHighSurrogate(text.charCodeAt(i - 1))) {
    return dir < 0 ? i - 1 : i + 1;
  }
  return i;
}

/**
 * The selector for text[start, end). Offsets are clamped to the text and put in order; a boundary
 * inside a surrogate pair is widened to include the whole character.
 */
export function describe(text: string, start: number, end: number, opts: DescribeOptions = {}): Selector {
  const n = text.length;
  const clamp = (x: number) => (Number.isFinite(x) ? Math.min(n, Math.max(0, Math.trunc(x))) : 0);
  let s = clamp(Math.min(start, end));
  let e = clamp(Math.max(start, end));
  s = snap(text, s, -1);
  e = snap(text, e, 1);
  const ctx = Math.max(0, Math.trunc(opts.contextLength ?? CONTEXT_LENGTH));
  // Context edges also avoid half characters, shrinking rather than growing past the limit.
  const ps = snap(text, Math.max(0, s - ctx), 1);
  const se = snap(text, Math.min(n, e + ctx), -1);
  return {
    quote: text.slice(s, e),
    prefix: text.slice(ps, s),
    suffix: text.slice(e, se),
    start: s,
    end: e,
  };
}
