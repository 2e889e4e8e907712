// Chinese numerals (一 十二 二〇〇六 廿 两) to numbers, for clause labels and dates.

const DIGIT: Record<string, number> = {
  // ○ (U+25CB) stands in for 〇 in many typed dates: 二○○六年.
  〇: 0, '○': 0, 零: 0, O: 0, Ｏ: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 貳: 2, 两: 2, 兩: 2, 三: 3, 叁: 3, 參: 3,
  四: 4, 肆: 4, 五: 5, 伍: 5, 六: 6, 陆: 6, 陸: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };

/** Characters that may appear in a Chinese numeral. */
export const CN_NUMERAL_CHARS = '〇零一二三四五六七八九十百千两兩壹贰貳叁參肆伍陆陸柒捌玖拾佰仟廿卅';

/**
 * Value of a Chinese numeral: 十二 → 12, 二十 → 20, 一百零三 → 103, 廿一 → 21.
 * Digit-by-digit forms (二〇〇六) read positionally → 2006. Arabic digits (also full-width) pass through.
 * Returns null for anything else.
 */
export function parseChineseNumber(s: string): number | null {
  const t = s.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!t) return null;
  if (/^\d+$/.test(t)) return Number(t);
  if (t.length > 12) return null;
  const expanded = t.replace(/^廿/, '二十').replace(/^卅/, '三十');
  // Positional form: only digits, no units (years such as 二〇〇六, 一九九七).
  if ([...expanded].every((c) => c in DIGIT) && expanded.length > 1) {
    return Number([...expanded].map((c) => DIGIT[c]).join(''));
  }
  let total = 0;
  let current = 0;
  let digitPending = false; // a unit with no digit before it means one of it: 十二 = 12, 一千零十 = 1010
  for (const c of expanded) {
    if (c in DIGIT) {
      current = DIGIT[c];
      digitPending = current !== 0; // 零 only marks a gap: 一千零十 = 1010

    } else if (c in UNIT) {
      total += (digitPending ? current : 1) * UNIT[c];
      current = 0;
      digitPending = false;
    } else return null;
  }
  return total + current;
}
