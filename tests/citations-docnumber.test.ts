// Tests for 发文字号 parsing: written forms, bounded issuer codes in running text, seeds, gov.cn pages.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { docNumberKey, findDocNumbers, parseDocNumber } from '../lib/citations/docnumber';
import { GOVCN_DIR, HAS_GOVCN, SEEDS_DIR } from './support/paths';

function seed(prefix: string): string {
  const f = fs.readdirSync(SEEDS_DIR).find((n) => n.startsWith(prefix) && n.endsWith('.txt'));
  if (!f) throw new Error(`seed ${prefix} missing`);
  return fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8');
}

/** Codes of all numbers found in a sentence. */
function codes(s: string): string[] {
  return findDocNumbers(s).map((d) => d.number.issuerCode);
}

describe('parseDocNumber: written forms', () => {
  const cases: Array<[string, string, string, number | null, number]> = [
    // input, normalized, issuerCode, year, serial
    ['京政發〔2016〕57號', '京政发〔2016〕57号', '京政发', 2016, 57],
    ['京政发[2016]4号', '京政发〔2016〕4号', '京政发', 2016, 4],
    ['京政发［2016］4号', '京政发〔2016〕4号', '京政发', 2016, 4],
    ['京政发(2016)4号', '京政发〔2016〕4号', '京政发', 2016, 4],
    ['京政发（2016）4号', '京政发〔2016〕4号', '京政发', 2016, 4],
    ['国科发高【2016】32号', '国科发高〔2016〕32号', '国科发高', 2016, 32],
    ['沈政办发﹝2016﹞23号', '沈政办发〔2016〕23号', '沈政办发', 2016, 23],
    ['沪府发〈2017〉11号', '沪府发〔2017〕11号', '沪府发', 2017, 11],
    ['国发 〔2015〕 40 号', '国发〔2015〕40号', '国发', 2015, 40],
    ['京政发[ 2016 ]4号', '京政发〔2016〕4号', '京政发', 2016, 4],
    ['浙政办发〔２０１６〕１２号', '浙政办发〔2016〕12号', '浙政办发', 2016, 12],
    ['京政发〔2016〕第57号', '京政发〔2016〕57号', '京政发', 2016, 57],
    ['京政发〔2016〕57', '京政发〔2016〕57号', '京政发', 2016, 57],
    ['国办发明电〔2018〕5号', '国办发明电〔2018〕5号', '国办发明电', 2018, 5],
    ['财税联〔2019〕1号', '财税联〔2019〕1号', '财税联', 2019, 1],
    ['工信部联信软〔2017〕142号', '工信部联信软〔2017〕142号', '工信部联信软', 2017, 142],
    ['发改投资〔2016〕1265号', '发改投资〔2016〕1265号', '发改投资', 2016, 1265],
    ['银保监发〔2019〕5号', '银保监发〔2019〕5号', '银保监发', 2019, 5],
    ['财预〔2017〕87号', '财预〔2017〕87号', '财预', 2017, 87],
    ['粤府函〔2018〕300号', '粤府函〔2018〕300号', '粤府函', 2018, 300],
    ['国函〔2018〕144号', '国函〔2018〕144号', '国函', 2018, 144],
    ['国令第706号', '国令第706号', '国令', null, 706],
    ['北京市人民政府令第293号', '北京市人民政府令第293号', '北京市人民政府令', null, 293],
    ['中华人民共和国国务院令第588号', '中华人民共和国国务院令第588号', '中华人民共和国国务院令', null, 588],
    ['主席令第十二号', '主席令第12号', '主席令', null, 12],
    ['中华人民共和国主席令（第三十一号）', '中华人民共和国主席令第31号', '中华人民共和国主席令', null, 31],
    ['住房和城乡建设部令第1号', '住房和城乡建设部令第1号', '住房和城乡建设部令', null, 1],
    ['交通运输部令2016年第57号', '交通运输部令2016年第57号', '交通运输部令', 2016, 57],
  ];
  for (const [input, normalized, issuerCode, year, serial] of cases) {
    it(`${input} → ${normalized}`, () => {
      const d = parseDocNumber(input);
      expect(d).not.toBeNull();
      expect(d!.normalized).toBe(normalized);
      expect(d!.issuerCode).toBe(issuerCode);
      expect(d!.year).toBe(year);
      expect(d!.serial).toBe(serial);
      expect(d!.raw).toBe(input);
      expect(d!.form).toBe(normalized.includes('〔') ? 'yearly' : 'decree');
    });
  }

  it('accepts metadata labels before the value', () => {
    expect(docNumberKey('字号:京政发〔2016〕4号')).toBe('京政发〔2016〕4号');
    expect(docNumberKey('发文字号：国办发〔2018〕117号')).toBe('国办发〔2018〕117号');
    expect(docNumberKey('  6. [發文字號] 京政發〔2016〕57號')).toBe('京政发〔2016〕57号');
    expect(docNumberKey('  沈政办发〔2016〕23号  ')).toBe('沈政办发〔2016〕23号');
  });

  it('rejects strings that are not a 文号', () => {
    for (const s of [
      '',
      '北京市大数据和云计算发展行动计划(2016-2020年)',
      '(2016)4月',
      '〔2016〕57号', // no issuer code
      '京政发〔1850〕3号', // implausible year
      '京政发〔2016〕0号', // serial must be positive
      '第2996号建议',
      '发布命令第1号',
      '要根据中发〔2016〕9号文件', // a mention inside a sentence, not a value
      '京政发(2016)4', // round brackets need 号
      '京政发〔2016〕4月',
    ]) {
      expect(parseDocNumber(s), s).toBeNull();
    }
  });

  it('same key for every spelling of one number', () => {
    const keys = ['京政發〔2016〕57號', '京政发[2016]57号', '京政发 ［２０１６］ ５７ 号', '京政发(2016)第57号'].map(docNumberKey);
    expect(new Set(keys)).toEqual(new Set(['京政发〔2016〕57号']));
  });
});

