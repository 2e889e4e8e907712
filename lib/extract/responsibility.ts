// Responsibility notes that close a task: (市金融局牵头,…负责), (责任部门:…;配合部门:…), 牵头单位：… lines.
import type { Responsibility } from '../types';
import { charKey } from '../text/key';

type Role = 'lead' | 'responsible' | 'cooperating';

/** A name found in a note, with its offsets in the string being parsed. */
interface Span {
  start: number;
  end: number;
}

/** Names by role, before the implicit lead (first named) is filled in. */
interface Parsed {
  lead: Span[];
  responsible: Span[];
  cooperating: Span[];
}

/** Longest parenthesised note we look at; real notes list at most ~20 organs. */
const MAX_NOTE = 400;
/** How far back from the end a label-form note (牵头单位：…) may start. */
const TAIL_WINDOW = 600;

const OPEN = new Set(['(', '（']);
const CLOSE = new Set([')', '）']);
/** Punctuation and space that may follow a note at the end of a paragraph. */
const TRAILING = /[\s\u3000。.;；,，]/;

// Quick tests on raw text (both scripts) before paying for script conversion.
const ROLE_WORD_RAW =
  /牵头|牽頭|负责|負責|责任|責任|配合|协办|協辦|协同|協同|协助|協助|参与|參與|主办|主辦|指导|指導|主责|主責/;
const LABEL_COLON_RAW = /(?:部门|部門|单位|單位|处室|處室|机构|機構)\s*[:：]/;

// Patterns below run on charKey text: Simplified, half-width (：→: ；→; ，→, （→().
/** `牵头单位:` style role labels. */
const LABEL_SRC = '(牵头|主责|主办|责任|实施|配合|协办|协同|协助|参与)(?:部门|单位|处室|机构)\\s*:';
const LABEL_AT_START = new RegExp('^' + LABEL_SRC);
const LABEL_ROLE: Record<string, Role> = {
  牵头: 'lead',
  主责: 'lead',
  主办: 'lead',
  责任: 'responsible',
  实施: 'responsible',
  配合: 'cooperating',
  协办: 'cooperating',
  协同: 'cooperating',
  协助: 'cooperating',
  参与: 'cooperating',
};
/** Role verb closing a segment: `…牵头`, `…按职责分工负责`, `…配合`. */
const VERB_AT_END =
  /(?:按照?职责分工|按职责|分别|共同|具体|各自)?(牵头负责|牵头|主办|负责落实|负责实施|负责|指导|配合|参与|协助|协办|协同)$/;
const VERB_ROLE: Record<string, Role> = {
  牵头负责: 'lead',
  牵头: 'lead',
  主办: 'lead',
  负责落实: 'responsible',
  负责实施: 'responsible',
  负责: 'responsible',
  指导: 'responsible',
  配合: 'cooperating',
  参与: 'cooperating',
  协助: 'cooperating',
  协办: 'cooperating',
  协同: 'cooperating',
};
/** Generic tail after the named organs: 等相关部门, 等市直相关部门, 等. */
const GENERIC_TAIL = /等(?:市直|市级|省直|省级|其他|各)?(?:相关|有关|其他)?(?:部门|单位|机构|方面)?$/;
/** Characters no organ name contains; they mean we are reading a sentence, not a note. */
const NOT_IN_NAME = /[。!?！？《》“”"'‘’:的为以将在被把]/;

/**
 * Parse the responsibility note at the END of a clause's text (trailing 。 and spaces allowed).
 * `offset` is added to the returned start/end (the text's position in the document).
 */
export function parseResponsibility(text: string, offset = 0): Responsibility | null {
  if (!text) return null;
  let e = text.length;
  for (let guard = 0; e > 0 && guard < 32 && TRAILING.test(text[e - 1]); guard++) e--;
  if (e === 0) return null;

  if (CLOSE.has(text[e - 1])) {
    const open = findOpen(text, e - 1);
    if (open >= 0) {
      const r = parseBracketed(text, open, e);
      if (r) return toResponsibility(text, r, open, e, offset);
    }
  }
  const base = Math.max(0, e - TAIL_WINDOW);
  const win = text.slice(base, e);
  if (!LABEL_COLON_RAW.test(win)) return null;
  const key = charKey(win);
  const re = new RegExp(LABEL_SRC, 'g');
  for (let m = re.exec(key); m; m = re.exec(key)) {
    if (!labelBoundary(key, m.index)) continue;
    const r = parseLabelled(key, m.index, key.length);
    if (r) return toResponsibility(text, shift(r, base), base + m.index, e, offset);
  }
  return null;
}

/** Every responsibility note in a text: parenthesised ones anywhere, and 牵头单位：… lines. */
export function findResponsibilities(text: string): Responsibility[] {
  const found: Responsibility[] = [];
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Only brackets and line breaks matter here; skip everything else cheaply.
    if (code !== 0x28 && code !== 0x29 && code !== 0xff08 && code !== 0xff09 && code !== 0x0a) continue;
    const c = text[i];
    if (OPEN.has(c)) {
      if (stack.length >= 32) stack.shift(); // runaway nesting: forget the oldest
      stack.push(i);
    } else if (CLOSE.has(c) && stack.length) {
      const open = stack.pop()!;
      const r = parseBracketed(text, open, i + 1);
      if (r) found.push(toResponsibility(text, r, open, i + 1, 0));
    } else if (c === '\n') stack.length = 0; // notes never span lines
  }
  // Drop notes nested inside an accepted one: sorted by start (longest first), keep those past the last end.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const outer: Responsibility[] = [];
  for (const r of found) if (!outer.length || r.start >= outer[outer.length - 1].end) outer.push(r);

  // Label-form lines; consecutive ones (牵头单位 line, then 责任单位 line) form one note.
  const lines: { parsed: Parsed; start: number; end: number }[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const hit = labelLine(text, lineStart, lineEnd);
    if (hit && !insideAny(outer, hit.start)) {
      const prev = lines[lines.length - 1];
      if (prev && /^\s*$/.test(text.slice(prev.end, hit.start))) {
        prev.parsed = concat(prev.parsed, hit.parsed);
        prev.end = hit.end;
      } else lines.push(hit);
    }
    lineStart = lineEnd + 1;
  }
  const labelled = lines.map((l) => toResponsibility(text, l.parsed, l.start, l.end, 0));
  return [...outer, ...labelled].sort((a, b) => a.start - b.start);
}

