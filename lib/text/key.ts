// Matching keys: one spelling for the same words whatever the script, width, pinyin or quotes.
import { stripPinyin } from './pinyin';
import { toMainland, toSimplifiedChars } from './script';
import { foldWidth, stripSpace } from './width';

const QUOTES = /[“”"'‘’「」『』《》〈〉<>]/g;

/** Key for comparing phrases across scripts and Taiwan phrasing: 網際網路資訊 → 互联网信息. */
export function textKey(s: string): string {
  return stripSpace(foldWidth(toMainland(stripPinyin(s).text)));
}

/** Offset-preserving key (character-level conversion only): for positions that map back to text. */
export function charKey(s: string): string {
  return foldWidth(toSimplifiedChars(s));
}

/** Key for a document title: textKey without quotes and angle brackets, so 《北京市“十三五”…》 matches. */
export function titleKey(s: string): string {
  return textKey(s).replace(QUOTES, '').replace(/[—–－]/g, '-');
}
