// Tests for highlight anchoring (lib/highlights/anchor.ts) and its parts, selectors.ts and fuzzy.ts,
// on real seed text: each method (exact, position, fuzzy), orphaning, ambiguity, speed, hostile input.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { anchor, anchorAll, matchKey, prepareText } from '../lib/highlights/anchor';
import { describe as describeSelection, CONTEXT_LENGTH } from '../lib/highlights/selectors';
import { editDistance, searchApprox } from '../lib/highlights/fuzzy';
import { toSimplifiedChars } from '../lib/text/script';
import { mulberry32 } from './support/perturb';
import { SEEDS_DIR } from './support/paths';

const seedFiles = fs.readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
const readSeed = (prefix: string): string =>
  fs.readFileSync(path.join(SEEDS_DIR, seedFiles.find((f) => f.startsWith(prefix))!), 'utf8');
const s000 = readSeed('000'); // Traditional
const s001 = readSeed('001'); // Simplified, the news lead repeats the opening paragraph
const s003 = readSeed('003');
const s004 = readSeed('004');

/** Offsets of the nth occurrence of a phrase in a seed (fails the test when absent). */
function spanOf(text: string, phrase: string, nth = 0): { start: number; end: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(phrase, i + 1);
    expect(i, `${phrase} #${nth}`).toBeGreaterThanOrEqual(0);
  }
  return { start: i, end: i + phrase.length };
}

function selAt(text: string, phrase: string, nth = 0) {
  const { start, end } = spanOf(text, phrase, nth);
  return describeSelection(text, start, end);
}

/** The text an anchor covers. */
const covered = (text: string, a: { start: number; end: number } | null) => (a ? text.slice(a.start, a.end) : null);

describe('describe (selectors)', () => {
  it('keeps the quote and 32 characters of context on each side', () => {
    const { start, end } = spanOf(s004, '沈政办发〔2016〕23号');
    const sel = describeSelection(s004, start, end);
    expect(sel.quote).toBe('沈政办发〔2016〕23号');
    expect(sel.prefix).toBe(s004.slice(start - CONTEXT_LENGTH, start));
    expect(sel.suffix).toBe(s004.slice(end, end + CONTEXT_LENGTH));
    expect(sel.prefix.length).toBe(32);
    expect([sel.start, sel.end]).toEqual([start, end]);
  });

  it('clamps offsets to the text, orders them and shortens context at the edges', () => {
    const sel = describeSelection(s003, 10, -5);
    expect([sel.start, sel.end, sel.prefix]).toEqual([0, 10, '']);
    const tail = describeSelection(s003, s003.length - 4, s003.length + 100);
    expect(tail.quote).toBe(s003.slice(-4));
    expect(tail.suffix).toBe('');
    expect(describeSelection(s003, 5, 5, { contextLength: 4 }).prefix).toBe(s003.slice(1, 5));
  });

  it('never cuts a surrogate pair', () => {
    const text = '第一条𠀋𠀋规定';
    const sel = describeSelection(text, 4, 6); // starts inside the first pair, ends inside the second
    expect(sel.quote).toBe('𠀋𠀋');
    expect(sel.prefix).toBe('第一条');
  });
});

describe('matching key', () => {
  it('gives a Traditional page and its Simplified conversion the same key, with offsets back to the text', () => {
    const trad = s000.slice(0, 3000);
    const a = prepareText(trad);
    const b = prepareText(toSimplifiedChars(trad));
    expect(a.key).toBe(b.key);
    for (let i = 0; i < a.key.length; i += 97) expect(matchKey(trad[a.map[i]])).toBe(a.key[i]);
  });

  it('drops whitespace and folds ，/, ：/: 〔〕/[] “”/" 。/.', () => {
    expect(matchKey('京政发〔2016〕4号，\n  现将“互联网+”。')).toBe(matchKey('京政发[2016]4号, 现将"互联网+".'));
    expect(matchKey('\u3000\u3000各區人民政府')).toBe('各区人民政府');
  });
});

