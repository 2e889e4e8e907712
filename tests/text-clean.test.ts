// Tests for cleanText: the per-block hygiene pass (controls, stray HTML, mojibake, pinyin) and its flags.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { cleanText } from '../lib/text/clean';
import { LOST_CHAR } from '../lib/text/mojibake';
import type { TextFlag } from '../lib/types';
import { SEEDS_DIR } from './support/paths';

const seedFiles = fs.readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
const readSeed = (prefix: string): string =>
  fs.readFileSync(path.join(SEEDS_DIR, seedFiles.find((f) => f.startsWith(prefix))!), 'utf8');

const TONED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ';
const PINYIN_NOTE = new RegExp(`[(（][a-zü${TONED}]{1,6}[)）]`);
const HAN = /[\u4e00-\u9fff]/;

function checkFlags(text: string, flags: TextFlag[]): void {
  let last = -1;
  for (const f of flags) {
    expect(f.start).toBeGreaterThanOrEqual(0);
    expect(f.end).toBeGreaterThanOrEqual(f.start);
    expect(f.end).toBeLessThanOrEqual(text.length);
    expect(f.start).toBeGreaterThanOrEqual(last); // in order of position
    expect(f.detail.length).toBeGreaterThan(0);
    last = f.start;
  }
}

describe('cleanText on seed 002 (pinyin, mojibake, stray </p>)', () => {
  const raw = readSeed('002');
  const { text, flags } = cleanText(raw);

  it('removes every toned pinyin note and reports each where it was', () => {
    const notes = (raw.match(new RegExp(PINYIN_NOTE.source, 'g')) ?? []).length;
    expect(notes).toBeGreaterThan(300);
    expect(text).not.toMatch(PINYIN_NOTE);
    const pinyin = flags.filter((f) => f.kind === 'pinyin-removed');
    // Every note in the raw text is either removed as such or was inside/after a repaired run.
    expect(pinyin.length).toBeGreaterThan(notes - 25);
    for (const f of pinyin) {
      expect(f.start).toBe(f.end);
      expect(f.detail).toMatch(PINYIN_NOTE);
      expect(text[f.start - 1]).toMatch(HAN); // the note followed a character that is still there
    }
    expect(text).toContain('《促進大數據發展行動綱要》');
  });

  it('repairs the garbled headings so (一)(二)… survive, with flags covering the repaired text', () => {
    const headings = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[（(][一二三四五六七八九十][）)]/.test(l));
    expect(headings.length).toBeGreaterThanOrEqual(21);
    expect(headings).toContain('（一）基本原則');
    expect(headings).toContain('（二）發展目標'); // pinyin removed after the repair restored 發
    expect(text).not.toMatch(/[\ue000-\uf8ff\u2500-\u257f\u3100-\u312f]/);
    const repaired = flags.filter((f) => f.kind === 'mojibake-repaired');
    expect(repaired.length).toBeGreaterThanOrEqual(19);
    for (const f of repaired) {
      const shown = /→ "([^"]*)"$/.exec(f.detail)![1];
      // The flag's span still covers exactly the repaired text after later steps removed pinyin.
      expect(shown.replace(new RegExp(PINYIN_NOTE.source, 'g'), '')).toBe(text.slice(f.start, f.end));
    }
  });

  it('marks every lost character with exactly one unrecoverable flag', () => {
    const lost = flags.filter((f) => f.kind === 'mojibake-unrecoverable');
    const at = [...text].flatMap((c, i) => (c === LOST_CHAR ? [i] : []));
    expect(at.length).toBeGreaterThan(0);
    expect(lost.map((f) => f.start)).toEqual(at);
    for (const f of lost) expect(f.end).toBe(f.start + 1);
  });

  it('drops the stray </p> fragments and keeps the Traditional script', () => {
    expect(raw).toContain('?/p>'); // the '<' went with the lost byte
    expect(text).not.toContain('</p>');
    expect(text).not.toContain('/p>');
    expect(text).toContain('數據');
    expect(text).not.toContain('数据');
    checkFlags(text, flags);
  });

  it('gives the same text line by line as on the whole document', () => {
    const perLine = raw.split('\n').map((l) => cleanText(l).text);
    expect(perLine.join('\n')).toBe(text);
  });
});

