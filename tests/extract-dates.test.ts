// Dates as policy documents and their sites write them → ISO; partial and impossible dates → null.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { findDates, isoDate, parseDate } from '../lib/extract/dates';

const seed = (name: string) => fs.readFileSync(path.resolve(__dirname, '../seeds', name), 'utf8');

describe('parseDate', () => {
  it.each([
    ['2016年12月1日', '2016-12-01'], // seed 000 signature
    ['2016年1月9日', '2016-01-09'], // seed 001 signature
    ['2018年11月06日', '2018-11-06'], // gov.cn 成文日期 field
    ['2016-12-01', '2016-12-01'], // 首都之窗 [成文日期]
    ['2016/12/1', '2016-12-01'],
    ['2016.12.01', '2016-12-01'],
    ['二〇〇六年十二月三十日', '2006-12-30'],
    ['一九九七年二月四日', '1997-02-04'],
    ['二〇〇六年五月二十三日', '2006-05-23'], // gov.cn 5345402 signature
    ['一九八一年五月二十三日', '1981-05-23'], // gov.cn 5345639 signature
    ['二OO四年十月十五日', '2004-10-15'], // letter O typed for 〇
    ['二○○五年三月三日', '2005-03-03'], // white circle typed for 〇
    ['２０１６年１２月１日', '2016-12-01'], // full-width digits
    ['2016 年 12 月 1 日', '2016-12-01'],
    ['　2018年12月6日　 ', '2018-12-06'], // ideographic spaces around a signature date
    ['2017-01-11 10:30:00', '2017-01-11'], // a time of day after a field value
    ['2016-02-29', '2016-02-29'], // leap day
    ['2000年2月29日', '2000-02-29'], // divisible by 400: leap
  ])('%s → %s', (input, iso) => {
    expect(parseDate(input)).toBe(iso);
  });

  it.each([
    ['2016年9月'], // partial: a month, not a day (documented: partial dates are not dates)
    ['2016-09'],
    ['2016年'],
    ['2016年2月30日'], // impossible
    ['2015-02-29'], // not a leap year
    ['1900年2月29日'], // divisible by 100, not 400
    ['2016-13-01'],
    ['2016-12-32'],
    ['二〇〇六年十三月一日'],
    ['2016-12/01'], // mixed separators
    ['京政发〔2016〕57号'],
    ['发布日期：2016-12-01'], // a label is not part of a value
    [''],
    ['　'],
  ])('%s → null', (input) => {
    expect(parseDate(input)).toBeNull();
  });

  it('validates through isoDate', () => {
    expect(isoDate(2016, 12, 1)).toBe('2016-12-01');
    expect(isoDate(2016, 4, 31)).toBeNull();
    expect(isoDate(null, 1, 1)).toBeNull();
  });
});

describe('findDates', () => {
  it('finds the signature date at the end of seed 001 with its offsets', () => {
    const text = seed('001-beijing-internet-plus-opinions-2016.txt');
    const found = findDates(text);
    const last = found[found.length - 1];
    expect(last.date).toBe('2016-01-09');
    expect(text.slice(last.start, last.end)).toBe('2016年1月9日');
    expect(last.end).toBe(text.trimEnd().length);
    for (const d of found) expect(text.slice(d.start, d.end)).toBe(d.raw);
  });

  it('finds Chinese-numeral and numeric dates in running text, skipping partial ones', () => {
    const text = '为了促进棉、糖生产发展，一九八〇年九月一日国务院批转…；2016年9月起，于2016-12-01实施，12016-12-01不是日期。';
    const found = findDates(text);
    expect(found.map((d) => d.date)).toEqual(['1980-09-01', '2016-12-01']);
    expect(found.map((d) => d.raw)).toEqual(['一九八〇年九月一日', '2016-12-01']);
  });

  it('reads Traditional-script text unchanged (seed 000 metadata list)', () => {
    const text = seed('000-beijing-informatization-plan-2016.txt');
    const dates = findDates(text.slice(0, 1200)).map((d) => d.date);
    expect(dates).toEqual(['2016-12-01', '2017-01-11', '2016-12-01']);
  });

  it('does not hang on hostile input', () => {
    const hostile = ('2016' + ' '.repeat(50) + '年'.repeat(3) + '\u0000二〇〇六年十'.repeat(5)).repeat(20000);
    const t0 = Date.now();
    expect(findDates(hostile)).toEqual([]);
    expect(parseDate(hostile)).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
