// Citations in a document's text: 《titles》, 文号, title+文号 pairs and 以下简称 aliases, with exact offsets.
import type { Citation, DocNumber } from '../types';
import { titleKey } from '../text/key';
import { stripPinyin } from '../text/pinyin';
import { findDocNumbers, type DocNumberMatch } from './docnumber';

/** Longest 《title》 we accept, so an unclosed 《 cannot swallow the page. */
const MAX_TITLE = 120;
/** Deepest nesting of titles inside a title we follow. */
const MAX_DEPTH = 4;
/** How far after a title we look for its (文号) or its (以下简称…) definition. */
const MAX_TRAILER = 80;

/** Longest alias name accepted in a 以下简称 definition. */
const MAX_ALIAS = 30;
/** Distinct quoted aliases searched for (a real document defines a handful). */
const MAX_QUOTED_ALIASES = 50;

interface TitleSpan {
  /** Offset of 《 and one past 》. */
  start: number;
  end: number;
  /** Text between the outer 《》 with pinyin annotations removed. */
  title: string;
  nested: string[];
}

function clean(s: string): string {
  return stripPinyin(s).text.trim();
}

function hasHan(s: string): boolean {
  return /[\u3400-\u9fff\uf900-\ufaff]/.test(s);
}

/** Scan one 《title》 starting at `open`; null when it is not closed within MAX_TITLE on the same line. */
function scanTitle(text: string, open: number): TitleSpan | null {
  const limit = Math.min(text.length, open + 1 + MAX_TITLE);
  const nested: string[] = [];
  // Open positions of inner 《 / 〈 / < (inner titles) — a small stack, bounded by MAX_TITLE.
  const stack: Array<{ ch: string; at: number }> = [];
  for (let j = open + 1; j < limit; j++) {
    const ch = text[j];
    if (ch === '\n' || ch === '\r') return null;
    if (ch === '《' || ch === '〈' || ch === '<') {
      // Real titles nest one or two deep; deeper is noise, and giving up early keeps 《《《… linear.
      if (stack.length >= MAX_DEPTH) return null;
      stack.push({ ch, at: j });
    } else if (ch === '》' || ch === '〉' || ch === '>') {
      const want = ch === '》' ? '《' : ch === '〉' ? '〈' : '<';
      // Find the matching opener; unmatched < or 〈 inside a title are dropped.
      let k = stack.length - 1;
      while (k >= 0 && stack[k].ch !== want) k--;
      if (k < 0) {
        if (ch !== '》') continue; // a stray 〉 or >
        const inner = text.slice(open + 1, j);
        const title = clean(inner);
        if (!title || !hasHan(title)) return null;
        return { start: open, end: j + 1, title, nested };
      }
      const at = stack[k].at;
      stack.length = k;
      const inner = clean(text.slice(at + 1, j));
      // Only the outermost nested titles are listed (stray < from markup do not count as enclosing);
      // <…> counts only when it holds Chinese, so a leftover tag is not a title.
      if (inner && hasHan(inner) && !stack.some((s) => s.ch !== '<')) nested.push(inner);
    }
  }
  return null;
}

/** Every 《title》 in text order; unclosed or overlong ones are skipped. */
function findTitles(text: string): TitleSpan[] {
  const out: TitleSpan[] = [];
  let pos = 0;
  while (pos < text.length) {
    const i = text.indexOf('《', pos);
    if (i < 0) break;
    const t = scanTitle(text, i);
    if (t) {
      out.push(t);
      pos = t.end;
    } else pos = i + 1;
  }
  return out;
}

const ISSUE_VERB = /印发|印發|转发|轉發|批转|批轉|颁布|頒布|颁发|頒發|发布|發布/;
const ISSUE_END = /的(?:通知|通告|公告|决定|決定|函|批复|批復)$/;

/** The first title inside 《》/〈〉 at the start of s, or null. */
function leadingBracketed(s: string): string | null {
  const m = /^[《〈<]([^《》〈〉<>]{1,120})[》〉>]/.exec(s);
  return m ? m[1] : null;
}

/**
 * For 印发/转发/批转/颁布 titles, the title of the document issued:
 * `国务院关于印发促进大数据发展行动纲要的通知` → `促进大数据发展行动纲要`,
 * `…关于印发《X》的通知` → `X`. Null for any other title.
 */
