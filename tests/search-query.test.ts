// Query parsing (terms, phrases, 文号, typed and structured filters) and the search key it relies on.
import { describe, expect, it } from 'vitest';
import { isEmptyQuery, parseQuery, parseYearRange, passesFilters, termKeys, type FilterSubject } from '../lib/search/query';
import { searchKey, searchKeyWithMap } from '../lib/search/tokens';
import { readSeed } from './support/docs';

const keysOf = (input: string) => parseQuery(input).terms.map((t) => t.keys);

describe('searchKey', () => {
  it('keys Traditional, full-width, bracket and case variants alike, keeping one unit per kept character', () => {
    expect(searchKey('京政發〔2016〕57號')).toBe(searchKey('京政发[2016]57号'));
    expect(searchKey('國發【2015】50號')).toBe('国发(2015)50号');
    expect(searchKey('ＡＰＰ（１）')).toBe('app(1)');
    expect(searchKey('大數據　發展')).toBe('大数据发展'); // ideographic space dropped
    expect(searchKey('2016—2020年')).toBe('2016-2020年');
  });

  it('maps every key unit back to its place in the source', () => {
    const text = readSeed('000-beijing-informatization-plan-2016.txt');
    const { key, map } = searchKeyWithMap(text);
    const at = key.indexOf('网际网路');
    expect(at).toBeGreaterThan(0);
    expect(text.slice(map[at], map[at + 3] + 1)).toBe('網際網路');
    expect(map[key.length]).toBe(text.length);
    // Line breaks stay (no match spans two lines); spaces go.
    expect(key.includes('\n')).toBe(true);
    expect(key.includes(' ')).toBe(false);
  });
});

describe('parseQuery: terms', () => {
  it('splits on spaces (ASCII and ideographic) into AND terms', () => {
    const q = parseQuery('大数据　产业 金融');
    expect(q.terms.map((t) => t.text)).toEqual(['大数据', '产业', '金融']);
    expect(q.terms.every((t) => !t.phrase)).toBe(true);
  });

  it('reads quoted phrases (ASCII, Chinese quotes, unclosed) as one term, spaces inside ignored', () => {
    expect(parseQuery('"行动 计划" 北京').terms.map((t) => [t.text, t.phrase])).toEqual([
      ['行动 计划', true],
      ['北京', false],
    ]);
    expect(parseQuery('“互联网+ 金融”').terms[0].keys).toEqual(['互联网+金融', '网际网路+金融']);
    expect(parseQuery('「大數據 發展').terms[0]).toMatchObject({ phrase: true, keys: ['大数据发展'] });
  });

  it('expands a Simplified term to Taiwan phrasing and a Taiwan-phrased term to the mainland one', () => {
    expect(keysOf('互联网')[0]).toEqual(expect.arrayContaining(['互联网', '网际网路']));
    expect(keysOf('信息')[0]).toEqual(expect.arrayContaining(['信息', '资讯']));
    expect(keysOf('網際網路')[0]).toEqual(expect.arrayContaining(['网际网路', '互联网']));
    expect(keysOf('大數據')[0]).toEqual(['大数据']);
    // Several phrases in one term: every combination.
    expect(keysOf('信息网络')[0]).toEqual(expect.arrayContaining(['信息网络', '资讯网络', '信息网路', '资讯网路']));
  });

  it('keeps no key that contains another (each occurrence is counted once)', () => {
    for (const term of ['互联网', '信息网络', '網際網路資訊', '京政发〔2016〕57号']) {
      const keys = termKeys(term, null);
      for (const a of keys) for (const b of keys) if (a !== b) expect(a.includes(b)).toBe(false);
    }
  });

  it('recognises a 文号 in any bracket form, even with spaces, as one term', () => {
    for (const raw of ['国发[2015]50号', '國發〔2015〕50號', '国发【2015】50号', '国发 〔2015〕 50号', '國發(2015)第50號']) {
      const q = parseQuery(raw);
      expect(q.terms).toHaveLength(1);
      expect(q.terms[0].docNumber?.normalized).toBe('国发〔2015〕50号');
      expect(q.terms[0].keys).toContain('国发(2015)50号');
    }
    expect(parseQuery('京政發〔2016〕57號 大数据').terms.map((t) => t.docNumber?.normalized ?? null)).toEqual(['京政发〔2016〕57号', null]);
  });

  it('drops repeated and empty terms', () => {
    expect(parseQuery('大数据 大數據   ').terms).toHaveLength(1);
    expect(parseQuery('""  ').terms).toHaveLength(0);
  });
});

