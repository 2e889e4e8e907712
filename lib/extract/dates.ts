// Calendar dates as Chinese government documents write them (2016年12月1日, 二〇〇六年十二月三十日,
// 2016-12-01) → ISO `YYYY-MM-DD`.
//
// Only complete dates are dates here: `2016年9月` or `2016-09` → null. A metadata field or a
// signature date names a day; a partial date is a period ("2016年9月" in a sentence), and turning
// it into the 1st of the month would invent a day the document never stated.
import { parseChineseNumber } from '../text/numerals';

/** A complete date found in running text. */
export interface FoundDate {
  /** ISO `YYYY-MM-DD`. */
  date: string;
  /** The date exactly as written. */
  raw: string;
  start: number;
  end: number;
}

// Years are read positionally (二〇〇六, 一九九七); 〇 is also typed as ○, O, Ｏ or 零 on real pages.
const CN_YEAR_DIGIT = '〇零○OＯ一二三四五六七八九';
const CN_SMALL = '一二三四五六七八九十廿卅';
const D = '[0-9０-９]';
const SP = '[\\s\\u3000\\u00a0]{0,3}';

// Written form with 年月日. Spaces are bounded so a hostile run of whitespace cannot cost more than a few steps.
const ARABIC_YMD = `(${D}{4})${SP}年${SP}(${D}{1,2})${SP}月${SP}(${D}{1,2})${SP}[日号號]`;
const CHINESE_YMD = `([${CN_YEAR_DIGIT}]{4})${SP}年${SP}([${CN_SMALL}]{1,3}|元)${SP}月${SP}([${CN_SMALL}]{1,3})${SP}[日号號]`;
// Numeric forms: one separator used twice (2016-12-01, 2016/12/1, 2016.12.01).
const NUMERIC = `(${D}{4})(?<sep>[-/.．／－])(${D}{1,2})\\k<sep>(${D}{1,2})`;

const WHOLE_ARABIC = new RegExp(`^${ARABIC_YMD}$`);
const WHOLE_CHINESE = new RegExp(`^${CHINESE_YMD}$`);
const WHOLE_NUMERIC = new RegExp(`^${NUMERIC}$`);
// A time of day may follow a field value (`2017-01-11 10:30:00`); it is not part of the date.
const TRAILING_TIME = /[\sT\u3000]+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?$/;

const FIND = new RegExp(`${ARABIC_YMD}|${CHINESE_YMD}|${NUMERIC}`, 'g');

function digits(s: string): number {
  return Number(s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)));
}

function chineseYear(s: string): number | null {
  return parseChineseNumber(s.replace(/[○OＯ零]/g, '〇'));
}

function chineseSmall(s: string): number | null {
  if (s === '元') return 1; // 元月: the first month
  return parseChineseNumber(s);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** ISO string for a valid calendar date, else null (2月30日, month 13, year outside 1900–2100). */
export function isoDate(y: number | null, m: number | null, d: number | null): string | null {
  if (y === null || m === null || d === null) return null;
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function fromGroups(g: (string | undefined)[]): string | null {
  // Groups: 1-3 Arabic 年月日, 4-6 Chinese 年月日, 7-10 numeric (7 year, 8 separator, 9 month, 10 day).
  if (g[1] !== undefined) return isoDate(digits(g[1]), digits(g[2]!), digits(g[3]!));
  if (g[4] !== undefined) return isoDate(chineseYear(g[4]), chineseSmall(g[5]!), chineseSmall(g[6]!));
  if (g[7] !== undefined) return isoDate(digits(g[7]), digits(g[9]!), digits(g[10]!));
  return null;
}

/**
 * A whole string read as one complete date, or null. Accepts `2016年12月1日`, `2016 年 12 月 1 日`,
 * full-width digits, `二〇〇六年十二月三十日`, `2016-12-01`, `2016/12/1`, `2016.12.01`, and a trailing
 * time of day. Partial dates (`2016年9月`) and impossible ones (`2月30日`) → null.
 */
export function parseDate(s: string): string | null {
  if (typeof s !== 'string' || s.length > 80) return null;
  const t = s.replace(/[\s\u3000\u00a0]+$/, '').replace(/^[\s\u3000\u00a0]+/, '').replace(TRAILING_TIME, '');
  let m = WHOLE_ARABIC.exec(t);
  if (m) return isoDate(digits(m[1]), digits(m[2]), digits(m[3]));
  m = WHOLE_CHINESE.exec(t);
  if (m) return isoDate(chineseYear(m[1]), chineseSmall(m[2]), chineseSmall(m[3]));
  m = WHOLE_NUMERIC.exec(t);
  if (m) return isoDate(digits(m[1]), digits(m[3]), digits(m[4]));
  return null;
}

/**
 * Every complete, valid date in a text, in order, with offsets. A numeric form glued to more digits
 * (`12016-12-01`, `2016-12-011`) is not a date.
 */
export function findDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  FIND.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FIND.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    const glued = /[0-9０-９]/.test(text[start - 1] ?? '') || (m[7] !== undefined && /[0-9０-９]/.test(text[end] ?? ''));
    const date = glued ? null : fromGroups(m as unknown as (string | undefined)[]);
    if (date) out.push({ date, raw: m[0], start, end });
  }
  return out;
}
