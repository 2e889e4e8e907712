// Tests for GBK mojibake repair on the real damage in seed 002 and on damage made the same way.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { LOST_CHAR, looksMisdecoded, repairMojibake } from '../lib/text/mojibake';
import { foldWidth } from '../lib/text/width';
import { SEEDS_DIR } from './support/paths';

const seedFiles = fs.readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
const readSeed = (prefix: string): string =>
  fs.readFileSync(path.join(SEEDS_DIR, seedFiles.find((f) => f.startsWith(prefix))!), 'utf8');
const seed002Lines = readSeed('002').split('\n');

const CN_DIGITS = '一二三四五六七八九十';
/** Second-level heading (一)…(十), full- or half-width brackets; returns its ordinal. */
function sectionOrdinal(line: string): number | null {
  const m = /^\s*[（(]([一二三四五六七八九十])[）)]/.exec(line);
  return m ? CN_DIGITS.indexOf(m[1]) + 1 : null;
}
const isTopHeading = (line: string): boolean => /^\s*[一二三四五六七八九十]+、/.test(line);

/** Marks of damage that must not survive a repair: PUA, box drawing, bopomofo. */
const GARBAGE = /[\ue000-\uf8ff\u2500-\u257f\u3100-\u312f]/;

describe('repairMojibake on seed 002', () => {
  const garbledHeadings = seed002Lines
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => /^\s*\?。/.test(line)); // '?' then the 。 that 　( A1 A1 ) + （ became

  it('finds the garbled second-level headings', () => {
    expect(garbledHeadings.length).toBeGreaterThanOrEqual(15);
    for (const { line } of garbledHeadings) expect(looksMisdecoded(line)).toBe(true);
  });

  it('repairs every garbled heading to （N） and keeps (一)(二)… in sequence within each part', () => {
    let expected = 1;
    let headings = 0;
    const garbledIdx = new Set(garbledHeadings.map((g) => g.i));
    seed002Lines.forEach((raw, i) => {
      const line = repairMojibake(raw).text;
      if (isTopHeading(line)) expected = 1;
      const n = sectionOrdinal(line);
      if (garbledIdx.has(i)) expect(n, `line ${i + 1}: ${line}`).not.toBeNull();
      if (n === null) return;
      expect(n, `line ${i + 1}: ${line}`).toBe(expected);
      expected++;
      headings++;
    });
    expect(headings).toBeGreaterThan(garbledHeadings.length); // the intact (二)(三) count too
  });

  it('restores the heading text QUIRKS.md records, without leftovers', () => {
    const first = repairMojibake(garbledHeadings[0].line);
    expect(first.text.trim()).toBe('（一）基本原則');
    expect(first.unrecoverable).toEqual([]); // the lost byte was the indent's 　: dropped, not marked
    for (const { line } of garbledHeadings) {
      const r = repairMojibake(line);
      expect(r.text).not.toMatch(GARBAGE);
      expect(r.text).not.toContain('?');
      expect(r.text).not.toContain('/p>'); // the '<' of `</p>` was eaten with the lost byte
    }
  });

  it('keeps the pinyin note that follows a repaired character and drops the tails the damage cut', () => {
    const r = repairMojibake(garbledHeadings.find((g) => g.line.includes('l(fā)展目標'))!.line);
    expect(r.text.trim()).toBe('（二）發(fā)展目標');
    // `?yōu)化`: the trail of 優 and the '(' of its note were lost together.
    const opt = repairMojibake(seed002Lines.find((l) => l.includes('?yōu)化數據中心'))!);
    expect(opt.text.trim()).toBe(`（一）${LOST_CHAR}化數據中心布局`);
    expect(opt.unrecoverable).toHaveLength(1);
  });

  it('reports offsets in the output and the garbled original it replaced', () => {
    for (const line of seed002Lines) {
      const r = repairMojibake(line);
      for (const rep of r.repaired) {
        expect(line.slice(rep.sourceStart, rep.sourceEnd)).toBe(rep.original);
        expect(rep.end).toBeGreaterThan(rep.start);
        expect(r.text.slice(rep.start, rep.end)).not.toMatch(GARBAGE);
      }
      const lostAt = [...r.text].flatMap((c, i) => (c === LOST_CHAR ? [i] : []));
      expect(r.unrecoverable.map((u) => u.start)).toEqual(lostAt);
      for (const u of r.unrecoverable) expect(u.end - u.start).toBe(1);
    }
  });

  it('repairs runs inside body lines and marks what is lost instead of guessing', () => {
    const rise = repairMojibake(seed002Lines.find((l) => l.includes('躍升?;'))!);
    expect(rise.text).toContain(`躍升${LOST_CHAR}基本形成高端智${LOST_CHAR}、新興`);
    expect(rise.unrecoverable).toHaveLength(2);
    const env = repairMojibake(seed002Lines.find((l) => l.includes('有序?;'))!);
    expect(env.text).toContain('基本建成較完備的技術研發');
    const truth = repairMojibake(seed002Lines.find((l) => l.includes('真?zhèn)'))!);
    expect(truth.text).toContain(`真${LOST_CHAR}識別與取證`);
    const centres = repairMojibake(seed002Lines.find((l) => l.includes('上?!'))!);
    expect(centres.text).toContain('“四個中心”');
  });

  it('is idempotent: repaired text is left alone', () => {
    for (const line of seed002Lines) {
      const once = repairMojibake(line).text;
      expect(repairMojibake(once).text).toBe(once);
    }
  });
});

