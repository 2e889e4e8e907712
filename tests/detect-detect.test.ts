// Page detection: every folder under tests/pages (source.html + expected.json), the seeds as plain
// text, the 20 real gov.cn pages, hostile input, and the content-script import constraint.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { collectSignals, signalsFromText, SAMPLE_CHARS, type PageSignals } from '../lib/detect/signals';
import { detectPage, foldHans, titleForm } from '../lib/detect/detect';
import type { DocGenre, PageKind, SiteId } from '../lib/types';
import { GOVCN_DIR, HAS_GOVCN, PAGES_DIR, SEEDS_DIR } from './support/paths';

interface Expected {
  url: string;
  kind: PageKind;
  site: SiteId;
  genre: DocGenre | null;
}

function parse(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

function signalsOfPage(html: string, url: string | null): PageSignals {
  return collectSignals(parse(html), url);
}

const pageDirs = fs
  .readdirSync(PAGES_DIR)
  .filter((d) => fs.existsSync(path.join(PAGES_DIR, d, 'source.html')))
  .sort();

describe('pages under tests/pages (one folder per page)', () => {
  it('has the pages the brief asks for', () => {
    expect(pageDirs.length).toBeGreaterThanOrEqual(11);
  });

  for (const dir of pageDirs) {
    it(dir, () => {
      const html = fs.readFileSync(path.join(PAGES_DIR, dir, 'source.html'), 'utf8');
      const expected = JSON.parse(fs.readFileSync(path.join(PAGES_DIR, dir, 'expected.json'), 'utf8')) as Expected;
      const d = detectPage(signalsOfPage(html, expected.url));
      const got = { kind: d.kind, site: d.site, genre: d.genre };
      expect(got, d.signals.join(' | ')).toEqual({ kind: expected.kind, site: expected.site, genre: expected.genre });
      expect(d.score).toBeGreaterThanOrEqual(0);
      expect(d.score).toBeLessThanOrEqual(1);
      if (expected.kind === 'other') expect(d.score).toBeLessThan(0.5);
      else expect(d.score).toBeGreaterThanOrEqual(0.5);
      expect(d.signals.some((s) => s.startsWith('host:'))).toBe(true);
    });
  }
});

describe('pages: the kind does not hinge on one kind of signal', () => {
  for (const dir of pageDirs) {
    it(`${dir} without meta tags, without URL, and from its text sample alone`, () => {
      const html = fs.readFileSync(path.join(PAGES_DIR, dir, 'source.html'), 'utf8');
      const expected = JSON.parse(fs.readFileSync(path.join(PAGES_DIR, dir, 'expected.json'), 'utf8')) as Expected;
      const s = signalsOfPage(html, expected.url);
      const variants: Array<[string, PageSignals]> = [
        ['no meta', { ...s, meta: {} }],
        ['no url', { ...s, url: null, host: null }],
        ['sample only', { ...signalsFromText(s.sample, null) }],
      ];
      for (const [name, v] of variants) {
        const d = detectPage(v);
        expect(d.kind, `${name}: ${d.signals.join(' | ')}`).toBe(expected.kind);
      }
    });
  }
});

describe('seeds as plain text', () => {
  const cases: Array<[string, PageKind, DocGenre | null]> = [
    ['000-beijing-informatization-plan-2016.txt', 'policy', 'notice'],
    ['001-beijing-internet-plus-opinions-2016.txt', 'policy', 'opinion'],
    ['002-shanghai-big-data-opinions-2016.txt', 'policy', 'opinion'],
    ['003-beijing-big-data-cloud-plan-press-release.txt', 'interpretation', null],
    ['004-shenyang-big-data-action-plan-2016.txt', 'policy', 'notice'],
  ];
  for (const [file, kind, genre] of cases) {
    it(file, () => {
      const text = fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8');
      const d = detectPage(signalsFromText(text, null));
      expect({ kind: d.kind, genre: d.genre, site: d.site }, d.signals.join(' | ')).toEqual({ kind, genre, site: 'none' });
    });
  }

  it('finds the seeds’ own 文号 in either script and bracket form, not the numbers they cite', () => {
    const sig = (f: string) => detectPage(signalsFromText(fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8'), null)).signals;
    expect(sig('000-beijing-informatization-plan-2016.txt')).toContain('docnumber:京政发〔2016〕57号');
    expect(sig('001-beijing-internet-plus-opinions-2016.txt')).toContain('docnumber:京政发[2016]4号');
    expect(sig('004-shenyang-big-data-action-plan-2016.txt')).toContain('docnumber:沈政办发〔2016〕23号');
    // 001 cites 国发〔2015〕40号 in its lead; 003 has no number of its own.
    expect(sig('001-beijing-internet-plus-opinions-2016.txt').join()).toMatch(/cited-docnumbers:[1-9]/);
    expect(sig('003-beijing-big-data-cloud-plan-press-release.txt').some((s) => s.startsWith('docnumber:'))).toBe(false);
  });

  it('reads the seed 002 主送机关 and signature through its inline pinyin', () => {
    const text = fs.readFileSync(path.join(SEEDS_DIR, '002-shanghai-big-data-opinions-2016.txt'), 'utf8');
    const d = detectPage(signalsFromText(text, 'https://www.shanghai.gov.cn/nw12344/20200814/0001-12344_50000.html'));
    expect(d.signals).toContain('recipients');
    expect(d.signals).toContain('signature');
    expect(d.site).toBe('shanghai');
  });

  it('a seed pasted under a host keeps that host’s site profile', () => {
    const text = fs.readFileSync(path.join(SEEDS_DIR, '004-shenyang-big-data-action-plan-2016.txt'), 'utf8');
    expect(detectPage(signalsFromText(text, 'http://www.shenyang.gov.cn/zwgk/zcwj/201702/t20170201_1.html')).site).toBe('shenyang');
  });
});

describe.skipIf(!HAS_GOVCN)('real gov.cn pages (../shared/fixtures/govcn)', () => {
  // Genres read by hand from each page's own 标题 in expected.json.
  const GENRE: Record<string, DocGenre> = {
    'govcn-5341736.html': 'regulation', // 专利代理条例
    'govcn-5343832.html': 'reply', // …的批复
    'govcn-5345284.html': 'notice', // 转发…请示的通知
    'govcn-5345294.html': 'announcement', // …情况的通报
    'govcn-5345402.html': 'reply',
    'govcn-5345413.html': 'reply', // …的复函
    'govcn-5345639.html': 'notice',
    'govcn-5347465.html': 'notice',
    'govcn-5350734.html': 'opinion',
    'govcn-5351573.html': 'reply',
    'govcn-5351593.html': 'reply', // …建议的答复
    'govcn-5351607.html': 'reply',
    'govcn-5351671.html': 'reply', // …情况的函
    'govcn-5351718.html': 'notice',
    'govcn-5353307.html': 'decision',
    'govcn-5354528.html': 'opinion',
    'govcn-5355837.html': 'notice',
    'govcn-5359620.html': 'notice',
    'govcn-5362266.html': 'opinion',
    'govcn-5365945.html': 'opinion',
  };
  const files = HAS_GOVCN ? fs.readdirSync(GOVCN_DIR).filter((f) => f.endsWith('.html')).sort() : [];

  it('has all 20 pages', () => expect(files.length).toBe(20));

  for (const file of files) {
    it(file, () => {
      const html = fs.readFileSync(path.join(GOVCN_DIR, file), 'utf8');
      const url = /<!--\s*(https?:\/\/\S+)/.exec(html.slice(0, 500))?.[1] ?? null;
      expect(url).not.toBeNull();
      const s = signalsOfPage(html, url);
      expect(s.blocks).toContain('table.bd1');
      expect(s.sample.length).toBeLessThanOrEqual(SAMPLE_CHARS);
      const d = detectPage(s);
      expect({ kind: d.kind, site: d.site, genre: d.genre }, d.signals.join(' | ')).toEqual({
        kind: 'policy',
        site: 'govcn',
        genre: GENRE[file],
      });
      expect(d.signals.some((x) => x.startsWith('docnumber:'))).toBe(true);
    });
  }
});

describe('collectSignals', () => {
  const html = `<!DOCTYPE html><html><head><title>标题_栏目_站点</title>
    <meta name="ColumnName" content="政策文件"><meta name="ArticleTitle" content="关于印发某办法的通知">
    <script>var x = "关于印发某某的通知";</script><style>p{color:red}</style></head>
    <body><div class="nav"><a href="/">首页</a><a href="/a">政务公开</a></div>
    <h1>关于印发某办法的通知</h1><p>第一段<a href="/x">链接文字</a>。</p>
    <p style="display:none">隐藏的文字</p><p hidden>也隐藏</p>
    <table class="bd1"><tr><td>发文字号：</td><td>京政发〔2020〕1号</td></tr></table>
    <footer>页脚版权所有</footer></body></html>`;
  const s = collectSignals(parse(html), 'https://www.beijing.gov.cn/zhengce/1.html');

  it('reads host, meta, title, headings and metadata blocks', () => {
    expect(s.host).toBe('www.beijing.gov.cn');
    expect(s.meta.columnname).toBe('政策文件');
    expect(s.meta.articletitle).toBe('关于印发某办法的通知');
    expect(s.title).toBe('标题_栏目_站点');
    expect(s.headings).toEqual(['关于印发某办法的通知']);
    expect(s.blocks).toEqual(['table.bd1']);
  });

  it('samples body text line by line, leaving out scripts, nav, hidden elements and footers', () => {
    expect(s.sample.split('\n')).toEqual(['关于印发某办法的通知', '第一段链接文字。', '发文字号： 京政发〔2020〕1号']);
    expect(s.sampleLinks).toBe(1);
    expect(s.sampleLinkChars).toBe(4);
  });

  it('stops at the sample size on a huge page', () => {
    const big = `<html><body>${'<p>各区人民政府，市政府各委、办、局：</p>'.repeat(20000)}</body></html>`;
    const sig = collectSignals(parse(big), null);
    expect(sig.sample.length).toBeLessThanOrEqual(SAMPLE_CHARS);
    expect(sig.sample.length).toBeGreaterThan(SAMPLE_CHARS - 40);
  });

  it('keeps content that follows a long unmarked menu', () => {
    const menu = Array.from({ length: 150 }, (_, i) => `<li><a href="/c${i}">栏目名称${i}</a></li>`).join('');
    const page = `<html><body><div class="topmenu-wrap"><ul>${menu}</ul></div>
      <h3>关于印发某某办法的通知</h3><p>各区人民政府，市政府各委、办、局：</p></body></html>`;
    const sig = collectSignals(parse(page), null);
    expect(sig.sample).toContain('各区人民政府，市政府各委、办、局：');
    expect(sig.sampleLinks).toBe(150);
  });

  it('signalsFromText bounds the sample and drops control characters', () => {
    const t = signalsFromText('关于\u0000印发\u0007的通知\n\n\n' + 'x'.repeat(100000), 'not a url');
    expect(t.sample.startsWith('关于印发的通知\n')).toBe(true);
    expect(t.sample.length).toBeLessThanOrEqual(SAMPLE_CHARS);
    expect(t.host).toBeNull();
  });
});

describe('titleForm and the script fold', () => {
  it('reads genres in both scripts', () => {
    expect(titleForm('國務院辦公廳關於印發“無廢城市”建設試點工作方案的通知')).toMatchObject({ genre: 'notice', strength: 2 });
    expect(titleForm('上海市大數據發(fā)展實施意見')).toMatchObject({ genre: 'opinion', strength: 1 });
    expect(titleForm('沈阳市促进大数据发展三年行动计划(2016-2018年)')).toMatchObject({ genre: 'plan' });
    expect(titleForm('國務院關於同意設立某機構的批覆')).toMatchObject({ genre: 'reply', strength: 2 });
    expect(titleForm('市政府召开常务会议 研究部署防汛工作')).toMatchObject({ genre: null, news: true });
  });

  it('tells interpretation titles from column labels', () => {
    expect(titleForm('一图读懂|国务院办公厅关于进一步优化支付服务提升支付便利性的意见').interp).toBe(true);
    expect(titleForm('《北京市加快推进公共数据开放實施方案》政策解讀').interp).toBe(true);
    expect(titleForm('《北京市大数据和云计算发展行动计划(2016-2020年)》正式发布').interp).toBe(true);
    expect(titleForm('政策解读').interp).toBe(false);
    expect(titleForm('相關解讀').interp).toBe(false);
  });

  it('folds only Traditional characters, one for one', () => {
    const t = '京政發〔2016〕57號 關於印發 發文字號';
    expect(foldHans(t)).toBe('京政发〔2016〕57号 关于印发 发文字号');
    expect(foldHans(t).length).toBe(t.length);
  });
});

describe('robustness and cost', () => {
  it('does not hang or throw on hostile input', () => {
    const hostile = [
      '关于'.repeat(200000),
      '京政发〔'.repeat(50000) + '2016〕57号',
      ('各' + '、'.repeat(5000) + '：\n').repeat(50),
      '\u0000\u0001\u001f'.repeat(100000),
      '第一条'.repeat(100000),
      '令'.repeat(100000) + '第1号',
      ''.padEnd(500000, '(ā)'),
    ];
    for (const h of hostile) {
      const t0 = performance.now();
      const d = detectPage(signalsFromText(h, 'https://www.gov.cn/x'));
      const d2 = detectPage(signalsOfPage(`<html><body><p>${h}</p></body></html>`, null));
      expect(['policy', 'interpretation', 'other']).toContain(d.kind);
      expect(['policy', 'interpretation', 'other']).toContain(d2.kind);
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });

  it('measures detection cost on a list page (printed, not asserted)', () => {
    const html = fs.readFileSync(path.join(PAGES_DIR, 'govcn-policy-list', 'source.html'), 'utf8');
    const doc = parse(html);
    const url = 'https://www.gov.cn/zhengce/zuixin/';
    const runs = 200;
    for (let i = 0; i < 20; i++) detectPage(collectSignals(doc, url)); // warm up
    let t0 = performance.now();
    for (let i = 0; i < runs; i++) collectSignals(doc, url);
    const collectMs = (performance.now() - t0) / runs;
    const s = collectSignals(doc, url);
    t0 = performance.now();
    for (let i = 0; i < runs; i++) detectPage(s);
    const detectMs = (performance.now() - t0) / runs;
    console.log(`detection cost on govcn-policy-list (linkedom): collectSignals ${collectMs.toFixed(3)} ms, detectPage ${detectMs.toFixed(3)} ms`);
    expect(detectPage(s).kind).toBe('other');
  });
});

describe('content-script size constraint', () => {
  // lib/detect must not pull in opencc (directly or through lib/text/script.ts or key.ts).
  it('lib/detect imports nothing that reaches opencc', () => {
    const root = path.resolve(__dirname, '../lib/detect');
    const seen = new Set<string>();
    const stack = fs.readdirSync(root).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, f));
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const src = fs.readFileSync(file, 'utf8');
      for (const m of src.matchAll(/^\s*import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)) {
        const spec = m[1];
        expect(spec, `${file} imports ${spec}`).not.toMatch(/opencc/);
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec) + '.ts';
        expect(path.basename(target), `${file} imports ${spec}`).not.toMatch(/^(script|key)\.ts$/);
        if (fs.existsSync(target)) stack.push(target);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(2);
  });
});
