// Text hygiene for every block the pipeline extracts: control and zero-width characters, stray HTML,
// mojibake repair, pinyin notes. Keeps the original script. Reports each change as a TextFlag.
import type { TextFlag } from '../types';
import { LOST_CHAR, repairMojibake } from './mojibake';
import { stripPinyin } from './pinyin';

export interface CleanedText {
  text: string;
  /** What was changed or found, offsets in `text`, in order of position. */
  flags: TextFlag[];
}

/** A replacement made by one step: input span [start, end) became `length` characters. */
interface Edit {
  start: number;
  end: number;
  length: number;
}

// Control characters except \t \n (\r is turned into \n), C1 controls, and invisible format
// characters that break matching: soft hyphen, zero-width space/joiners, direction marks, BOM.
const CONTROL_CLASS = '\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u00ad\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\ufeff';
const CONTROL_OR_CR = new RegExp(`\\r\\n?|[${CONTROL_CLASS}]+`, 'g');
const HAS_CONTROL = new RegExp(`[\\r${CONTROL_CLASS}]`);

// Tags that leak into copied text from HTML pages and Word exports (o:p, st1:…).
const TAG_NAMES =
  'p|br|div|span|font|b|i|u|s|strong|em|a|img|table|tbody|thead|tfoot|tr|td|th|ul|ol|li|dl|dt|dd|' +
  'h[1-6]|sup|sub|center|hr|section|article|blockquote|pre|label|input|small|big|nobr|o:p|st1:[a-z]{1,20}|[vw]:[a-z]{1,20}';
const TAG_OR_ENTITY = new RegExp(
  `</?(?:${TAG_NAMES})(?:\\s[^<>]{0,300})?/?>|&(?:#\\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});`,
  'gi',
);
const HAS_MARKUP = /<[/!a-z]|&#?[a-z0-9]{2,8};/i;

const ENTITIES: Record<string, string> = {
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  middot: '·',
  bull: '•',
  times: '×',
  divide: '÷',
  deg: '°',
  plusmn: '±',
  permil: '‰',
  copy: '©',
  reg: '®',
};

const TONED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ';
/** Anything one of the later steps could act on; clean text fails this and returns at once. */
const NEEDS_WORK = new RegExp(
  `[\\r${CONTROL_CLASS}?\\ufffd\\ue000-\\uf8ff\\u2500-\\u257f\\u3100-\\u312f${TONED}]|<[/!a-z]|&#?[a-z0-9]{2,8};`,
  'i',
);

/**
 * Clean one block of text: remove control/zero-width characters (\r becomes \n), stray HTML tags
 * and comments, decode HTML entities, repair GBK mojibake (lost characters become U+FFFD and are
 * flagged), remove inline pinyin notes. Original script is kept.
 */
export function cleanText(s: string): CleanedText {
  if (!NEEDS_WORK.test(s)) return { text: s, flags: [] };
  let text = s;
  let flags: TextFlag[] = [];
  const step = (r: { text: string; edits: Edit[]; flags: TextFlag[] }): void => {
    if (r.edits.length) flags = remapFlags(flags, r.edits);
    flags.push(...r.flags);
    text = r.text;
  };
  if (HAS_CONTROL.test(text)) step(removeControls(text));
  if (HAS_MARKUP.test(text)) step(removeMarkup(text));
  step(repairLines(text));
  if (text.includes('(') || text.includes('（')) step(removePinyin(text));
  flags.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text, flags };
}

/** Maps offsets of the step's input to its output; offsets inside a replaced span clamp into it. */
function offsetMapper(edits: Edit[]): (o: number) => number {
  const shiftBefore: number[] = [0]; // total length change of edits[0..k)
  for (const e of edits) shiftBefore.push(shiftBefore[shiftBefore.length - 1] + e.length - (e.end - e.start));
  return (o) => {
    // k = number of edits ending at or before o (edits are sorted and disjoint).
    let lo = 0;
    let hi = edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edits[mid].end <= o) lo = mid + 1;
      else hi = mid;
    }
    const e = edits[lo];
    if (e && e.start < o) return e.start + shiftBefore[lo] + Math.min(o - e.start, e.length);
    return o + shiftBefore[lo];
  };
}

function remapFlags(flags: TextFlag[], edits: Edit[]): TextFlag[] {
  if (!flags.length) return flags;
  const map = offsetMapper(edits);
  return flags.map((f) => ({ ...f, start: map(f.start), end: Math.max(map(f.start), map(f.end)) }));
}

const codeName = (c: string): string => 'U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

