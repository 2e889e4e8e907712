// 发文字号 (document numbers) — finding them in running text and reducing every written form to one key.
import type { DocNumber } from '../types';
import { parseChineseNumber } from '../text/numerals';
import { toSimplifiedChars } from '../text/script';
import { foldWidth } from '../text/width';

/** Longest issuer code of a yearly number (GB/T 9704: 机关代字, an abbreviation: 京政发, 工信部联信软). */
const MAX_CODE = 8;
/** Longest decree issuer: 中华人民共和国国家发展和改革委员会令 has 18 characters before 令. */
const MAX_DECREE_ISSUER = 20;
/** How far back we look at a Han run to decide whether it is bounded. */
const LOOKBACK = 24;

const OPEN = '〔\\[［(（【﹝〈<';
const CLOSE = '〕\\]］)）】﹞〉>';
const DIGIT = '0-9０-９';
const SP = '[ \\t\\u3000\\u00a0]';

// Yearly: 〔2016〕57号. Each part is a bounded quantifier over a disjoint class: linear time.
const YEARLY = new RegExp(
  `[${OPEN}]${SP}{0,3}([${DIGIT}]{4})${SP}{0,3}[${CLOSE}]${SP}{0,3}(第${SP}{0,3})?([${DIGIT}]{1,6})(?![${DIGIT}])(${SP}{0,3}[号號])?`,
  'g',
);

// Decrees: 令第706号, 令(第十二号), 令2016年第1号 (ministry decrees numbered per year).
const CN_DIGITS = '〇零一二三四五六七八九十百千两兩';
const DECREE = new RegExp(
  `令${SP}{0,3}([(（]${SP}{0,2})?(?:([${DIGIT}]{4})${SP}{0,2}年${SP}{0,2})?第${SP}{0,3}([${DIGIT}]{1,6}|[${CN_DIGITS}]{1,8})${SP}{0,3}[号號](${SP}{0,2}[)）])?`,
  'g',
);

/**
 * Words that end the text before an issuer code: verbs that introduce a citation (根据 按照 贯彻…),
 * document genres (a title run straight into its number: …的通知国办发〔…〕), and connectives.
 * None of them occurs inside a real 机关代字. Traditional forms included.
 */
const STOP_WORDS = [
  '根据', '根據', '按照', '依据', '依據', '依照', '遵照', '参照', '參照', '对照', '對照', '比照',
  '落实', '落實', '贯彻', '貫徹', '执行', '執行', '印发', '印發', '转发', '轉發', '批转', '批轉',
  '颁布', '頒布', '发布', '發布', '下发', '下發', '制定', '出台', '实施', '實施', '参见', '參見', '详见', '詳見',
  '关于', '關於', '关於', '通知', '意见', '意見', '决定', '決定', '批复', '批復', '复函', '復函', '通报', '通報',
  '请示', '請示', '报告', '報告', '办法', '辦法', '规定', '規定', '条例', '條例', '方案', '规划', '規劃',
  '答复', '答覆', '公告', '纲要', '綱要', '文件', '精神', '要求', '同意', '附件', '以及', '原文',
  '贵省', '貴省', '贵市', '貴市', '贵部', '貴部', '贵委', '貴委', '贵局', '貴局', // 贵 alone starts Guizhou codes
];
/**
 * Full organ names end before a yearly code (北京市人民政府京政发〔…〕): codes abbreviate them (府, 办)
 * but never spell them out. Decree issuers do spell them out (北京市人民政府令), so these are yearly-only.
 */
const YEARLY_STOP_WORDS = [
  ...STOP_WORDS,
  '政府', '办公厅', '辦公廳', '办公室', '辦公室', '委员会', '委員會', '国务院', '國務院', '中共中央',
];
/** Single characters that never occur in a 机关代字 but often sit right before one. */
const STOP_CHARS_YEARLY = new Set([...'的和及与與或在对對将將把被由为為是于於即要请請已均并並也还還都则則所其该該此如若等以向从從给給按据據见見称稱又再就且而但仍我你您他她它咱本各']);
/** Pronouns and determiners that take an organ word: 我省, 你市, 本区, 各部门, 该局. */
const DEICTIC = new Set([...'我你您本各该該其此']);
const ORGAN_WORD = new Set([...'省市区區县縣州部委局厅廳办辦院署']);
/** Decree issuers are full organ names: 和 occurs (中华人民共和国, 住房和城乡建设部), so it does not stop them. */
const STOP_CHARS_DECREE = new Set([...STOP_CHARS_YEARLY].filter((c) => c !== '和'));

/** How an issuer is delimited: its longest length and what ends the text before it. */
interface IssuerRules {
  max: number;
  words: readonly string[];
  chars: ReadonlySet<string>;
}
const YEARLY_RULES: IssuerRules = { max: MAX_CODE, words: YEARLY_STOP_WORDS, chars: STOP_CHARS_YEARLY };
const DECREE_RULES: IssuerRules = { max: MAX_DECREE_ISSUER, words: STOP_WORDS, chars: STOP_CHARS_DECREE };

