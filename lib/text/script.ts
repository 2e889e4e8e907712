// Traditional → Simplified conversion (opencc-js), character-level for offset-safe keys and
// phrase-level for Taiwan phrasing (網際網路 → 互联网, 資訊 → 信息).
import { Converter, Locale } from 'opencc-js/t2cn';

type Convert = (s: string) => string;

let charConv: Convert | null = null;

/**
 * The converter's dictionaries read as plain maps, without building its tries (~20 ms of Map
 * nodes in a cold context, paid by the first query of a popup): each chain step as a map of its
 * single-character entries, and every entry's source by its first code point. opencc replaces only
 * where an entry matches, so text holding no entry's source converts to itself, and one character
 * converts through the single-character entries alone. null: the preset's shape is not
 * the expected one (another opencc-js version); then everything goes through the converter.
 */
interface CharTables {
  steps: Map<number, string>[];
  /** Sources of the entries of every step, by first code point. */
  starts: Map<number, string[]>;
}
let tables: CharTables | null | undefined;

function charTables(): CharTables | null {
  if (tables !== undefined) return tables;
  tables = null;
  const cfg = (Locale as unknown as { configs?: Record<string, { normalizationChain?: unknown; conversionChain?: unknown; segmentation?: unknown }> }).configs?.t2s;
  // The converter Converter({ from: 't', to: 'cn' }) builds: normalization chain, then conversion chain, no segmentation.
  if (!cfg || cfg.segmentation || !Array.isArray(cfg.normalizationChain) || !Array.isArray(cfg.conversionChain)) return null;
  const groups = [...cfg.normalizationChain, ...cfg.conversionChain] as unknown[];
  const steps: Map<number, string>[] = [];
  const starts = new Map<number, string[]>();
  for (const group of groups) {
    if (!Array.isArray(group) || !group.every((d) => typeof d === 'string')) return null;
    const step = new Map<number, string>();
    // Earlier dictionaries of a group win (opencc loads them in reverse, later ones overwritten).
    for (const dict of [...(group as string[])].reverse()) {
      for (const entry of dict.split('|')) {
        const sp = entry.indexOf(' ');
        if (sp <= 0) return null;
        const from = entry.slice(0, sp);
        const cp = from.codePointAt(0)!;
        const list = starts.get(cp);
        if (!list) starts.set(cp, [from]);
        else list.push(from);
        if (from.length === (cp > 0xffff ? 2 : 1)) step.set(cp, entry.slice(sp + 1));
      }
    }
    steps.push(step);
  }
  tables = { steps, starts };
  return tables;
}

/**
 * Whether opencc could change `s` at all: some entry's source occurs in it. When none does, no step
 * matches anywhere (the first step leaves `s` as it is, so the next sees the same text).
 */
function mayConvert(s: string, t: CharTables): boolean {
  for (let i = 0; i < s.length; i++) {
    const list = t.starts.get(s.codePointAt(i)!);
    if (list) for (const from of list) if (s.startsWith(from, i)) return true;
  }
  return false;
}

/**
 * toSimplifiedChars of one BMP character (a code unit), as a code unit: its conversion when that
 * is one code unit, else itself. Equal to converting the character alone, without the converter.
 */
export function simplifiedCharCode(c: number): number {
  const t = charTables();
  if (!t) {
    const o = toSimplifiedChars(String.fromCharCode(c));
    return o.length === 1 ? o.charCodeAt(0) : c;
  }
  if (!t.starts.has(c)) return c;
  let r = String.fromCharCode(c);
  for (const step of t.steps) {
    const cp = r.codePointAt(0)!;
    if (r.length !== (cp > 0xffff ? 2 : 1)) break;
    r = step.get(cp) ?? r;
  }
  if (r.length !== 1) {
    // A conversion to more than one code unit: an astral character (kept as is, like toSimplifiedChars)
    // or, in some other dictionary, a longer string: ask the converter.
    const o = [...r].length === 1 ? String.fromCharCode(c) : toSimplifiedChars(String.fromCharCode(c));
    return o.length === 1 ? o.charCodeAt(0) : c;
  }
  return r.charCodeAt(0);
}