describe('parseQuery: filters', () => {
  it('reads typed prefixes in English and Chinese, with either colon', () => {
    const en = parseQuery('issuer:北京市人民政府 year:2016-2018 site:beijing kind:policy 大数据');
    expect(en.terms.map((t) => t.text)).toEqual(['大数据']);
    expect(en.filters).toEqual({ issuers: ['北京市人民政府'], yearFrom: 2016, yearTo: 2018, sites: ['beijing'], kinds: ['policy'] });
    const zh = parseQuery('机关：北京市人民政府 年份:2016-2018 网站:北京 类型:通知');
    expect(zh.terms).toHaveLength(0);
    expect(zh.filters).toEqual({ issuers: ['北京市人民政府'], yearFrom: 2016, yearTo: 2018, sites: ['beijing'], kinds: ['notice'] });
    expect(parseQuery('機關:上海市人民政府 類型:解讀').filters).toMatchObject({ issuers: ['上海市人民政府'], kinds: ['interpretation'] });
  });

  it('reads year ranges written several ways', () => {
    expect(parseYearRange('2016')).toEqual({ from: 2016, to: 2016 });
    expect(parseYearRange('2016年至2018年')).toEqual({ from: 2016, to: 2018 });
    expect(parseYearRange('2018..2016')).toEqual({ from: 2016, to: 2018 });
    expect(parseYearRange('2016-')).toEqual({ from: 2016, to: null });
    expect(parseYearRange('-2018')).toEqual({ from: null, to: 2018 });
    expect(parseYearRange('abc')).toBeNull();
    const q = parseQuery('year:abc 大数据');
    expect(q.problems).toEqual(['year:abc']);
    expect(q.filters.yearFrom).toBeNull();
  });

  it('merges the chips: lists add up, year ranges narrow', () => {
    const q = parseQuery('site:shanghai year:2010-2018', { sites: ['沈阳'], yearFrom: 2016, kinds: ['意见'], issuers: ['北京'] });
    expect(q.filters).toEqual({ issuers: ['北京'], yearFrom: 2016, yearTo: 2018, sites: ['shanghai', 'shenyang'], kinds: ['opinion'] });
  });

  it('treats a prefix with no value yet (still typing) as nothing', () => {
    const q = parseQuery('大数据 issuer:');
    expect(q.terms).toHaveLength(1);
    expect(isEmptyQuery(parseQuery('year: '))).toBe(true);
    expect(isEmptyQuery(parseQuery('kind:policy'))).toBe(false);
  });

  it('tests a plan against the filters', () => {
    const plan: FilterSubject = { issuerKeys: [searchKey('北京市人民政府')], year: 2016, site: 'beijing', host: 'www.beijing.gov.cn', kind: 'policy', genre: 'notice' };
    expect(passesFilters(parseQuery('issuer:北京 year:2015-2016 site:beijing kind:通知').filters, plan)).toBe(true);
    expect(passesFilters(parseQuery('机关:北京市人民政府').filters, plan)).toBe(true);
    expect(passesFilters(parseQuery('site:gov.cn').filters, plan)).toBe(true); // host fragment
    expect(passesFilters(parseQuery('year:2017').filters, plan)).toBe(false);
    expect(passesFilters(parseQuery('kind:interpretation').filters, plan)).toBe(false);
    expect(passesFilters(parseQuery('issuer:上海').filters, plan)).toBe(false);
    expect(passesFilters(parseQuery('year:2016').filters, { ...plan, year: 0 })).toBe(false);
  });
});

describe('parseQuery: hostile input', () => {
  it('bounds the work on huge and odd input', () => {
    const huge = '国发['.repeat(50_000) + '"'.repeat(10_000) + '\u0000\u0007'.repeat(10_000);
    const t0 = performance.now();
    const q = parseQuery(huge);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(q.terms.length).toBeLessThanOrEqual(12);
    expect(parseQuery('\u0000\u0001 \u200b').terms).toHaveLength(0);
  });
});
