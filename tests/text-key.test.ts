// Tests for the existing text helpers: matching keys (key.ts), script conversion (script.ts),
// pinyin stripping (pinyin.ts), width folding (width.ts) and Chinese numerals (numerals.ts).
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { charKey, textKey, titleKey } from '../lib/text/key';
import { taiwanVariants, toMainland, toSimplifiedChars, traditionalShare } from '../lib/text/script';
import { stripPinyin } from '../lib/text/pinyin';
import { foldWidth, squashSpace, stripSpace } from '../lib/text/width';
import { CN_NUMERAL_CHARS, parseChineseNumber } from '../lib/text/numerals';
import { GOVCN_DIR, HAS_GOVCN, SEEDS_DIR } from './support/paths';

const seedFiles = fs.readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
const readSeed = (prefix: string): string =>
  fs.readFileSync(path.join(SEEDS_DIR, seedFiles.find((f) => f.startsWith(prefix))!), 'utf8');
const s000 = readSeed('000');
const s001 = readSeed('001');
const s002 = readSeed('002');
const s003 = readSeed('003');
const s004 = readSeed('004');

/** The first match of a pattern in a seed, so tests use the seed's own spelling. */
function find(text: string, re: RegExp): string {
  const m = re.exec(text);
  expect(m, String(re)).not.toBeNull();
  return m![0];
}

describe('matching keys across the seeds (QUIRKS.md cross-links)', () => {
  it('matches the 90% open-data target written in both scripts (000 ↔ 003)', () => {
    const trad = find(s000, /公共數據開放單位超過90%/);
    const simp = find(s003, /公共数据开放单位超过90%/);
    expect(charKey(trad)).toBe(charKey(simp));
    expect(textKey(trad)).toBe(textKey(simp));
  });

  it('matches 《北京市信息化促進條例》 and 《北京市信息化促进条例》 (000 ↔ 003)', () => {
    const trad = find(s000, /《北京市信息化促進條例》/);
    const simp = find(s003, /《北京市信息化促进条例》/);
    expect(titleKey(trad)).toBe(titleKey(simp));
    expect(titleKey(trad)).toBe(titleKey('北京市信息化促进条例'));
  });

  it('matches the national action plan named with pinyin inside the title (002 ↔ 004)', () => {
    const withPinyin = find(s002, /《促進大數據發\(fā\)展行動綱要》/);
    const plain = find(s004, /促进大数据发展行动纲要/);
    expect(titleKey(withPinyin)).toBe(titleKey(plain));
  });

  it('maps Taiwan phrasing in seed 000 to mainland words', () => {
    expect(textKey(find(s000, /網際網路/))).toBe(textKey('互联网'));
    expect(textKey(find(s000, /資訊/))).toBe('信息');
    expect(textKey(find(s000, /行動通訊/))).toBe('移动通信');
    expect(toMainland('資訊共用')).toBe('信息共享');
    expect(taiwanVariants('互联网信息')).toContain('网际网路信息');
  });

  it('gives a line of seed 000 and its Simplified spelling the same key', () => {
    const line = find(s000, /[^\n]*網際網路[^\n]*/);
    const simplifiedLine = toSimplifiedChars(line);
    expect(simplifiedLine).not.toBe(line);
    expect(textKey(line)).toBe(textKey(simplifiedLine));
  });

  it('ignores quotes, book-title marks, width and spaces in titles', () => {
    const title = find(s000, /北京市“十三五”時期信息化發展規劃/);
    expect(titleKey(`《${title}》`)).toBe(titleKey(title.replace(/[“”]/g, '"')));
    expect(titleKey('北京市 “十三五” 时期\n信息化发展规划')).toBe(titleKey(title));
    expect(titleKey(find(s000, /《北京市實施〈居住證暫行條例〉辦法》/))).toBe(titleKey('北京市实施居住证暂行条例办法'));
  });

  it('keeps charKey length-preserving on every seed', () => {
    for (const f of seedFiles) {
      const s = fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8');
      expect(charKey(s).length, f).toBe(s.length);
    }
  });
});

describe('script conversion', () => {
  it('measures the Traditional share of each seed', () => {
    expect(traditionalShare(s000)).toBeGreaterThan(0.2);
    expect(traditionalShare(s002)).toBeGreaterThan(0.2);
    for (const s of [s001, s003, s004]) expect(traditionalShare(s)).toBeLessThan(0.02);
  });

  it('still converts text holding a character whose Simplified form is astral (勣 → 𪟝)', () => {
    // opencc maps ~150 rare characters outside the BMP; the length guard used to return the whole
    // input unconverted when one of them appeared.
    const line = find(s000, /[^\n]*網際網路[^\n]*/);
    const plain = toSimplifiedChars(line);
    const withRare = toSimplifiedChars(`勣${line}鈇`);
    expect(withRare.length).toBe(line.length + 2);
    expect(withRare).toBe(`勣${plain}鈇`);
    expect(withRare).toContain('网际网路');
  });

  it('leaves Simplified seeds unchanged character by character', () => {
    for (const s of [s001, s004]) expect(toSimplifiedChars(s)).toBe(s);
  });
});