/**
 * Characters an issuer code plausibly starts with: province and city abbreviations, 国/中, and the
 * abbreviations of ministries and commissions. Used only when the Han run before a number is
 * unbounded (no punctuation or stop word within reach), to avoid swallowing the words before it.
 */
const CODE_STARTS = new Set([
  ...'京津沪滬渝冀晋晉辽遼吉黑苏蘇浙皖闽閩赣贛鲁魯豫鄂湘粤粵琼瓊川蜀贵貴黔云雲滇陕陝秦甘陇隴青宁寧新藏桂蒙港澳',
  ...'国國中财財教科工公民司人自环環生住建交水农農商文卫衛审審海税稅市广廣体體统統医醫银銀证證外发發',
  ...'沈深杭穗厦廈甬哈连連济濟郑鄭汉漢长長成昆兰蘭乌烏呼石太合福南',
  ...'全党黨团團军軍总總最高气氣质質安保药藥林旅食邮郵铁鐵航',
]);
/** Two-character words ending in 令 that are not decree issuers. */
const NOT_DECREE = /(命|指|法|禁|政|号|號|口|司|军|軍|条|條|律|责|責|下|勒|明|训|訓|手|密|时|時|节|節|夏|冬|酒|辞|辭)$/;

const DATE_UNIT = new Set([...'年月日号號']);
const DATE_NUMERAL = new Set([...'〇零一二三四五六七八九十廿卅']);

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\u3000' || ch === '\u00a0';
}

/**
 * Start offset of the issuer code that ends at `end` (exclusive) in `text`, or -1 when there is none.
 * The code is the Han run before `end`, cut after the last stop word / stop character, and at most
 * `rules.max` characters; a run with no boundary within reach is cut to its first plausible code start.
 */
function codeStart(text: string, end: number, rules: IssuerRules): number {
  const { max, words, chars: stopChars } = rules;
  let s = end;
  const limit = Math.max(0, end - LOOKBACK);
  while (s > limit && isHan(text.charCodeAt(s - 1))) s--;
  const bounded = s > limit || s === 0; // the run began at a non-Han character (or the text start)
  if (s === end) return -1;
  const run = text.slice(s, end);
  // Cut after the last stop word or stop character in the run.
  let cut = 0;
  for (const w of words) {
    const i = run.lastIndexOf(w);
    if (i < 0) continue;
    // A run ending in a stop word (…的通知〔2016〕1号) has no code at all.
    if (i + w.length === run.length) return -1;
    if (i + w.length > cut) cut = i + w.length;
  }
  for (let i = run.length - 1; i >= cut; i--) {
    if (stopChars.has(run[i])) {
      cut = i + 1;
      // 我省 你市 本区 各部门: the organ word belongs to the pronoun, not to the code.
      if (DEICTIC.has(run[i]) && cut < run.length - 1 && ORGAN_WORD.has(run[cut])) cut++;
      break;
    }
  }
  // A date or ordinal ends right before the code: 2016年国发…, 1991年3月4日中华人民共和国国务院令….
  for (let i = run.length - 1; i >= cut; i--) {
    if (!DATE_UNIT.has(run[i])) continue;
    const before = i > 0 ? run[i - 1] : text[s - 1];
    if (before !== undefined && (DATE_NUMERAL.has(before) || /[0-9０-９]/.test(before))) {
      cut = i + 1;
      break;
    }
  }
  let start = s + cut;
  if (start >= end) return -1;
  if (end - start > max || (!bounded && cut === 0)) {
    // No clear boundary: take the longest suffix within `max` that starts like a code.
    let found = -1;
    for (let i = Math.max(start, end - max); i < end; i++) {
      if (CODE_STARTS.has(text[i])) {
        found = i;
        break;
      }
    }
    if (found < 0) return -1;
    start = found;
  }
  return start;
}

/** Build a DocNumber from its parts; null if the year or serial is implausible. */
function makeYearly(raw: string, code: string, year: number, serial: number): DocNumber | null {
  if (!(year >= 1949 && year <= 2100) || !(serial > 0)) return null;
  const issuerCode = toSimplifiedChars(foldWidth(code));
  return { raw, normalized: `${issuerCode}〔${year}〕${serial}号`, issuerCode, year, serial, form: 'yearly' };
}

function makeDecree(raw: string, issuer: string, year: number | null, serial: number): DocNumber | null {
  if (!(serial > 0) || !Number.isFinite(serial)) return null;
  if (year !== null && !(year >= 1949 && year <= 2100)) return null;
  const issuerCode = toSimplifiedChars(foldWidth(issuer));
  const normalized = year === null ? `${issuerCode}第${serial}号` : `${issuerCode}${year}年第${serial}号`;
  return { raw, normalized, issuerCode, year, serial, form: 'decree' };
}

