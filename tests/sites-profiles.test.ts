// Tests for lib/sites/*: each site profile on real gov.cn pages and on the seeds laid out as site pages.
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { blocksFromDocument } from '../lib/page/blocks';
import { fieldKey, genericProfile, govMeta, scanFields } from '../lib/sites/generic';
import { siteForHost } from '../lib/sites/hosts';
import { profileFor, type FieldPair } from '../lib/sites/profile';
import { squashSpace, stripSpace } from '../lib/text/width';
import type { SiteId } from '../lib/types';
import { beijingPage, escapeHtml, govcnPage, pageForSeed, shanghaiPage, shenyangPage } from '../scripts/site-templates';
import { GOVCN_DIR, SEEDS_DIR } from './support/paths';

const hasFixtures = fs.existsSync(GOVCN_DIR);

const seedFile = (prefix: string): string => {
  const f = fs.readdirSync(SEEDS_DIR).find((x) => x.startsWith(prefix) && x.endsWith('.txt'));
  if (!f) throw new Error(`seed ${prefix} missing`);
  return f;
};
const seedText = (prefix: string): string => fs.readFileSync(path.join(SEEDS_DIR, seedFile(prefix)), 'utf8');
const doc = (html: string): Document => parseHTML(html).document as unknown as Document;
const keyed = (pairs: FieldPair[]): Map<string, string> => new Map(pairs.map((p) => [fieldKey(p.label), p.value]));

/** 首都之窗's numbered items in seed 000 (`  3. [聯合發文單位]`), parsed independently of the code under test. */
function seed000Items(): FieldPair[] {
  return seedText('000')
    .split('\n')
    .map((l) => /^\s*\d+\.\s*\[([^\]]+)\]\s*(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ label: m[1], value: squashSpace(m[2]) }));
}