describe('findDocNumbers: bounded issuer codes in running text', () => {
  const sentences: Array<[string, string[]]> = [
    ['各省、自治区、直辖市人民政府，要根据中发〔2016〕9号文件精神，抓紧制定实施方案。', ['中发']],
    ['为全面落实《国务院关于积极推进“互联网+”行动的指导意见》(国发〔2015〕40号),推进互联网的创新成果与经济社会各领域深度融合', ['国发']],
    ['西藏自治区人民政府要按照国办发〔1993〕71号文件的要求，做好有关工作。', ['国办发']],
    ['依据国发〔2014〕60号和国办发〔2015〕42号的规定执行。', ['国发', '国办发']],
    ['认真贯彻京政发〔2016〕57号、京政办发〔2017〕3号精神', ['京政发', '京政办发']],
    ['现将沪府发〔2016〕79号印发给你们，请遵照执行。', ['沪府发']],
    ['参照浙政办发〔2016〕113号执行', ['浙政办发']],
    ['经研究，同意你省粤府函〔2018〕300号所提事项。', ['粤府函']],
    ['国务院办公厅关于加强三级公立医院绩效考核工作的意见 国办发〔2019〕4号', ['国办发']],
    ['国务院办公厅转发国家教委关于内地西藏班（校）扩大规模有关问题请示的通知国办发〔1996〕32号', ['国办发']],
    ['你委《关于报送组建方案的请示》（民航总局〔2006〕80号）收悉。', ['民航总局']],
    ['你部《关于申办世界大学生夏季运动会的请示》（教外际〔2004〕81号）收悉。', ['教外际']],
    ['2018年国发〔2018〕43号明确', ['国发']],
    ['1991年3月4日中华人民共和国国务院令第76号发布', ['中华人民共和国国务院令']],
    ['根据国令第706号，现予公布', ['国令']],
    ['自2019年3月1日起施行（北京市人民政府令第293号）', ['北京市人民政府令']],
    ['为深入学习贯彻习近平新时代中国特色社会主义思想国发〔2018〕1号提出', ['国发']],
    ['财政部 税务总局关于实施小微企业普惠性税收减免政策的通知（财税〔2019〕13号）', ['财税']],
    ['按照工信部联信软〔2017〕142号和发改投资〔2016〕1265号的部署', ['工信部联信软', '发改投资']],
    ['我省国发〔2016〕1号文件', ['国发']],
    ['北京市人民政府京政发〔2016〕57号', ['京政发']],
    ['国务院办公厅国办发〔2018〕117号', ['国办发']],
    ['国家发展和改革委员会发改投资〔2016〕1265号', ['发改投资']],
  ];
  for (const [s, expected] of sentences) {
    it(s, () => {
      expect(codes(s)).toEqual(expected);
      for (const d of findDocNumbers(s)) expect(s.slice(d.start, d.end)).toBe(d.number.raw);
    });
  }

  it('ignores dates, counts and ranges in brackets', () => {
    for (const s of [
      '《北京市大数据和云计算发展行动计划(2016-2020年)》',
      '本计划(2016)3个项目',
      '专项资金〔2016〕5亿元',
      '第2996号建议的答复',
      '下达命令第1号',
      '法治政府建设实施纲要（2015—2020年）',
    ]) {
      expect(findDocNumbers(s), s).toEqual([]);
    }
  });

  it('offsets point at the mention, full-width digits and spaces included', () => {
    const s = '落实国发 〔２０１５〕 ４０ 号要求';
    const [d] = findDocNumbers(s);
    expect(d.start).toBe(2);
    expect(s.slice(d.start, d.end)).toBe('国发 〔２０１５〕 ４０ 号');
    expect(d.number.normalized).toBe('国发〔2015〕40号');
  });
});

