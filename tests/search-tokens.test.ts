// Search keys read per character from opencc's dictionaries equal what the opencc converter gives.
import fs from 'node:fs';
import path from 'node:path';
import { Converter } from 'opencc-js/t2cn';
import { Converter as ConverterCn2t } from 'opencc-js/cn2t';
import { describe, expect, it } from 'vitest';
import { simplifiedCharCode, toSimplifiedChars } from '../lib/text/script';
import { keyCodes, keyTableHash, searchKey } from '../lib/search/tokens';
import { SEEDS_DIR } from './support/paths';

const seedTexts = fs
  .readdirSync(SEEDS_DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8'));

const convert = Converter({ from: 't', to: 'cn' });
const toTraditional = ConverterCn2t({ from: 'cn', to: 't' });

/** The converter on one character, kept when its conversion changes the length (as toSimplifiedChars does). */
function referenceChar(c: number): number {
  const o = convert(String.fromCharCode(c));
  return o.length === 1 ? o.charCodeAt(0) : c;
}

describe('per-character conversion without the converter', () => {
  it('equals the converter on every BMP character', () => {
    const diffs: string[] = [];
    for (let c = 1; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (simplifiedCharCode(c) !== referenceChar(c)) diffs.push(c.toString(16));
    }
    expect(diffs).toEqual([]);
    // It does convert: Traditional characters of real 文号 and text.
    expect(String.fromCharCode(simplifiedCharCode('發'.charCodeAt(0)), simplifiedCharCode('號'.charCodeAt(0)))).toBe('发号');
  });

  it('toSimplifiedChars equals the converter on the seeds, in both scripts', () => {
    for (const text of seedTexts) {
      expect(toSimplifiedChars(text)).toBe(convert(text));
      const traditional = toTraditional(text);
      if (traditional.length === text.length) expect(toSimplifiedChars(traditional)).toBe(convert(traditional));
    }
    expect(toSimplifiedChars('網際網路資訊')).toBe('网际网路资讯');
    // Queries: one whose characters start dictionary entries (大, 金) without any entry occurring, and phrases that do occur.
    for (const q of ['大数据', '互联网 金融', '京政發〔2016〕57號', '乾隆年間', '一口吃個', '大衛']) expect(toSimplifiedChars(q)).toBe(convert(q));
  });

  it('keys text per character as the converter would', () => {
    for (const text of seedTexts) {
      const k = keyCodes(text);
      let ref = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const isCjk = (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
        if (isCjk && k.codes[ref] !== referenceChar(c)) throw new Error(`key of ${text[i]} at ${i}`);
        if (!isCjk) {
          // Non-CJK characters are folded or dropped: find the key unit by re-keying the character alone.
          const one = keyCodes(text[i]);
          if (!one.length) continue;
          expect(k.codes[ref]).toBe(one.codes[0]);
        }
        ref++;
      }
      expect(ref).toBe(k.length);
    }
    expect(searchKey('京政發〔2016〕57號')).toBe('京政发(2016)57号');
    expect(keyTableHash()).toMatch(/^[0-9a-z]+$/);
  });
});