/**
 * Taiwan phrasing → mainland terms, applied to character-converted (Simplified) text. A curated list
 * rather than opencc's whole `twp` dictionary: that dictionary only rewrites Traditional input, so the
 * same words in Simplified came out different (檔案→文件 but 档案 stays), and it turns ordinary
 * government wording into IT jargon (建立→创建, 智慧→智能). Every entry here maps a term mainland
 * policy text does not use in that sense, so Simplified and Traditional keys agree.
 * Longer phrases first: 行动通讯 before 通讯 would matter.
 */
const MAINLAND_PHRASES: ReadonlyArray<readonly [string, string]> = [
  ['行动通讯', '移动通信'],
  ['行动通信', '移动通信'],
  ['行动装置', '移动设备'],
  ['行动网路', '移动网络'],
  ['行动网络', '移动网络'],
  ['行动支付', '移动支付'],
  ['行动电话', '移动电话'],
  ['行动互联网', '移动互联网'],
  ['网际网路', '互联网'],
  ['物联网路', '物联网'],
  ['云端运算', '云计算'],
  ['云端计算', '云计算'],
  ['资料库', '数据库'],
  ['资讯', '信息'],
  ['软体', '软件'],
  ['硬体', '硬件'],
  ['伺服器', '服务器'],
  ['网路', '网络'],
  ['数位', '数字'],
  ['共用', '共享'],
  ['预设', '默认'],
  ['行销', '营销'],
  ['支援', '支持'],
  ['程式', '程序'],
  ['宽频', '宽带'],
];

/** Character-by-character Traditional → Simplified: the result has exactly the input's length. */
export function toSimplifiedChars(s: string): string {
  const t = charTables();
  if (t && !mayConvert(s, t)) return s; // no entry can match: the converter (and building it) is not needed
  if (!charConv) charConv = Converter({ from: 't', to: 'cn' });
  const out = charConv(s);
  if (out.length === s.length) return out;
  // About 150 rare characters convert to astral ones (勣 → 𪟝, 鈇 → 𫓧), which changes the length.
  // Returning the input unconverted would lose the whole text; keep just those characters instead.
  return convertAroundLengthChanges(s, charConv);
}

/** Converts the runs between characters whose conversion changes length; keeps those as they are. */
function convertAroundLengthChanges(s: string, conv: Convert): string {
  const keep = (r: string): string => {
    const o = conv(r);
    if (o.length === r.length) return o;
    let out = '';
    for (const ch of r) {
      const c = conv(ch);
      out += c.length === ch.length ? c : ch;
    }
    return out;
  };
  let out = '';
  let runStart = 0;
  for (let i = 0; i < s.length; ) {
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    if (conv(ch).length !== ch.length) {
      out += keep(s.slice(runStart, i)) + ch;
      runStart = i + ch.length;
    }
    i += ch.length;
  }
  return out + keep(s.slice(runStart));
}

/** Simplified characters with Taiwan phrasing mapped to mainland terms, for matching keys. Lengths may change. */
export function toMainland(s: string): string {
  let out = toSimplifiedChars(s);
  for (const [tw, cn] of MAINLAND_PHRASES) if (out.includes(tw)) out = out.split(tw).join(cn);
  return out;
}

/** Mainland phrases a Simplified query should also match in Taiwan-phrased text (互联网 → 网际网路). */
export function taiwanVariants(simplified: string): string[] {
  const out = new Set<string>();
  for (const [tw, cn] of MAINLAND_PHRASES) if (simplified.includes(cn)) out.add(simplified.split(cn).join(tw));
  return [...out];
}

/** Rough test for Traditional script: share of characters that change under conversion. */
export function traditionalShare(s: string): number {
  const sample = s.length > 4000 ? s.slice(0, 4000) : s;
  const conv = toSimplifiedChars(sample);
  let han = 0;
  let changed = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) {
      han++;
      if (conv[i] !== sample[i]) changed++;
    }
  }
  return han === 0 ? 0 : changed / han;
}