describe('fuzzy search (Myers bit-parallel)', () => {
  it('returns spans whose edit distance is the reported one, and finds the best', () => {
    const rng = mulberry32(7);
    const hay = s004.slice(2000, 6000);
    for (let t = 0; t < 60; t++) {
      const m = 5 + Math.floor(rng() * 90); // both one-word and multi-word patterns
      const at = Math.floor(rng() * (hay.length - m));
      let pat = hay.slice(at, at + m);
      const p = Math.floor(rng() * m);
      pat = pat.slice(0, p) + '某' + pat.slice(p + 1); // one substitution
      const k = Math.floor(m / 4);
      const res = searchApprox(hay, pat, k);
      expect(res.length).toBeGreaterThan(0);
      for (const r of res) expect(editDistance(pat, hay.slice(r.start, r.end))).toBe(r.errors);
      expect(res[0].errors).toBeLessThanOrEqual(1);
      expect(res.some((r) => Math.abs(r.start - at) <= 1)).toBe(true);
    }
  });

  it('finds a long edited quote through the chunked strategy too', () => {
    const { start } = spanOf(s001, '(三)');
    const quote = s001.slice(start, start + 400);
    const edited = s001.slice(0, start + 100) + '新增' + s001.slice(start + 100, start + 300) + s001.slice(start + 305);
    for (const budget of [0, Infinity]) {
      const [best] = searchApprox(edited, quote, 40, { budget });
      expect(best.start).toBe(start);
      expect(best.end).toBe(start + 400 + 2 - 5);
      expect(best.errors).toBe(7);
    }
  });

  it('editDistance: known values and early stop', () => {
    expect(editDistance('大数据发展', '大数据发展')).toBe(0);
    expect(editDistance('大数据发展', '大數據发展')).toBe(2);
    expect(editDistance('', '政策')).toBe(2);
    expect(editDistance('互联网+行动', '行动互联网', 1)).toBe(2);
  });
});

describe('anchor: exact', () => {
  it('finds an unchanged highlight where it was', () => {
    const sel = selAt(s003, '公共数据开放单位超过90%');
    expect(anchor(s003, sel)).toEqual({ start: sel.start, end: sel.end, score: 1, method: 'exact' });
  });

  it('follows text inserted before it', () => {
    const sel = selAt(s004, '沈阳市人民政府办公厅');
    const ins = s003.slice(0, 500);
    const a = anchor(ins + s004, sel);
    expect(a).toMatchObject({ start: sel.start + 500, end: sel.end + 500, method: 'exact' });
  });

  it('picks the right occurrence of a repeated phrase by its context', () => {
    // 大数据 occurs dozens of times in seed 004; take the 10th and move everything with an insertion.
    const sel = selAt(s004, '大数据', 10);
    const changed = s004.slice(0, 100) + s003.slice(0, 300) + s004.slice(100);
    const a = anchor(changed, sel)!;
    expect(a.start).toBe(sel.start + 300);
    expect(a.method).toBe('exact');
  });

  it('survives a switch to Simplified script and to half-width punctuation', () => {
    const sel = selAt(s000, '公共數據開放單位超過90%');
    const simp = toSimplifiedChars(s000).replace(/，/g, ',');
    expect(simp.slice(sel.start, sel.end)).toBe('公共数据开放单位超过90%');
    expect(anchor(simp, sel)).toMatchObject({ start: sel.start, end: sel.end, method: 'exact' });
  });

  it('survives reflowed paragraphs: a highlight across a line break in a re-joined copy', () => {
    const nl = s001.indexOf('\n', 3000);
    const sel = describeSelection(s001, nl - 10, nl + 12);
    expect(sel.quote).toContain('\n');
    const copy = s001.replace(/\n/g, '\n\n\u3000\u3000');
    const shift = (s001.slice(0, nl).match(/\n/g)?.length ?? 0) * 3;
    const a = anchor(copy, sel)!;
    expect(a.start).toBe(nl - 10 + shift);
    expect(copy.slice(a.start, a.end).replace(/\s/g, '')).toBe(sel.quote.replace(/\s/g, ''));
  });

  it('keeps to the copy nearest its old place when the copies read the same (seed 001 news lead)', () => {
    const phrase = '推进互联网的创新成果与首都经济社会各领域深度融合';
    for (const nth of [0, 1]) {
      const sel = selAt(s001, phrase, nth);
      expect(anchor(s001, sel)).toMatchObject({ start: sel.start, method: 'exact' });
    }
  });
});

describe('anchor: position', () => {
  it('accepts the edited quote at its old offsets', () => {
    const sel = selAt(s004, '建设数据强市');
    const wide = describeSelection(s004, sel.start - 10, sel.end + 10);
    const p = sel.start + 2;
    const changed = s004.slice(0, p) + '大' + s004.slice(p + 1); // 数 → 大 inside the quote
    const a = anchor(changed, wide)!;
    expect(a).toMatchObject({ start: wide.start, end: wide.end, method: 'position' });
    expect(a.score).toBeLessThan(1);
  });
});

describe('anchor: fuzzy', () => {
  it('finds an edited quote that also moved', () => {
    const { start } = spanOf(s001, '(二)');
    const sel = describeSelection(s001, start + 20, start + 60);
    const p = sel.start + 15;
    const edited = s001.slice(0, p) + s001.slice(p + 1); // one character gone from the quote
    const changed = s003.slice(0, 800) + edited;
    const a = anchor(changed, sel)!;
    expect(a).toMatchObject({ start: sel.start + 800, end: sel.end + 800 - 1, method: 'fuzzy' });
  });
});