/** Measure words and date parts that show a bracketed year + number is a date or count, not a 文号. */
const NOT_AFTER_SERIAL = /[年月日时時个個项項条條款万萬亿億千百元%‰.．点點章节節次期届屆倍人户戶家所座名位份件页頁岁歲]/;

export interface DocNumberMatch {
  number: DocNumber;
  /** Offsets of the whole mention (issuer code through 号) in the searched text. */
  start: number;
  end: number;
}

/** Every 文号 mention in running text, with offsets, in text order, non-overlapping. */
export function findDocNumbers(text: string): DocNumberMatch[] {
  const out: DocNumberMatch[] = [];
  if (!text) return out;

  YEARLY.lastIndex = 0;
  for (let m = YEARLY.exec(text); m; m = YEARLY.exec(text)) {
    const bracket = m.index;
    const end = bracket + m[0].length;
    if (!m[4]) {
      // Without 号 accept only the formal brackets, and not when a date or count follows.
      const open = text[bracket];
      if (!'〔[［﹝'.includes(open)) continue;
      const next = text[end];
      if (next !== undefined && NOT_AFTER_SERIAL.test(next)) continue;
    }
    // Skip spaces between the code and the bracket: 国发 〔2015〕.
    let codeEnd = bracket;
    for (let k = 0; k < 3 && codeEnd > 0 && isSpace(text[codeEnd - 1]); k++) codeEnd--;
    // 北京市人民政府令〔2016〕1号: an organ's decree series numbered per year takes the decree rules.
    const start = codeStart(text, codeEnd, text[codeEnd - 1] === '令' ? DECREE_RULES : YEARLY_RULES);
    if (start < 0) continue;
    const code = text.slice(start, codeEnd);
    const year = Number(toAsciiDigits(m[1]));
    const serial = Number(toAsciiDigits(m[3]));
    const number = makeYearly(text.slice(start, end), code, year, serial);
    if (number) out.push({ number, start, end });
  }

  DECREE.lastIndex = 0;
  for (let m = DECREE.exec(text); m; m = DECREE.exec(text)) {
    const ling = m.index;
    // An opening paren only counts when it is closed: 主席令(第十二号).
    if (m[1] && !m[4]) continue;
    const start = codeStart(text, ling, DECREE_RULES);
    if (start < 0) continue;
    const issuerBody = text.slice(start, ling);
    // 国令 is the only one-character issuer; 命令 指令 法令… are words, not issuers.
    if (issuerBody.length === 1 && issuerBody !== '国' && issuerBody !== '國') continue;
    if (NOT_DECREE.test(issuerBody)) continue;
    const serial = parseChineseNumber(m[3]);
    if (serial === null) continue;
    const year = m[2] ? Number(toAsciiDigits(m[2])) : null;
    const end = ling + m[0].length;
    const number = makeDecree(text.slice(start, end), issuerBody + '令', year, serial);
    if (number) out.push({ number, start, end });
  }

  out.sort((a, b) => a.start - b.start || b.end - a.end);
  // Drop overlaps (keep the earlier, longer mention).
  const kept: DocNumberMatch[] = [];
  for (const d of out) if (!kept.length || d.start >= kept[kept.length - 1].end) kept.push(d);
  return kept;
}

/** Labels a metadata field may carry before the value: 发文字号： [發文字號] 字号: 文号 */
const LABEL = /^[\s\d.．、\[［【(（]*(?:发文字号|發文字號|发文文号|發文文號|文号|文號|字号|字號|编号|編號)?[\s\]］】)）]*[:：]?[\s]*/;

/**
 * Parse a candidate string (a metadata value, possibly with its label) as a 文号.
 * Null when the string is not one: the number must be the value, not a mention inside a sentence.
 */
export function parseDocNumber(s: string): DocNumber | null {
  if (!s) return null;
  const str = s.length > 400 ? s.slice(0, 400) : s;
  const label = LABEL.exec(str);
  const from = label ? label[0].length : 0;
  const body = str.slice(from);
  const found = findDocNumbers(body);
  if (!found.length) return null;
  const first = found[0];
  if (first.start !== 0) return null;
  const rest = body.slice(first.end);
  // Trailing text is fine only after a separator: 京政发〔2016〕4号 （2016年3月1日）.
  if (rest && !/^[\s,，;；、。)）\]】|/]/.test(rest)) return null;
  return first.number;
}

/** The matching key of a 文号 (`京政發[2016]57號` → `京政发〔2016〕57号`), or null. */
export function docNumberKey(s: string): string | null {
  const d = parseDocNumber(s);
  return d ? d.normalized : null;
}