/** Whether `at` falls inside one of the sorted, non-overlapping notes (binary search). */
function insideAny(notes: Responsibility[], at: number): boolean {
  let lo = 0;
  let hi = notes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (notes[mid].end <= at) lo = mid + 1;
    else if (notes[mid].start > at) hi = mid - 1;
    else return true;
  }
  return false;
}

/** A `牵头单位：…` note filling the rest of a line from a label at the line start or after 。/；. */
function labelLine(text: string, from: number, to: number): { parsed: Parsed; start: number; end: number } | null {
  const line = text.slice(from, to);
  if (!LABEL_COLON_RAW.test(line)) return null;
  let e = line.length;
  for (let guard = 0; e > 0 && guard < 32 && TRAILING.test(line[e - 1]); guard++) e--;
  const key = charKey(line.slice(0, e));
  const re = new RegExp(LABEL_SRC, 'g');
  for (let m = re.exec(key); m; m = re.exec(key)) {
    if (!labelBoundary(key, m.index)) continue;
    const r = parseLabelled(key, m.index, e);
    if (r) return { parsed: shift(r, from), start: from + m.index, end: from + e };
  }
  return null;
}

function concat(a: Parsed, b: Parsed): Parsed {
  return {
    lead: [...a.lead, ...b.lead],
    responsible: [...a.responsible, ...b.responsible],
    cooperating: [...a.cooperating, ...b.cooperating],
  };
}

/** Position of the bracket opening the one that closes at `close`, or -1 (bounded search). */
function findOpen(text: string, close: number): number {
  let depth = 0;
  const stop = Math.max(0, close - MAX_NOTE);
  for (let i = close; i >= stop; i--) {
    const c = text[i];
    if (c === '\n') return -1;
    if (CLOSE.has(c)) depth++;
    else if (OPEN.has(c) && --depth === 0) return i;
  }
  return -1;
}

/** Parse `(…)` spanning [open, end) of text as a note, or null. */
function parseBracketed(text: string, open: number, end: number): Parsed | null {
  const innerLen = end - open - 2;
  if (innerLen < 2 || innerLen > MAX_NOTE) return null;
  const inner = text.slice(open + 1, end - 1);
  if (!ROLE_WORD_RAW.test(inner)) return null;
  const key = charKey(inner);
  let a = 0;
  while (a < key.length && /\s/.test(key[a])) a++;
  const label = LABEL_AT_START.exec(key.slice(a));
  const r = label ? parseLabelled(key, a, key.length) : parseVerbs(key);
  return r ? shift(r, open + 1) : null;
}

/** `责任部门:A、B;配合部门:C` from `from` to `to` (label must be at `from`). */
function parseLabelled(key: string, from: number, to: number): Parsed | null {
  const re = new RegExp(LABEL_SRC, 'g');
  re.lastIndex = from;
  const labels: { at: number; end: number; role: Role }[] = [];
  for (let m = re.exec(key); m && m.index < to; m = re.exec(key)) {
    labels.push({ at: m.index, end: m.index + m[0].length, role: LABEL_ROLE[m[1]] });
  }
  if (!labels.length || labels[0].at !== from) return null;
  const out: Parsed = { lead: [], responsible: [], cooperating: [] };
  for (let i = 0; i < labels.length; i++) {
    const segEnd = i + 1 < labels.length ? labels[i + 1].at : to;
    const names = splitNames(key, labels[i].end, segEnd);
    if (!names) return null;
    out[labels[i].role].push(...names);
  }
  return nonEmpty(out);
}