export function issuedTitle(title: string): string | null {
  if (!title) return null;
  const t = clean(title.length > 400 ? title.slice(0, 400) : title).replace(/^[《〈]|[》〉]$/g, '');
  const end = ISSUE_END.exec(t);
  if (!end) return null;
  const verb = ISSUE_VERB.exec(t);
  if (!verb || verb.index + verb[0].length >= end.index) return null;
  let x = t.slice(verb.index + verb[0].length, end.index).trim();
  const bracketed = leadingBracketed(x);
  if (bracketed) x = bracketed;
  else if (verb[0] === '发布' || verb[0] === '發布') return null; // 关于发布2016年度…名单的公告 issues no document
  x = x.trim();
  return x.length >= 2 ? x : null;
}

interface AliasDef {
  key: string;
  /** The alias as written: 行动计划. */
  alias: string;
  full: string;
  docNumber: DocNumber | null;
  /** Where the definition ends: mentions count from here. */
  from: number;
  /** Quote characters when defined as “alias”, so quoted mentions can be found. */
  quotes: [string, string] | null;
}

// After a title: up to 40 characters (its 文号, a comma) then 以下简称 and the alias in 《》, quotes or bare
// (at most MAX_ALIAS characters).
const ALIAS_DEF =
  /^[^。\n《》]{0,40}?(?:以下简称|以下簡稱|以下称|以下稱|下称|下稱|简称|簡稱)\s{0,2}[:：]?\s{0,2}(?:《([^《》\n]{1,30})》|([“"「『‘])([^”"」』’\n]{1,30})[”"」』’]|([^，,。；;）)\s“”"《》]{2,20})(?=[）)，,；;]))/;

const CLOSE_QUOTE: Record<string, string> = { '“': '”', '"': '"', '「': '」', '『': '』', '‘': '’' };

/** Offset after at most three spaces from `i`. */
function skipSpaces(text: string, i: number): number {
  for (let n = 0; n < 3 && (text[i] === ' ' || text[i] === '\u3000'); n++) i++;
  return i;
}

/** The 文号 in parentheses right after a title: 》(国发〔2015〕40号). Returns the match and the span's end. */
function trailingNumber(
  text: string,
  titleEnd: number,
  byStart: Map<number, DocNumberMatch>,
): { d: DocNumberMatch; end: number } | null {
  const open = skipSpaces(text, titleEnd);
  if (text[open] !== '(' && text[open] !== '（') return null;
  const d = byStart.get(skipSpaces(text, open + 1));
  if (!d) return null;
  const k = skipSpaces(text, d.end);
  // Include the closing paren when the number is all the parenthesis holds.
  const end = text[k] === ')' || text[k] === '）' ? k + 1 : d.end;
  return { d, end };
}