describe('findDocNumbers on the seeds', () => {
  it('000 writes its own number with 號 and finds it normalised', () => {
    const keys = findDocNumbers(seed('000')).map((d) => d.number.normalized);
    expect(keys).toContain('京政发〔2016〕57号');
    expect(findDocNumbers(seed('000')).some((d) => d.number.raw === '京政發〔2016〕57號')).toBe(true);
  });
  it('001: own number with ASCII brackets, and the parent 国发〔2015〕40号 twice', () => {
    const keys = findDocNumbers(seed('001')).map((d) => d.number.normalized);
    expect(keys).toContain('京政发〔2016〕4号');
    expect(keys.filter((k) => k === '国发〔2015〕40号')).toHaveLength(2);
  });
  it('004: own number and 国发〔2015〕50号', () => {
    const keys = findDocNumbers(seed('004')).map((d) => d.number.normalized);
    expect(keys).toEqual(expect.arrayContaining(['沈政办发〔2016〕23号', '国发〔2015〕50号']));
  });
  it('002 and 003 carry no 文号 and none is invented', () => {
    expect(findDocNumbers(seed('002'))).toEqual([]);
    expect(findDocNumbers(seed('003'))).toEqual([]);
  });
  it('every code found in the seeds is a short abbreviation', () => {
    for (const p of ['000', '001', '002', '003', '004']) {
      for (const d of findDocNumbers(seed(p))) expect(d.number.issuerCode.length).toBeLessThanOrEqual(8);
    }
  });
});

describe.skipIf(!HAS_GOVCN)('findDocNumbers on gov.cn pages (skipped: ../shared/fixtures/govcn absent)', () => {
  const expected: Record<string, Record<string, string>> = HAS_GOVCN
    ? JSON.parse(fs.readFileSync(path.join(GOVCN_DIR, 'expected.json'), 'utf8'))
    : {};
  const pageText = (file: string) =>
    fs
      .readFileSync(path.join(GOVCN_DIR, file), 'utf8')
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ');

  for (const file of Object.keys(expected)) {
    it(`${file}: finds ${expected[file]['发文字号']}`, () => {
      const want = docNumberKey(expected[file]['发文字号']);
      expect(want).not.toBeNull();
      const found = findDocNumbers(pageText(file));
      expect(found.map((d) => d.number.normalized)).toContain(want);
      for (const d of found) {
        // Codes are abbreviations: never a sentence fragment with a verb or 的 in it.
        expect(d.number.issuerCode).not.toMatch(/的|根据|按照|要|日/);
      }
    });
  }

  it('codes cited in running text are cut at the verb before them', () => {
    const all = Object.keys(expected).flatMap((f) => findDocNumbers(pageText(f)).map((d) => d.number.normalized));
    // 5345284: 要根据中发〔1994〕8号文件 / 要按照国办发〔1993〕71号文件; 5341736: …日中华人民共和国国务院令第76号.
    expect(all).toEqual(expect.arrayContaining(['中发〔1994〕8号', '国办发〔1993〕71号', '中华人民共和国国务院令第76号']));
  });
});

describe('hostile input', () => {
  it('1 MB of brackets, numbers and decree fragments finishes fast', () => {
    const inputs = [
      '〔'.repeat(1_000_000),
      '〔2016〕'.repeat(150_000),
      '国发〔2016〕1号'.repeat(90_000),
      '令第'.repeat(500_000),
      '[ 2016 ] '.repeat(100_000),
      '中'.repeat(1_000_000) + '〔2016〕1号',
      '\u0000\u0001〔2016〕\u0007号'.repeat(50_000),
    ];
    for (const s of inputs) {
      const t0 = Date.now();
      const found = findDocNumbers(s);
      expect(Date.now() - t0).toBeLessThan(3000);
      for (const d of found.slice(0, 50)) expect(s.slice(d.start, d.end)).toBe(d.number.raw);
    }
    expect(parseDocNumber('〔'.repeat(1_000_000))).toBeNull();
  });
});