/** `A牵头,B、C负责` / `A会同有关部门负责` / `A、B负责`: names closed by a role verb. */
function parseVerbs(key: string): Parsed | null {
  const out: Parsed = { lead: [], responsible: [], cooperating: [] };
  let pending: Span[] = [];
  let assigned = false;
  for (const [s, e] of topLevelSegments(key, /[;,]/)) {
    let a = s;
    let b = e;
    while (a < b && /\s/.test(key[a])) a++;
    while (b > a && /[\s。]/.test(key[b - 1])) b--;
    if (a >= b) continue;
    const seg = key.slice(a, b);
    const verb = VERB_AT_END.exec(seg);
    if (!verb) {
      const names = splitNames(key, a, b);
      if (!names) return null;
      pending.push(...names);
      continue;
    }
    const role = VERB_ROLE[verb[1]];
    const namesEnd = a + verb.index;
    const together = seg.slice(0, verb.index).indexOf('会同');
    if (together >= 0) {
      // A会同B负责: A leads and answers for it, B works with A.
      const first = splitNames(key, a, a + together);
      const others = splitNames(key, a + together + 2, namesEnd);
      if (!first || !others || !first.length) return null;
      out.lead.push(...pending, ...first);
      if (role !== 'lead') out.responsible.push(...pending, ...first);
      out.cooperating.push(...others);
    } else {
      const names = splitNames(key, a, namesEnd);
      if (!names) return null;
      out[role].push(...pending, ...names);
      if (verb[1] === '牵头负责') out.responsible.push(...pending, ...names);
    }
    pending = [];
    assigned = true;
  }
  if (!assigned || pending.length) return null; // a note ends with its role verb
  return nonEmpty(out);
}

function nonEmpty(p: Parsed): Parsed | null {
  return p.lead.length || p.responsible.length || p.cooperating.length ? p : null;
}

/**
 * Organ names in key[from, to): split on 、 , ; 及 outside brackets; generic tails (等相关部门) dropped;
 * `各区、县(市)政府` kept whole. Returns null when a piece cannot be an organ name.
 */
function splitNames(key: string, from: number, to: number): Span[] | null {
  const pieces: Span[] = [];
  let depth = 0;
  let s = from;
  for (let i = from; i <= to; i++) {
    const c = i < to ? key[i] : '';
    if (c === '(' || c === '〔' || c === '[') depth++;
    else if ((c === ')' || c === '〕' || c === ']') && depth > 0) depth--;
    const isSep = i === to || (depth === 0 && (c === '、' || c === ',' || c === ';' || c === '及'));
    if (!isSep) continue;
    // 以及 separates like 及.
    const pe = c === '及' && i - 1 >= s && key[i - 1] === '以' ? i - 1 : i;
    pieces.push({ start: s, end: pe });
    s = i + 1;
  }
  const out: Span[] = [];
  for (const p of pieces) {
    let a = p.start;
    let b = p.end;
    while (a < b && /[\s]/.test(key[a])) a++;
    while (b > a && /[\s。]/.test(key[b - 1])) b--;
    if (key.startsWith('由', a) && b - a > 2) a++;
    const tail = GENERIC_TAIL.exec(key.slice(a, b));
    if (tail) b = a + tail.index;
    while (b > a && /\s/.test(key[b - 1])) b--;
    if (a >= b) continue;
    const name = key.slice(a, b);
    const prev = out[out.length - 1];
    if (prev && /区$/.test(key.slice(prev.start, prev.end)) && name.startsWith('县')) {
      prev.end = b; // 各区、县(市)政府 is one party
      continue;
    }
    out.push({ start: a, end: b });
  }
  for (const n of out) {
    const name = key.slice(n.start, n.end);
    if (n.end - n.start < 2 || n.end - n.start > 40 || NOT_IN_NAME.test(name) || VERB_AT_END.test(name)) return null;
  }
  return out;
}

/** [start, end) ranges of key split at `sep` characters outside brackets. */
function topLevelSegments(key: string, sep: RegExp): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let s = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '(' || c === '〔' || c === '[') depth++;
    else if ((c === ')' || c === '〕' || c === ']') && depth > 0) depth--;
    else if (depth === 0 && sep.test(c)) {
      out.push([s, i]);
      s = i + 1;
    }
    if (out.length > 40) return []; // far too many parts for a note: give up early
  }
  out.push([s, key.length]);
  return out;
}

/** Label must start the text, a line, or follow a sentence / clause break. */
function labelBoundary(key: string, at: number): boolean {
  if (at === 0) return true;
  return /[\n。;\s)\]】,]/.test(key[at - 1]);
}

function shift(p: Parsed, by: number): Parsed {
  const mv = (xs: Span[]) => xs.map((x) => ({ start: x.start + by, end: x.end + by }));
  return { lead: mv(p.lead), responsible: mv(p.responsible), cooperating: mv(p.cooperating) };
}

function toResponsibility(text: string, p: Parsed, start: number, end: number, offset: number): Responsibility {
  const names = (xs: Span[]) => unique(xs.map((x) => text.slice(x.start, x.end)));
  const responsible = names(p.responsible);
  // No explicit 牵头: the first office named leads (gov.cn convention: 海关总署、商务部负责).
  const lead = p.lead.length ? names(p.lead) : responsible.slice(0, 1);
  return {
    raw: text.slice(start, end),
    lead,
    responsible,
    cooperating: names(p.cooperating),
    start: start + offset,
    end: end + offset,
  };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