describe('profileFor', () => {
  it('returns one adapter per site and the generic one for none', () => {
    const ids: SiteId[] = ['beijing', 'govcn', 'shanghai', 'shenyang', 'generic'];
    for (const id of ids) expect(profileFor(id).id).toBe(id);
    expect(profileFor('none')).toBe(genericProfile);
    expect(profileFor('beijing').name).toBe('首都之窗');
    for (const id of ids) expect(profileFor(id).chromeSelectors.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasFixtures)('profiles on the 20 gov.cn pages (fixtures absent: skipped)', () => {
  const expected: Record<string, Record<string, string>> = hasFixtures
    ? JSON.parse(fs.readFileSync(path.join(GOVCN_DIR, 'expected.json'), 'utf8'))
    : {};
  const load = (f: string): Document => doc(fs.readFileSync(path.join(GOVCN_DIR, f), 'utf8'));

  it('covers all 20 pages', () => expect(Object.keys(expected).length).toBe(20));

  for (const id of ['govcn', 'generic', 'beijing', 'shanghai', 'shenyang'] as const) {
    it(`${id}: fields() give the labelled pairs of expected.json; the body is #UCAP-CONTENT`, () => {
      for (const [file, want] of Object.entries(expected)) {
        const d = load(file);
        const profile = profileFor(id);
        const fields = keyed(profile.fields(d));
        for (const [label, value] of Object.entries(want)) {
          if (label === 'url') continue;
          expect(fields.has(label), `${file} ${label}`).toBe(true);
          expect(squashSpace(fields.get(label) as string), `${file} ${label}`).toBe(squashSpace(value));
        }
        expect(profile.contentRoot(d)?.id, file).toBe('UCAP-CONTENT');
      }
    });
  }

  it('govcn: labels stay as the site shows them (spacing kept, colon dropped)', () => {
    const labels = profileFor('govcn').fields(load('govcn-5341736.html')).map((p) => p.label);
    expect(labels).toEqual(['索 引 号', '主题分类', '发文机关', '成文日期', '标 题', '发文字号', '发布日期', '主 题 词']);
  });

  it('govcn: title() is the table’s 标题 (no meta tags in these pages)', () => {
    for (const [file, want] of Object.entries(expected)) {
      expect(stripSpace(profileFor('govcn').title(load(file)) ?? ''), file).toBe(stripSpace(want['标题']));
    }
  });

  it('govcn: the metadata tables are its metadata blocks', () => {
    const d = load('govcn-5341736.html');
    const blocks = profileFor('govcn').metadataBlocks?.(d) ?? [];
    expect(blocks.length).toBe(2);
    for (const b of blocks) expect(b.getAttribute('class')).toBe('bd1');
  });
});

describe('profiles on the seeds laid out as site pages', () => {
  it('pageForSeed maps the seeds to their sites and hosts', () => {
    const want: Record<string, SiteId> = { '000': 'beijing', '001': 'beijing', '002': 'shanghai', '003': 'beijing', '004': 'shenyang' };
    for (const [prefix, site] of Object.entries(want)) {
      const page = pageForSeed(seedFile(prefix), seedText(prefix));
      expect(page.site).toBe(site);
      expect(siteForHost(new URL(page.url).host)).toBe(site);
      expect(page.url.endsWith(page.path)).toBe(true);
      expect(page.html).toContain('<meta charset="utf-8">');
      const meta = govMeta(doc(page.html));
      expect(meta.SiteName).toBe(profileFor(site).name);
      expect(meta.SiteIDCode).toMatch(/^\w+$/);
      expect(meta.ColumnName).toBeTruthy();
      expect(meta.ArticleTitle).toBeTruthy();
      const html = page.html;
      expect(html).toMatch(/网站标识码/);
      expect(html).toMatch(/ICP备/);
    }
    expect(govMeta(doc(pageForSeed(seedFile('003'), seedText('003')).html)).ColumnName).toBe('政策解读');
  });

  it('beijing: fields of seed 000 are its 10 numbered items, empty ones included', () => {
    const d = doc(pageForSeed(seedFile('000'), seedText('000')).html);
    const items = seed000Items();
    expect(items.length).toBe(10);
    expect(profileFor('beijing').fields(d)).toEqual(items);
    expect(items.filter((p) => p.value === '').map((p) => p.label)).toEqual(['聯合發文單位', '實施日期', '廢止日期', '有效性']);
    // the generic scan finds the same list by its known labels
    expect(genericProfile.fields(d)).toEqual(items);
  });

  it('beijing: body root holds the title and #mainText; title is the page’s', () => {
    const d = doc(pageForSeed(seedFile('000'), seedText('000')).html);
    const root = profileFor('beijing').contentRoot(d) as Element;
    expect(root.querySelector('#mainText')).not.toBeNull();
    expect(profileFor('beijing').title(d)).toBe(seedText('000').split('\n')[12]);
  });

  it('seeds without a metadata block have no fields; titles come from the page', () => {
    const titles: Record<string, string> = {
      '001': '北京市人民政府关于积极推进“互联网+”行动的实施意见',
      '002': '上海市大數據發(fā)展實施意見',
      '003': '《北京市大数据和云计算发展行动计划(2016-2020年)》正式发布',
      '004': '《沈阳市促进大数据发展三年行动计划(2016-2018年)》',
    };
    for (const [prefix, title] of Object.entries(titles)) {
      const page = pageForSeed(seedFile(prefix), seedText(prefix));
      const d = doc(page.html);
      expect(profileFor(page.site).fields(d)).toEqual([]);
      expect(profileFor(page.site).title(d)).toBe(title);
    }
  });

  it('shanghai and shenyang: their body containers', () => {
    const sh = doc(pageForSeed(seedFile('002'), seedText('002')).html);
    expect(profileFor('shanghai').contentRoot(sh)?.id).toBe('ivs_content');
    const sy = doc(pageForSeed(seedFile('004'), seedText('004')).html);
    expect(profileFor('shenyang').contentRoot(sy)?.getAttribute('class')).toContain('article-content');
  });

  it('shenyang: without meta tags the title comes from the header, column dropped', () => {
    const html = shenyangPage(seedText('004'), { chrome: [0, 2, 3, 122, 124, 125] }).replace(
      /<meta name="ArticleTitle"[^>]*>/,
      '',
    );
    expect(profileFor('shenyang').title(doc(html))).toBe('《沈阳市促进大数据发展三年行动计划(2016-2018年)》');
  });

  it('govcn builder: the new template’s table gives the fields; #UCAP-CONTENT the body', () => {
    const html = govcnPage(seedText('000'), { title: 12, chrome: [0, 14, 179, 180, 181, 183] });
    const d = doc(html.replace(/<meta name="ArticleTitle"[^>]*>/, ''));
    const govcn = profileFor('govcn');
    const fields = govcn.fields(d);
    expect(fields[0]).toEqual({ label: '标 题', value: seedText('000').split('\n')[12] });
    expect(fields.slice(1)).toEqual(seed000Items());
    expect(govcn.contentRoot(d)?.id).toBe('UCAP-CONTENT');
    expect(govcn.title(d)).toBe(seedText('000').split('\n')[12]);
    const { blocks } = blocksFromDocument(d, govcn);
    expect(blocks[0].text).toBe('京政發〔2016〕57號');
  });
});

describe('falling back to the generic heuristics when a site changes its template', () => {
  it('beijing profile on a page without #mainText finds the body by CMS selectors', () => {
    const d = doc(shanghaiPage(seedText('001')));
    expect(profileFor('beijing').contentRoot(d)?.id).toBe('ivs_content');
  });

  it('with unknown class names the densest container is the body, not nav or footer', () => {
    const renamed = beijingPage(seedText('001'))
      .replace('class="view TRS_UEDITOR trs_paper_default trs_web" id="mainText"', 'class="wz-2024"')
      .replace('class="article"', 'class="box-a"');
    const d = doc(renamed);
    for (const id of ['beijing', 'shanghai', 'shenyang', 'govcn', 'generic'] as const) {
      const root = profileFor(id).contentRoot(d) as Element;
      expect(root.getAttribute('class'), id).toBe('wz-2024');
      const { blocks } = blocksFromDocument(d, profileFor(id));
      const lines = seedText('001').split('\n').filter((l) => l.trim());
      expect(blocks.map((b) => b.text), id).toEqual(lines.map(squashSpace));
    }
  });

  it('beijing without ol.doc-info reads a label/value table by its known labels', () => {
    const d = doc(`<html><body><table class="xxgk"><tr><th>索引号</th><td>11000D/2017-001</td><th>发布机构</th><td>北京市人民政府</td></tr>
      <tr><td>發文字號：</td><td>京政發〔2016〕57號</td><td>成文日期：</td><td>2016-12-01</td></tr></table>
      <div id="mainText"><p>各区人民政府，市政府各委、办、局，各市属机构：现将规划印发给你们。</p></div></body></html>`);
    expect(keyed(profileFor('beijing').fields(d))).toEqual(
      new Map([
        ['索引号', '11000D/2017-001'],
        ['发布机构', '北京市人民政府'],
        ['发文字号', '京政發〔2016〕57號'],
        ['成文日期', '2016-12-01'],
      ]),
    );
  });
});

describe('generic field scan', () => {
  it('reads dl lists and span label/value pairs', () => {
    const d = doc(`<html><body>
      <dl class="info"><dt>发文机关：</dt><dd>国务院办公厅</dd><dt>发文字号：</dt><dd>国办发〔2018〕1号</dd><dt>主题词：</dt><dd></dd></dl>
      <div class="meta"><span>索引号：</span><span>000014349/2018-00001</span><span>发布日期：</span><span>2018年01月04日</span><span>有效性：</span><span>有效</span></div>
      </body></html>`);
    expect(keyed(scanFields(d).pairs)).toEqual(
      new Map([
        ['发文机关', '国务院办公厅'],
        ['发文字号', '国办发〔2018〕1号'],
        ['主题词', ''],
        ['索引号', '000014349/2018-00001'],
        ['发布日期', '2018年01月04日'],
        ['有效性', '有效'],
      ]),
    );
  });

  it('reads one element holding several label：value spans', () => {
    const d = doc(`<html><body><div class="xxgk-info"><span>索引号：11000D/2016-00057</span><span>发布机构：北京市人民政府</span><span>成文日期：2016-12-01</span></div></body></html>`);
    expect(keyed(scanFields(d).pairs).get('发布机构')).toBe('北京市人民政府');
    expect(scanFields(d).pairs.length).toBe(3);
  });

  it('does not take a data table’s header row or a body paragraph for metadata', () => {
    const d = doc(`<html><body><div id="c">
      <table><tr><th>序号</th><th>标题</th><th>发文字号</th><th>发布日期</th></tr>
      <tr><td>1</td><td>关于印发某办法的通知</td><td>京政发〔2016〕1号</td><td>2016-01-01</td></tr></table>
      <p>来源：新华社</p><p>联系人：张三</p></div></body></html>`);
    expect(scanFields(d).pairs).toEqual([]);
    const { blocks } = blocksFromDocument(d, { ...genericProfile, contentRoot: (x) => x.querySelector('#c') });
    expect(blocks.map((b) => b.text)).toEqual([
      '序号\t标题\t发文字号\t发布日期',
      '1\t关于印发某办法的通知\t京政发〔2016〕1号\t2016-01-01',
      '联系人：张三',
    ]);
  });
});

describe('site templates', () => {
  it('escapes page text', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    const d = doc(beijingPage('<img src=x onerror=alert(1)>第一条</p>'));
    expect(d.querySelector('img[onerror]')).toBeNull();
    const { blocks } = blocksFromDocument(d, profileFor('beijing'));
    expect(blocks.map((b) => b.text)).toEqual(['<img src=x onerror=alert(1)>第一条</p>']);
  });
});