describe('stripPinyin', () => {
  it('removes the inline notes of seed 002 and reports their spans in the input', () => {
    const { text, removed } = stripPinyin(s002);
    expect(removed.length).toBeGreaterThan(300);
    for (const r of removed) expect(s002.slice(r.start, r.end)).toMatch(/^[(（][a-zü\u00e0-\u01dc]{1,6}[)）]$/);
    let rebuilt = '';
    let last = 0;
    for (const r of removed) {
      rebuilt += s002.slice(last, r.start);
      last = r.end;
    }
    expect(rebuilt + s002.slice(last)).toBe(text);
    expect(text).toContain('上海市大數據發展實施意見');
  });

  it('keeps numbered items, responsibility notes and acronyms', () => {
    for (const s of [s001, s003, s004]) {
      const r = stripPinyin(s);
      expect(r.removed).toEqual([]);
      expect(r.text).toBe(s);
    }
    const note = find(s001, /[(（]市[^)）\n]{0,40}牵头[^)）\n]{0,80}[)）]/);
    expect(stripPinyin(note).text).toBe(note);
    expect(stripPinyin('(1)健全(APP)應用(ok)').text).toBe('(1)健全(APP)應用(ok)');
  });
});

describe('width and space helpers', () => {
  it('folds full-width forms without changing length', () => {
    expect(foldWidth('（一）ＡＰＰ，１２：　')).toBe('(一)APP,12: ');
    for (const s of [s000, s002]) expect(foldWidth(s).length).toBe(s.length);
  });

  it('squashes and strips whitespace, including ideographic spaces and zero-width ones', () => {
    expect(squashSpace('  北京市\u3000 人民政府\n\n ')).toBe('北京市 人民政府');
    expect(stripSpace(' 北京市\u3000人民\u200b政府\ufeff ')).toBe('北京市人民政府');
  });
});

const CN_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

describe('parseChineseNumber', () => {
  it('reads the part numbers 一、…七、 of the seeds in order', () => {
    for (const s of [s000, s001, s002, s004]) {
      const labels = [...s.matchAll(/^\s*([一二三四五六七八九十]+)、/gm)].map((m) => parseChineseNumber(m[1]));
      expect(labels.length).toBeGreaterThanOrEqual(3);
      expect(labels).toEqual(labels.map((_, i) => i + 1));
    }
  });

  it('reads (一)…(九) section numbers, restarting in each part', () => {
    const labels = [...s001.matchAll(/^\s*[（(]([一二三四五六七八九十]+)[）)]/gm)].map((m) => parseChineseNumber(m[1])!);
    expect(labels.length).toBeGreaterThan(10);
    for (let i = 1; i < labels.length; i++) expect(labels[i] === labels[i - 1] + 1 || labels[i] === 1).toBe(true);
    expect(Math.max(...labels)).toBe(9);
  });

  it('handles tens, hundreds, zeros, positional years and width', () => {
    const cases: Array<[string, number | null]> = [
      ['十', 10],
      ['十二', 12],
      ['二十', 20],
      ['三十六', 36],
      ['一百零三', 103],
      ['一千零十', 1010],
      ['两千', 2000],
      ['廿一', 21],
      ['二〇〇六', 2006],
      ['一九九七', 1997],
      ['二O一六', 2016],
      ['二○○六', 2006], // U+25CB WHITE CIRCLE, common in typed dates
      ['２０１６', 2016],
      ['57', 57],
      ['', null],
      ['第一', null],
      ['abc', null],
    ];
    for (const [input, want] of cases) expect(parseChineseNumber(input), input).toBe(want);
    CN_ORDINALS.forEach((c, i) => expect(parseChineseNumber(c)).toBe(i + 1));
    for (const c of '〇零一二三四五六七八九十') expect(CN_NUMERAL_CHARS).toContain(c);
  });

  it('does not hang or throw on long or odd input', () => {
    expect(parseChineseNumber('一'.repeat(100_000))).toBeNull();
    expect(parseChineseNumber('\u0000\ud800')).toBeNull();
  });
});

describe.skipIf(!HAS_GOVCN)('parseChineseNumber on gov.cn pages (../shared/fixtures/govcn)', () => {
  const pages = HAS_GOVCN
    ? fs
        .readdirSync(GOVCN_DIR)
        .filter((f) => f.endsWith('.html'))
        .map((f) => ({ f, text: fs.readFileSync(path.join(GOVCN_DIR, f), 'utf8').replace(/<[^>]*>/g, '\n') }))
    : [];

  it('reads 第X条 articles as 1, 2, 3 … in order', () => {
    let checked = 0;
    for (const { f, text } of pages) {
      const arts = [...text.matchAll(/^[\s\u3000]*第([一二三四五六七八九十百零]+)条/gm)].map((m) => parseChineseNumber(m[1]));
      if (arts.length < 5) continue;
      expect(arts, f).toEqual(arts.map((_, i) => i + 1));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('reads dates written in Chinese numerals', () => {
    let checked = 0;
    for (const { text } of pages) {
      for (const m of text.matchAll(/([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日/g)) {
        const year = parseChineseNumber(m[1])!;
        const month = parseChineseNumber(m[2])!;
        const day = parseChineseNumber(m[3])!;
        expect(year).toBeGreaterThanOrEqual(1949);
        expect(year).toBeLessThanOrEqual(2030);
        expect(month).toBeGreaterThanOrEqual(1);
        expect(month).toBeLessThanOrEqual(12);
        expect(day).toBeGreaterThanOrEqual(1);
        expect(day).toBeLessThanOrEqual(31);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