describe('repairMojibake leaves normal text alone', () => {
  const cleanLines = seedFiles
    .flatMap((f) => fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8').split('\n'))
    .filter((l) => !looksMisdecoded(l));

  it('does not touch any seed line without the damage signature (all five seeds)', () => {
    expect(cleanLines.length).toBeGreaterThan(550);
    for (const line of cleanLines) expect(repairMojibake(line).text).toBe(line);
  });

  it('does not flag clean seed lines', () => {
    for (const f of seedFiles.filter((f) => !f.startsWith('002'))) {
      for (const line of fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8').split('\n')) {
        expect(looksMisdecoded(line), line).toBe(false);
        expect(repairMojibake(line).text).toBe(line);
      }
    }
  });

  it('keeps a real question mark followed by Chinese text (no false repair)', () => {
    let tried = 0;
    for (const line of cleanLines) {
      if (!/[\u4e00-\u9fff]{6}/.test(line)) continue;
      for (let i = 3; i < line.length; i += 11) {
        const s = line.slice(0, i) + '?' + line.slice(i);
        tried++;
        expect(repairMojibake(s).text, s).toBe(s);
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });
});

/** GBK bytes of a string, from inverting TextDecoder (independent of the module under test). */
function gbkBytes(s: string, table: Map<string, number>): number[] | null {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) out.push(c);
    else if (table.has(ch)) out.push(table.get(ch)! >> 8, table.get(ch)! & 0xff);
    else return null;
  }
  return out;
}

/** A broken decoder as seen in the seed: invalid pairs become one '?', a lone 0x80 becomes €. */
function brokenDecode(bytes: number[]): string {
  const dec = new TextDecoder('gbk');
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
    } else if (b === 0x80) {
      out += '€';
      i++;
    } else {
      const t = bytes[i + 1];
      const valid = t !== undefined && t >= 0x40 && t !== 0x7f && t !== 0xff;
      out += valid ? dec.decode(new Uint8Array([b, t])) : '?';
      i += 2;
    }
  }
  return out;
}

describe('repairMojibake on damage made the way seed 002 was damaged', () => {
  it('recovers most lines where one lead byte became "?" and marks the lost character', () => {
    const table = new Map<string, number>();
    const dec = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([a, b]));
        if (!table.has(ch)) table.set(ch, (a << 8) | b);
      }
    const lines = ['000', '001', '003', '004']
      .flatMap((p) => readSeed(p).split('\n'))
      .map((l) => l.trim())
      .filter((l) => l.length >= 12 && /[\u4e00-\u9fff]/.test(l) && !l.includes('?'));
    let total = 0;
    let recovered = 0;
    let wrong = 0;
    lines.forEach((line, n) => {
      const bytes = gbkBytes(line, table);
      if (!bytes) return;
      const leads: number[] = [];
      for (let i = 0; i < bytes.length; i += bytes[i] >= 0x81 ? 2 : 1) if (bytes[i] >= 0x81) leads.push(i);
      if (leads.length < 6) return;
      const k = leads[(n * 7919) % leads.length];
      const damaged = bytes.slice();
      damaged[k] = 0x3f;
      // The seed's text also went through width folding after the damage (；→;).
      const garbled = foldWidth(brokenDecode(damaged));
      const target = foldWidth(line);
      const out = foldWidth(repairMojibake(garbled).text);
      total++;
      if (out === garbled) return;
      // A lost character is a wildcard for itself and the ASCII byte the broken decoder may have
      // swallowed with it (`務,` → `?`); everything else must be the original text.
      const pattern = out
        .split(LOST_CHAR)
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.{1,2}');
      if (new RegExp(`^${pattern}$`, 's').test(target)) recovered++;
      else wrong++;
    });
    expect(total).toBeGreaterThan(150);
    expect(recovered / total).toBeGreaterThan(0.55);
    expect(wrong / total).toBeLessThan(0.05);
  });
});

describe('repairMojibake on hostile input', () => {
  const cases: Array<[string, string]> = [
    ['question marks', '?'.repeat(300_000)],
    ['private use', '\ue000'.repeat(300_000)],
    ['garbled heading repeated', '?。ㄒ唬┗驹瓌t'.repeat(30_000)],
    ['marks and replacement chars', '?\ufffd'.repeat(150_000)],
    ['lone surrogates and controls', '?\ud800\u0000?\udfff\u0007'.repeat(50_000)],
    ['pinyin tails', '?yōu)'.repeat(60_000)],
  ];
  for (const [name, input] of cases) {
    it(`survives ${name}`, () => {
      const t = performance.now();
      const r = repairMojibake(input);
      expect(performance.now() - t).toBeLessThan(3000);
      expect(typeof r.text).toBe('string');
      for (const u of r.unrecoverable.slice(0, 100)) expect(r.text[u.start]).toBe(LOST_CHAR);
    });
  }
});
