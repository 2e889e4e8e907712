// Removes inline pinyin annotations that some 繁體 gateways insert after characters: 發(fā)展 → 發展.

const TONED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ';
// A Han character, then a parenthesised lower-case syllable (1–6 letters) that carries a tone mark.
// Requiring the tone mark keeps (1), (市金融局牵头) and (APP) untouched.
const PINYIN = new RegExp(
  `(?<=[\\u3400-\\u9fff\\uf900-\\ufaff])[(（]([a-zü${TONED}]{1,6})[)）]`,
  'g',
);
const HAS_TONE = new RegExp(`[${TONED}]`);

export interface Removal {
  /** Offset in the input string. */
  start: number;
  end: number;
}

/** Remove pinyin annotations; reports where each removal was in the input. */
export function stripPinyin(s: string): { text: string; removed: Removal[] } {
  const removed: Removal[] = [];
  if (!s.includes('(') && !s.includes('（')) return { text: s, removed };
  const text = s.replace(PINYIN, (m: string, syl: string, offset: number) => {
    if (!HAS_TONE.test(syl)) return m;
    removed.push({ start: offset, end: offset + m.length });
    return '';
  });
  return { text, removed };
}