describe('anchor: orphans and ambiguity', () => {
  it('orphans a highlight whose sentence was deleted', () => {
    const target = '(此件公开发布)';
    const sel = selAt(s004, target);
    expect(anchor(s004.replace(target, ''), sel)).toBeNull();
  });

  it('does not jump to the same words in another sentence', () => {
    // 大数据产业 stays in the document elsewhere, but its sentence here is gone.
    const sel = selAt(s004, '大数据产业', 2);
    const a = s004.lastIndexOf('。', sel.start) + 1;
    const b = s004.indexOf('。', sel.end) + 1;
    const changed = s004.slice(0, a) + s004.slice(b);
    expect(matchKey(changed)).toContain('大数据产业');
    expect(anchor(changed, sel)).toBeNull();
  });

  it('orphans a quote that is both edited and stripped of one side of its context', () => {
    const { start } = spanOf(s001, '(四)');
    const sel = describeSelection(s001, start + 40, start + 70);
    const p = sel.start + 12;
    const changed = s001.slice(0, sel.start - 40) + s003.slice(100, 300) + s001.slice(sel.start, p) + '某某' + s001.slice(p + 2);
    expect(anchor(changed, sel)).toBeNull();
  });

  it('refuses to choose between identical copies equally far from the old place', () => {
    const para = s001.slice(s001.indexOf('(二)'), s001.indexOf('(二)') + 300);
    const filler = s004.slice(0, 400);
    const original = filler + para;
    const sel = describeSelection(original, 400 + 100, 400 + 130); // context inside the paragraph
    // Copies at 100 and 100 + 300 + 1 + gap; the old start (500) is 400 from the first, so gap = 499.
    const changed = para + '\n' + s003.slice(0, 499) + para;
    expect(anchor(changed, sel)).toBeNull();
    // Nudged nearer one copy, it is found again.
    expect(anchor(changed, { ...sel, start: 120, end: 150 })).toMatchObject({ start: 100, method: 'exact' });
  });

  it('returns null for an empty or whitespace quote and for an empty text', () => {
    expect(anchor(s003, describeSelection(s003, 5, 5))).toBeNull();
    expect(anchor('', selAt(s003, '行动计划'))).toBeNull();
    expect(anchor(s003, { quote: ' \n\u3000', prefix: '', suffix: '', start: 0, end: 3 })).toBeNull();
  });
});

describe('anchor: speed and hostile input', () => {
  const largest = [s000, s001, s004].reduce((a, b) => (b.length > a.length ? b : a));

  it('re-anchors 100 highlights on the largest seed well under a second, even when all need the fuzzy scan', () => {
    const rng = mulberry32(11);
    const sels = Array.from({ length: 100 }, () => {
      const s = Math.floor(rng() * (largest.length - 80));
      return describeSelection(largest, s, s + 5 + Math.floor(rng() * 56));
    });
    let edited = largest;
    for (const s of sels) edited = edited.slice(0, s.start + 2) + '某' + edited.slice(s.start + 3);
    const changed = s003 + edited; // moved and edited: exact and position checks fail
    const t0 = performance.now();
    const res = anchorAll(changed, sels);
    const ms = performance.now() - t0;
    console.log(`100 edited+moved highlights on ${largest.length} chars: ${ms.toFixed(1)} ms, anchored ${res.filter(Boolean).length}`);
    expect(ms).toBeLessThan(1000);
    // None may be misplaced. (Quotes the seed holds twice, as in 001's repeated lead paragraph, may
    // rightly land on the unedited copy, so only unique quotes are checked for their place.)
    const key = matchKey(largest);
    for (let i = 0; i < sels.length; i++) {
      const a = res[i];
      const q = matchKey(sels[i].quote);
      if (!a || key.indexOf(q) !== key.lastIndexOf(q)) continue;
      expect(Math.abs(a.start - (sels[i].start + s003.length))).toBeLessThanOrEqual(2);
    }
    expect(res.filter(Boolean).length).toBeGreaterThan(80);
  });

  it('does not hang on huge or hostile text', () => {
    const junk = '\u0000\u0001\ud800a\u200b'.repeat(100_000);
    const t0 = performance.now();
    expect(anchor(junk, describeSelection(junk, 1000, 1040))).not.toBeUndefined();
    const long = describeSelection(s001, 0, s001.length); // the whole document as one quote
    expect(anchor(s004 + s001, long)).toMatchObject({ start: s004.length, method: 'exact' });
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
