// Tests for citation extraction: 《titles》, 文号, title+number pairs, aliases and 印发 links, on seeds and gov.cn pages.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { extractCitations, issuedTitle } from '../lib/citations/citations';
import { titleKey } from '../lib/text/key';
import type { Citation } from '../lib/types';
import { GOVCN_DIR, HAS_GOVCN, SEEDS_DIR } from './support/paths';

function seed(prefix: string): string {
  const f = fs.readdirSync(SEEDS_DIR).find((n) => n.startsWith(prefix) && n.endsWith('.txt'));
  if (!f) throw new Error(`seed ${prefix} missing`);
  return fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8');
}

/** Invariants every result must keep: exact offsets, sorted, no overlaps. */
function checkShape(text: string, cs: Citation[]): void {
  let last = -1;
  for (const c of cs) {
    expect(text.slice(c.start, c.end)).toBe(c.text);
    expect(c.start).toBeGreaterThanOrEqual(last);
    last = c.end;
  }
}

function count(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

describe('seeds', () => {
  it('001 cites its parent twice as title+number, paren included', () => {
    const text = seed('001');
    const cs = extractCitations(text);
    checkShape(text, cs);
    const parent = cs.filter((c) => c.docNumber?.normalized === '国发〔2015〕40号');
    expect(parent).toHaveLength(2);
    for (const c of parent) {
      expect(c.kind).toBe('title+number');
      expect(c.title).toBe('国务院关于积极推进“互联网+”行动的指导意见');
      expect(c.text).toBe('《国务院关于积极推进“互联网+”行动的指导意见》(国发〔2015〕40号)');
    }
    // Its own number (ASCII brackets) stands alone as a bare number.
    const own = cs.find((c) => c.kind === 'number' && c.docNumber?.normalized === '京政发〔2016〕4号');
    expect(own?.text).toBe('京政发[2016]4号');
  });

  it('003 defines 《行动计划》 and every later 《行动计划》 is an alias of the full title', () => {
    const text = seed('003');
    const cs = extractCitations(text);
    checkShape(text, cs);
    const full = '北京市大数据和云计算发展行动计划(2016-2020年)';
    const definition = text.indexOf('(以下简称《行动计划》)') + '(以下简称'.length;
    const aliases = cs.filter((c) => c.kind === 'alias');
    // 《行动计划》 occurs 9 times in the file: the definition itself and 8 uses; each is an alias citation.
    expect(count(text, '《行动计划》')).toBe(9);
    expect(aliases).toHaveLength(9);
    for (const a of aliases) {
      expect(a.title).toBe('行动计划');
      expect(a.text).toBe('《行动计划》');
      expect(a.aliasOf).toBe(full);
      expect(a.start).toBeGreaterThanOrEqual(definition);
    }
    expect(aliases[0].start).toBe(definition);
    expect(cs.filter((c) => c.kind === 'title' && c.title === full)).toHaveLength(3);
    expect(cs.some((c) => c.title === '北京市信息化促进条例')).toBe(true);
  });

  it('004 cites the 印发 notice with its number; issues names the issued plan', () => {
    const text = seed('004');
    const cs = extractCitations(text);
    checkShape(text, cs);
    const c = cs.find((x) => x.docNumber?.normalized === '国发〔2015〕50号');
    expect(c).toBeDefined();
    expect(c!.kind).toBe('title+number');
    expect(c!.title).toBe('国务院关于印发促进大数据发展行动纲要的通知');
    expect(c!.text).toBe('《国务院关于印发促进大数据发展行动纲要的通知》(国发〔2015〕50号)');
    expect(c!.issues).toBe('促进大数据发展行动纲要');
  });

  it('002 cites the 纲要 with pinyin inside: title cleaned, offsets into the raw text, links to 004', () => {
    const text = seed('002');
    const cs = extractCitations(text);
    checkShape(text, cs);
    const c = cs.find((x) => x.title === '促進大數據發展行動綱要');
    expect(c).toBeDefined();
    expect(c!.text).toBe('《促進大數據發(fā)展行動綱要》');
    for (const x of cs) if (x.title) expect(x.title).not.toMatch(/[āáǎàēéěèīíǐìōóǒòūúǔù]/);
    // One national document named three ways: 002's title, 004's issued title.
    const fromNotice = extractCitations(seed('004')).find((x) => x.issues)!.issues!;
    expect(titleKey(c!.title!)).toBe(titleKey(fromNotice));
  });

  it('000 nests 〈居住證暫行條例〉 and shares 《北京市信息化促進條例》 with 003', () => {
    const text = seed('000');
    const cs = extractCitations(text);
    checkShape(text, cs);
    const nested = cs.find((c) => c.nested.length > 0);
    expect(nested?.title).toBe('北京市實施〈居住證暫行條例〉辦法');
    expect(nested?.nested).toEqual(['居住證暫行條例']);
    const t000 = cs.find((c) => c.title?.includes('信息化促進條例'))!.title!;
    const t003 = extractCitations(seed('003')).find((c) => c.title?.includes('信息化促进条例'))!.title!;
    expect(t000).not.toBe(t003);
    expect(titleKey(t000)).toBe(titleKey(t003));
    const own = cs.filter((c) => c.kind === 'number').map((c) => c.docNumber!.normalized);
    expect(own).toContain('京政发〔2016〕57号');
  });
});

describe('forms met on real pages', () => {
  it('number and alias inside the same parenthesis', () => {
    const text = '按照《国务院关于投资体制改革的决定》（国发〔2004〕20号，以下简称《决定》）精神，……根据《决定》要求';
    const cs = extractCitations(text);
    checkShape(text, cs);
    // The definition's 《决定》 and the later use are both alias citations of the 决定.
    expect(cs.map((c) => c.kind)).toEqual(['title+number', 'alias', 'alias']);
    expect(cs[0].text).toBe('《国务院关于投资体制改革的决定》（国发〔2004〕20号');
    for (const a of cs.slice(1)) {
      expect(a.text).toBe('《决定》');
      expect(a.aliasOf).toBe('国务院关于投资体制改革的决定');
      expect(a.docNumber?.normalized).toBe('国发〔2004〕20号');
    }
  });

  it('quoted alias definitions, then quoted uses; earlier uses stay titles', () => {
    const text =
      '《办法》另行制定。财政部印发了《中央财政科技计划（专项、基金等）管理改革方案》(以下简称“改革方案”)。各部门要落实“改革方案”，并以下简称为准。';
    const cs = extractCitations(text);
    checkShape(text, cs);
    expect(cs[0]).toMatchObject({ kind: 'title', title: '办法' });
    const alias = cs.filter((c) => c.kind === 'alias');
    // The defined “改革方案” and its one quoted use; the bare words 以下简称 later are no use.
    expect(alias).toHaveLength(2);
    for (const a of alias) {
      expect(a.text).toBe('“改革方案”');
      expect(a.aliasOf).toBe('中央财政科技计划（专项、基金等）管理改革方案');
    }
    expect(alias[1].start).toBe(text.indexOf('落实“改革方案”') + 2);
  });

  it('an alias redefined later points to the newer title', () => {
    const text =
      '《北京市居住证管理办法》（以下简称“办法”）规定……“办法”明确。另有《北京市积分落户管理办法》（以下简称“办法”），“办法”自发布之日起施行。';
    const cs = extractCitations(text);
    checkShape(text, cs);
    const uses = cs.filter((c) => c.kind === 'alias');
    // Each definition, then its use: the use after the second definition follows the newer title.
    expect(uses.map((c) => c.aliasOf)).toEqual([
      '北京市居住证管理办法',
      '北京市居住证管理办法',
      '北京市积分落户管理办法',
      '北京市积分落户管理办法',
    ]);
    expect(cs.filter((c) => c.kind === 'title')).toHaveLength(2);
  });

  it('nested titles in 《》, 〈〉 and <> forms', () => {
    const text = '关于印发《关于实施《居住证暂行条例》的办法》的通知；又见《北京市实施<居住证暂行条例>办法》。';
    const cs = extractCitations(text);
    checkShape(text, cs);
    expect(cs.map((c) => c.title)).toEqual(['关于实施《居住证暂行条例》的办法', '北京市实施<居住证暂行条例>办法']);
    expect(cs.map((c) => c.nested)).toEqual([['居住证暂行条例'], ['居住证暂行条例']]);
  });

  it('an unclosed 《 does not hide the titles after it', () => {
    const text = '见《未闭合的书名号，后文很长' + '的'.repeat(200) + '。依据《中华人民共和国网络安全法》执行。';
    const cs = extractCitations(text);
    expect(cs.map((c) => c.title)).toEqual(['中华人民共和国网络安全法']);
  });

  it('bare numbers and decrees are citations of kind number', () => {
    const text = '要根据中发〔1994〕8号文件精神，并依照国令第706号执行。';
    const cs = extractCitations(text);
    checkShape(text, cs);
    expect(cs.map((c) => [c.kind, c.text])).toEqual([
      ['number', '中发〔1994〕8号'],
      ['number', '国令第706号'],
    ]);
  });
});

describe('issuedTitle', () => {
  const cases: Array<[string, string | null]> = [
    ['国务院关于印发促进大数据发展行动纲要的通知', '促进大数据发展行动纲要'],
    ['北京市人民政府關於印發《北京市“十三五”時期信息化發展規劃》的通知', '北京市“十三五”時期信息化發展規劃'],
    ['国务院办公厅关于印发“无废城市”建设试点工作方案的通知', '“无废城市”建设试点工作方案'],
    ['国务院办公厅转发国家教委关于内地西藏班（校）扩大规模有关问题请示的通知', '国家教委关于内地西藏班（校）扩大规模有关问题请示'],
    ['國務院辦公廳轉發發展改革委關於做好節能工作意見的通知', '發展改革委關於做好節能工作意見'],
    ['国务院批转发展改革委关于2009年深化经济体制改革工作意见的通知', '发展改革委关于2009年深化经济体制改革工作意见'],
    ['北京市人民政府关于颁布《北京市城市规划管理办法》的决定', '北京市城市规划管理办法'],
    ['关于发布《网络安全审查办法》的通知', '网络安全审查办法'],
    ['市政府办公厅关于转发国务院关于印发促进大数据发展行动纲要的通知的通知', '国务院关于印发促进大数据发展行动纲要的通知'],
    ['上海市人民政府關於印發(fā)上海市大數據發展實施意見的通知', '上海市大數據發展實施意見'],
    ['关于发布2016年度创新型企业名单的公告', null],
    ['国务院关于积极推进“互联网+”行动的指导意见', null],
    ['国务院办公厅关于加快发展体育竞赛表演产业的指导意见', null],
    ['关于印发的通知', null],
  ];
  for (const [title, want] of cases) it(title, () => expect(issuedTitle(title)).toBe(want));
});

describe.skipIf(!HAS_GOVCN)('gov.cn pages (skipped: ../shared/fixtures/govcn absent)', () => {
  const files = HAS_GOVCN ? fs.readdirSync(GOVCN_DIR).filter((f) => f.endsWith('.html')) : [];
  const pageText = (file: string) =>
    fs
      .readFileSync(path.join(GOVCN_DIR, file), 'utf8')
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ');

  it('every citation is exact, sorted and non-overlapping; aliases point to a title defined before them', () => {
    let aliasCount = 0;
    let pairCount = 0;
    for (const f of files) {
      const text = pageText(f);
      const cs = extractCitations(text);
      checkShape(text, cs);
      for (const c of cs) {
        if (c.kind === 'alias') {
          aliasCount++;
          // Up to the mention's end: the mention inside a definition is an alias citation too.
          const before = text.slice(0, c.end);
          expect(before).toContain(`《${c.aliasOf}》`);
          expect(before).toMatch(new RegExp(`简称[《“"]${c.title}[》”"]`));
        }
        if (c.kind === 'title+number') {
          pairCount++;
          expect(c.text).toMatch(/^《[^]*》\s*[(（]/);
          expect(c.text).toContain(c.docNumber!.raw);
        }
      }
    }
    // 5351671 defines 《决定》《规划》《方案》《汇报》; several pages cite 请示 and notices with their numbers.
    expect(aliasCount).toBeGreaterThan(0);
    expect(pairCount).toBeGreaterThan(0);
  });

  it('a 转发 notice cited with its number carries the forwarded document in issues', () => {
    const all = files.flatMap((f) => extractCitations(pageText(f)));
    const forwarded = all.filter((c) => c.kind === 'title+number' && c.issues);
    expect(forwarded.length).toBeGreaterThan(0);
    for (const c of forwarded) expect(c.title).toContain(c.issues!);
  });
});

describe('hostile input', () => {
  it('100k unclosed 《, 1 MB of brackets, many aliases: fast, no throw', () => {
    const inputs = [
      '《'.repeat(100_000),
      '《' + '字'.repeat(1_000_000),
      '《》〈〉<>'.repeat(170_000),
      '《《《《《》'.repeat(150_000),
      '〔2016〕'.repeat(150_000),
      '《甲》(以下简称“乙”)“乙”'.repeat(40_000), '《甲》(以下简称《乙》)《乙》'.repeat(40_000),
      '《中》'.repeat(200_000),
      '\u0000《\u0001》\u0002'.repeat(100_000),
    ];
    for (const s of inputs) {
      const t0 = Date.now();
      const cs = extractCitations(s);
      expect(Date.now() - t0).toBeLessThan(4000);
      for (const c of cs.slice(0, 20)) expect(s.slice(c.start, c.end)).toBe(c.text);
    }
  });
});