function removeControls(s: string): { text: string; edits: Edit[]; flags: TextFlag[] } {
  const edits: Edit[] = [];
  const removals: Array<{ at: number; chars: string }> = []; // output offset of each removal
  let shift = 0;
  const text = s.replace(CONTROL_OR_CR, (m: string, offset: number) => {
    const by = m[0] === '\r' ? '\n' : ''; // \r\n and lone \r end a line; the rest goes
    edits.push({ start: offset, end: offset + m.length, length: by.length });
    if (!by) removals.push({ at: offset + shift, chars: m });
    shift += by.length - m.length;
    return by;
  });
  // One flag per line: from its first to its last removal, with what was removed.
  const flags: TextFlag[] = [];
  for (let i = 0; i < removals.length; ) {
    const lineEnd = text.indexOf('\n', removals[i].at);
    let j = i + 1;
    while (j < removals.length && (lineEnd < 0 || removals[j].at <= lineEnd)) j++;
    const counts = new Map<string, number>();
    for (let k = i; k < j; k++) for (const c of removals[k].chars) counts.set(codeName(c), (counts.get(codeName(c)) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const list = [...counts].map(([name, n]) => (n > 1 ? `${name}×${n}` : name)).join(', ');
    flags.push({
      kind: 'control-chars-removed',
      start: removals[i].at,
      end: removals[j - 1].at,
      detail: `removed ${total} control/format character${total > 1 ? 's' : ''}: ${list}`,
    });
    i = j;
  }
  return { text, edits, flags };
}

function removeMarkup(s: string): { text: string; edits: Edit[]; flags: TextFlag[] } {
  const edits: Edit[] = [];
  const flags: TextFlag[] = [];
  let out = '';
  let last = 0;
  const replace = (start: number, end: number, by: string, detail: string): void => {
    out += s.slice(last, start);
    const at = out.length;
    out += by;
    last = end;
    edits.push({ start, end, length: by.length });
    flags.push({ kind: 'markup-removed', start: at, end: at + by.length, detail });
  };
  // Comments first, scanning with indexOf so an unclosed `<!--` costs one search, not one per position.
  const found: Array<[number, number, string, string]> = [];
  for (let i = s.indexOf('<!--'); i >= 0; ) {
    const close = s.indexOf('-->', i + 4);
    if (close < 0) break;
    found.push([i, close + 3, '', 'HTML comment']);
    i = s.indexOf('<!--', close + 3);
  }
  TAG_OR_ENTITY.lastIndex = 0;
  for (let m = TAG_OR_ENTITY.exec(s); m; m = TAG_OR_ENTITY.exec(s)) {
    const raw = m[0];
    if (raw[0] === '<') {
      found.push([m.index, m.index + raw.length, '', raw.length > 40 ? raw.slice(0, 40) + '…' : raw]);
      continue;
    }
    const decoded = decodeEntity(raw);
    if (decoded !== null) found.push([m.index, m.index + raw.length, decoded, `${raw} → ${/\s/.test(decoded) ? codeName(decoded) : decoded}`]);
  }
  found.sort((a, b) => a[0] - b[0]);
  for (const [start, end, by, detail] of found) {
    if (start < last) continue; // inside a comment already removed
    replace(start, end, by, detail);
  }
  out += s.slice(last);
  return { text: out, edits, flags };
}

function decodeEntity(raw: string): string | null {
  const body = raw.slice(1, -1);
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return null;
    return String.fromCodePoint(code);
  }
  return ENTITIES[body.toLowerCase()] ?? null;
}

function repairLines(s: string): { text: string; edits: Edit[]; flags: TextFlag[] } {
  const edits: Edit[] = [];
  const flags: TextFlag[] = [];
  let out = '';
  let inOffset = 0;
  for (const line of s.split('\n')) {
    if (inOffset > 0) out += '\n';
    const r = repairMojibake(line);
    const outOffset = out.length;
    for (const rep of r.repaired) {
      edits.push({ start: inOffset + rep.sourceStart, end: inOffset + rep.sourceEnd, length: rep.end - rep.start });
      flags.push({
        kind: 'mojibake-repaired',
        start: outOffset + rep.start,
        end: outOffset + rep.end,
        detail: `GBK read out of phase: "${rep.original}" → "${r.text.slice(rep.start, rep.end)}"`,
      });
    }
    for (const lost of r.unrecoverable) {
      flags.push({
        kind: 'mojibake-unrecoverable',
        start: outOffset + lost.start,
        end: outOffset + lost.end,
        detail: `character lost (shown as ${LOST_CHAR}): ${lost.detail}`,
      });
    }
    out += r.text;
    inOffset += line.length + 1;
  }
  return { text: out, edits, flags };
}

function removePinyin(s: string): { text: string; edits: Edit[]; flags: TextFlag[] } {
  const { text, removed } = stripPinyin(s);
  const edits: Edit[] = [];
  const flags: TextFlag[] = [];
  let shift = 0;
  for (const r of removed) {
    const at = r.start - shift;
    edits.push({ start: r.start, end: r.end, length: 0 });
    flags.push({ kind: 'pinyin-removed', start: at, end: at, detail: s.slice(r.start, r.end) });
    shift += r.end - r.start;
  }
  return { text, edits, flags };
}