/** All citations in `text`, sorted by start, non-overlapping, offsets into `text`. */
export function extractCitations(text: string): Citation[] {
  if (!text) return [];
  const titles = findTitles(text);
  const numbersAll = findDocNumbers(text);

  // Numbers inside a title belong to that title's words (《关于贯彻国发〔2015〕40号文件的意见》).
  const numbers: DocNumberMatch[] = [];
  {
    let t = 0;
    for (const d of numbersAll) {
      while (t < titles.length && titles[t].end <= d.start) t++;
      if (t < titles.length && titles[t].start <= d.start && d.end <= titles[t].end) continue;
      if (t < titles.length && d.start < titles[t].start && d.end > titles[t].start) continue;
      numbers.push(d);
    }
  }
  const byStart = new Map(numbers.map((d) => [d.start, d] as const));
  const usedNumbers = new Set<number>();

  const out: Citation[] = [];
  const aliases: AliasDef[] = [];
  // Latest definition per alias key. Titles come in text order and a definition ends before the next
  // title starts, so the latest definition is the one in force.
  const aliasByKey = new Map<string, AliasDef>();
  const definitionTitles = new Set<number>();
  const definitionSpans: Span[] = [];

  for (const t of titles) {
    if (definitionTitles.has(t.start)) continue;
    const pair = trailingNumber(text, t.end, byStart);
    if (pair) usedNumbers.add(pair.d.start);
    // titleKey (opencc) only where it can matter: an alias is short, and only once one is defined.
    let alias: AliasDef | null = null;
    if (aliasByKey.size && t.title.length <= MAX_ALIAS * 2) {
      const a = aliasByKey.get(titleKey(t.title));
      if (a && a.from <= t.start) alias = a;
    }
    const end = pair ? pair.end : t.end;
    const docNumber = pair ? pair.d.number : alias ? alias.docNumber : null;
    const aliasOf = alias ? alias.full : null;
    out.push({
      text: text.slice(t.start, end),
      title: t.title,
      docNumber,
      kind: alias ? 'alias' : pair ? 'title+number' : 'title',
      aliasOf,
      issues: issuedTitle(aliasOf ?? t.title),
      nested: t.nested,
      start: t.start,
      end,
    });
    if (alias) continue;

    // A definition right after: 《X》(以下简称《Y》) / 《X》（国发〔2004〕20号，以下简称“Y”）.
    const trailer = text.slice(t.end, Math.min(text.length, t.end + MAX_TRAILER));
    const m = ALIAS_DEF.exec(trailer);
    if (!m) continue;
    const name = (m[1] ?? m[3] ?? m[4] ?? '').trim();
    if (!name || name === t.title) continue;
    const defEnd = t.end + m[0].length;
    // The 《Y》 or “Y” of the definition is part of it, not a citation of its own.
    if (m[1] !== undefined) definitionTitles.add(defEnd - m[1].length - 2);
    definitionSpans.push({ start: t.end, end: defEnd });
    const def: AliasDef = {
      key: titleKey(name),
      alias: name,
      full: t.title,
      docNumber: pair ? pair.d.number : null,
      from: defEnd,
      quotes: m[2] !== undefined ? [m[2], CLOSE_QUOTE[m[2]] ?? m[2]] : null,
    };
    aliases.push(def);
    aliasByKey.set(def.key, def);
    // The defined name is itself a mention of the document (a reader sees 《行动计划》 there too):
    // report it as an alias citation at its own position, inside the definition.
    const at = t.end + m[0].lastIndexOf(name);
    const open = m[1] !== undefined ? 1 : m[2] !== undefined ? m[2].length : 0;
    const close = m[1] !== undefined ? 1 : m[2] !== undefined ? (CLOSE_QUOTE[m[2]] ?? m[2]).length : 0;
    out.push({
      text: text.slice(at - open, at + name.length + close),
      title: name,
      docNumber: def.docNumber,
      kind: 'alias',
      aliasOf: t.title,
      issues: issuedTitle(t.title),
      nested: [],
      start: at - open,
      end: at + name.length + close,
    });
  }

  for (const d of numbers) {
    if (usedNumbers.has(d.start)) continue;
    out.push({
      text: text.slice(d.start, d.end),
      title: null,
      docNumber: d.number,
      kind: 'number',
      aliasOf: null,
      issues: null,
      nested: [],
      start: d.start,
      end: d.end,
    });
  }

  out.sort((a, b) => a.start - b.start);

  // Quoted aliases (以下简称“两个办法”) are then used in quotes: “两个办法”. One search per distinct
  // quoted alias, a bounded number of them; each mention takes the latest definition before it.
  const byNeedle = new Map<string, AliasDef[]>();
  for (const a of aliases) {
    if (!a.quotes) continue;
    const needle = a.quotes[0] + a.alias + a.quotes[1];
    const defs = byNeedle.get(needle);
    if (defs) defs.push(a);
    else if (byNeedle.size < MAX_QUOTED_ALIASES) byNeedle.set(needle, [a]);
  }
  const quoted: Citation[] = [];
  for (const [needle, defs] of byNeedle) {
    let d = 0;
    for (let i = text.indexOf(needle, defs[0].from); i >= 0; i = text.indexOf(needle, i + needle.length)) {
      while (d + 1 < defs.length && defs[d + 1].from <= i) d++;
      if (overlaps(out, i, i + needle.length) || overlaps(definitionSpans, i, i + needle.length)) continue;
      const a = defs[d];
      quoted.push({
        text: needle,
        title: a.alias,
        docNumber: a.docNumber,
        kind: 'alias',
        aliasOf: a.full,
        issues: issuedTitle(a.full),
        nested: [],
        start: i,
        end: i + needle.length,
      });
    }
  }
  if (quoted.length) {
    out.push(...quoted);
    out.sort((a, b) => a.start - b.start);
  }
  return out;
}

interface Span {
  start: number;
  end: number;
}

/** Whether [start, end) overlaps any span of a start-sorted, non-overlapping list. */
function overlaps(sorted: Span[], start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].start < end) lo = mid + 1;
    else hi = mid;
  }
  // Of the spans starting before `end`, only the last can reach past `start` (they do not overlap).
  return lo > 0 && sorted[lo - 1].end > start;
}