describe('cleanText leaves clean text alone, fast', () => {
  for (const prefix of ['000', '001', '003', '004']) {
    it(`returns seed ${prefix} unchanged with no flags`, () => {
      const raw = readSeed(prefix);
      const r = cleanText(raw);
      expect(r.text).toBe(raw);
      expect(r.flags).toEqual([]);
      for (const line of raw.split('\n')) expect(cleanText(line).text).toBe(line);
    });
  }

  it('cleans each whole seed in a few milliseconds', () => {
    for (const f of seedFiles) {
      const raw = fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8');
      cleanText(raw); // warm-up: code tables are built on first use
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        cleanText(raw);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      expect(times[2], f).toBeLessThan(15);
    }
  });
});

describe('cleanText on control characters and stray markup', () => {
  const line = readSeed('001')
    .split('\n')
    .find((l) => l.includes('市金融局牵头'))!;

  it('removes control and zero-width characters, one flag per line, and turns \\r into \\n', () => {
    const a = line.slice(0, 10);
    const b = line.slice(10, 30);
    const input = `${a}\u200b${b}\u0007\u0007\r\n${b}\ufeff\u00ad${a}\r${a}`;
    const r = cleanText(input);
    expect(r.text).toBe(`${a}${b}\n${b}${a}\n${a}`);
    const ctl = r.flags.filter((f) => f.kind === 'control-chars-removed');
    expect(ctl).toHaveLength(2);
    expect(ctl[0]).toMatchObject({ start: a.length, end: a.length + b.length });
    expect(ctl[0].detail).toContain('U+200B');
    expect(ctl[0].detail).toContain('U+0007×2');
    expect(ctl[1].start).toBe(a.length + b.length + 1 + b.length);
    checkFlags(r.text, r.flags);
  });

  it('removes stray tags and comments, decodes entities, keeps the responsibility note', () => {
    const input = `<p style="text-indent:2em">${line}</p><!-- 正文结束 --><br/>&nbsp;&nbsp;附件&#x4E00;&amp;&bogus;`;
    const r = cleanText(input);
    expect(r.text).toBe(`${line}\u00a0\u00a0附件一&&bogus;`);
    expect(r.text).toContain('市金融局牵头');
    const markup = r.flags.filter((f) => f.kind === 'markup-removed');
    expect(markup.map((f) => f.detail)).toEqual([
      '<p style="text-indent:2em">',
      '</p>',
      'HTML comment',
      '<br/>',
      '&nbsp; → U+00A0',
      '&nbsp; → U+00A0',
      '&#x4E00; → 一',
      '&amp; → &',
    ]);
    checkFlags(r.text, r.flags);
  });

  it('keeps angle brackets and parentheses that are not markup or pinyin', () => {
    const s = '《北京市“十三五”时期信息化发展规划》(1)(APP)(市金融局牵头) 3<5 且 x>2 <x> &c';
    expect(cleanText(s)).toEqual({ text: s, flags: [] });
  });

  it('shifts earlier flags when later steps remove text before them', () => {
    const garbled = readSeed('002')
      .split('\n')
      .find((l) => l.includes('l(fā)展目標'))!;
    const r = cleanText(`\u200b發(fā)展\n${garbled}`);
    const rep = r.flags.find((f) => f.kind === 'mojibake-repaired')!;
    expect(r.text.slice(rep.start, rep.end)).toBe('（二）發');
    expect(r.text).toBe('發展\n （二）發展目標');
    // Mid-line, the same lost byte is a lost character, not indentation.
    const mid = cleanText(`發展${garbled}`);
    expect(mid.text).toBe(`發展 ${LOST_CHAR}（二）發展目標`);
  });
});

describe('cleanText on hostile input', () => {
  const cases: Array<[string, string]> = [
    ['NUL flood', '\u0000'.repeat(500_000)],
    ['unclosed comments', '<!--'.repeat(100_000)],
    ['unclosed tags', '<p '.repeat(100_000)],
    ['entity soup', '&#99999999;&#xD800;&nbsp'.repeat(30_000)],
    ['pinyin soup', '發(fā)'.repeat(100_000)],
    ['mixed damage', '?。ㄒ唬┗驹瓌t\u200b</p>\r'.repeat(20_000)],
  ];
  for (const [name, input] of cases) {
    it(`survives ${name}`, () => {
      const t = performance.now();
      const r = cleanText(input);
      expect(performance.now() - t).toBeLessThan(3000);
      checkFlags(r.text, r.flags.slice(0, 2000));
    });
  }
});
