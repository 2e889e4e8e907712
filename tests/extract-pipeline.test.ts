// End-to-end pipeline: the five seeds (as text files and in their sites' templates), the 20 gov.cn pages
// (with their metadata table and from the body alone), and bad input through the file entry point.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { extractFromDocument, extractFromText } from '../lib/extract/pipeline';
import { extractFromBytes, InputError, MAX_FILE_BYTES } from '../lib/extract/from-file';
import { countByLevel } from '../lib/extract/clauses';
import { docNumberKey } from '../lib/citations/docnumber';
import { issuedTitle } from '../lib/citations/citations';
import { titleKey } from '../lib/text/key';
import { pageForSeed } from '../scripts/site-templates';
import type { ExtractedDoc } from '../lib/types';
import { GOVCN_DIR, HAS_GOVCN, SEEDS_DIR } from './support/paths';

const parse = (html: string) => parseHTML(html).document as unknown as Document;

const seedFile = (prefix: string) => fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix))!;
const seedText = (prefix: string) => fs.readFileSync(path.join(SEEDS_DIR, seedFile(prefix)), 'utf8');
const fromText = (prefix: string) => extractFromText(seedText(prefix), null);
function fromTemplate(prefix: string): ExtractedDoc {
  const page = pageForSeed(seedFile(prefix), seedText(prefix));
  return extractFromDocument(parse(page.html), page.url);
}

/** The metadata every seed must yield, from its text and from its site's page template alike. */
const SEED_METADATA: Record<string, { title: string; docNumber: string | null; issuers: string[]; written: string; recipients: number; levels: Record<number, number> }> = {
  '000': {
    title: '北京市人民政府關於印發《北京市“十三五”時期信息化發展規劃》的通知',
    docNumber: '京政发〔2016〕57号',
    issuers: ['北京市人民政府'],
    written: '2016-12-01',
    recipients: 3,
    levels: { 1: 7, 2: 21 },
  },
  '001': {
    title: '北京市人民政府关于积极推进“互联网+”行动的实施意见',
    docNumber: '京政发〔2016〕4号',
    issuers: ['北京市人民政府'],
    written: '2016-01-09',
    recipients: 3,
    levels: { 1: 4, 2: 20, 3: 15 },
  },
  '002': {
    title: '上海市大數據發展實施意見',
    docNumber: null,
    issuers: ['上海市人民政府'],
    written: '2016-09-15',
    recipients: 2,
    levels: { 1: 7, 2: 21, 3: 13 },
  },
  '004': {
    title: '沈阳市人民政府办公厅关于印发沈阳市促进大数据发展三年行动计划(2016-2018年)的通知',
    docNumber: '沈政办发〔2016〕23号',
    issuers: ['沈阳市人民政府办公厅'],
    written: '2016-02-04',
    recipients: 2,
    levels: { 1: 3, 2: 12, 3: 31 },
  },
};

describe('seeds through the pipeline', () => {
  for (const [prefix, want] of Object.entries(SEED_METADATA)) {
    for (const [how, run] of [
      ['text file', fromText],
      ['site template', fromTemplate],
    ] as const) {
      it(`${prefix} as ${how}: kind, metadata and clause levels`, () => {
        const doc = run(prefix);
        expect(doc.detection.kind).toBe('policy');
        expect(doc.metadata.title).toBe(want.title);
        expect(doc.metadata.docNumber?.normalized ?? null).toBe(want.docNumber);
        expect(doc.metadata.issuers).toEqual(want.issuers);
        expect(doc.metadata.dates.written).toBe(want.written);
        expect(doc.metadata.recipients).toHaveLength(want.recipients);
        expect(countByLevel(doc.clauses)).toEqual(want.levels);
        // Offsets of blocks and citations point into the text.
        for (const b of doc.blocks) expect(doc.text.slice(b.start, b.end)).toBe(b.text);
        for (const c of doc.citations) expect(doc.text.slice(c.start, c.end)).toBe(c.text);
      });
    }
  }

  it('000: the numbered metadata list fills every field it has and no field it leaves empty', () => {
    const m = fromText('000').metadata;
    expect(m.topics).toEqual(['經濟、交通', '資訊産業']);
    expect(m.dates).toEqual({ written: '2016-12-01', published: '2017-01-11', effective: null, repealed: null });
    expect(m.source).toBe('政府公報 2017年 第1期(總第493期)');
    expect(m.validity).toBeNull();
    expect(m.jointIssuers).toEqual([]);
    expect(m.docNumber?.raw).toBe('京政發〔2016〕57號');
  });

  it('000 in the 首都之窗 template is detected as beijing and its metadata block is not body text', () => {
    const doc = fromTemplate('000');
    expect(doc.detection.site).toBe('beijing');
    expect(doc.metadata.topics).toEqual(['經濟、交通', '資訊産業']);
    expect(doc.text).not.toContain('[發文機構]');
    expect(doc.text).not.toContain('政務公開 >');
  });

  it('003 is an interpretation whose headline is its title; its alias resolves to the plan', () => {
    const doc = fromText('003');
    expect(doc.detection.kind).toBe('interpretation');
    expect(doc.metadata.title).toBe('《北京市大数据和云计算发展行动计划(2016-2020年)》正式发布');
    const aliases = doc.citations.filter((c) => c.kind === 'alias');
    expect(aliases).toHaveLength(9);
    expect(new Set(aliases.map((a) => a.aliasOf))).toEqual(new Set(['北京市大数据和云计算发展行动计划(2016-2020年)']));
    expect(doc.text).not.toMatch(/- 打印|^小$/m);
  });

  it('002: pinyin removed and the mis-decoded headings keep their (一)(二) numbering', () => {
    const doc = fromText('002');
    expect(doc.text).not.toContain('(fā)');
    expect(doc.text).not.toContain('ㄒ唬');
    const first = doc.clauses[0];
    expect(first.label).toBe('一、');
    expect(first.children.map((c) => c.label.replace(/[（）]/g, (p) => (p === '（' ? '(' : ')')))).toEqual(['(一)', '(二)']);
    expect(first.children[0].heading).toBe('基本原則');
    expect(doc.flags.some((f) => f.kind === 'mojibake-repaired')).toBe(true);
    // 專項1…專項10 project blocks.
    const projects: string[] = [];
    const walk = (cs: ExtractedDoc['clauses']) => cs.forEach((c) => (c.kind === 'project' && projects.push(c.label), walk(c.children)));
    walk(doc.clauses);
    expect(projects).toHaveLength(10);
  });

  it('001: responsibility notes with a lead department on its tasks', () => {
    const doc = fromText('001');
    const notes: string[] = [];
    const walk = (cs: ExtractedDoc['clauses']) =>
      cs.forEach((c) => (c.responsibility?.lead.length && notes.push(c.responsibility.lead[0]), walk(c.children)));
    walk(doc.clauses);
    expect(notes.length).toBeGreaterThanOrEqual(20);
    expect(notes).toContain('市金融局');
  });

  it('cross-seed links: shared citations, one national document named three ways, own numbers', () => {
    const d000 = fromText('000');
    const d001 = fromText('001');
    const d002 = fromText('002');
    const d003 = fromText('003');
    const d004 = fromText('004');
    // 000 and 003 both cite the 信息化促进条例, in different scripts.
    const regs = [d000, d003].map((d) => d.citations.find((c) => c.title && /信息化促[進进]條?条?例/.test(c.title))!);
    expect(titleKey(regs[0].title!)).toBe(titleKey(regs[1].title!));
    // 002's 《促進大數據發(fā)展行動綱要》, 004's 《国务院关于印发促进大数据发展行动纲要的通知》 and 国发〔2015〕50号.
    const c002 = d002.citations.find((c) => c.title?.startsWith('促進大數據'))!;
    expect(c002.title).toBe('促進大數據發展行動綱要');
    const c004 = d004.citations.find((c) => c.docNumber?.normalized === '国发〔2015〕50号')!;
    expect(c004.kind).toBe('title+number');
    expect(titleKey(issuedTitle(c004.title!)!)).toBe(titleKey(c002.title!));
    // 001 cites its parent twice by title and number.
    const parents = d001.citations.filter((c) => c.docNumber?.normalized === '国发〔2015〕40号');
    expect(parents.filter((c) => c.kind === 'title+number')).toHaveLength(2);
    expect(parents[0].title).toBe('国务院关于积极推进“互联网+”行动的指导意见');
    // 000 writes its own number with 號; 000 nests a title in a title.
    expect(d000.citations.some((c) => c.docNumber?.raw === '京政發〔2016〕57號')).toBe(true);
    expect(d000.citations.find((c) => c.nested.length)?.nested).toEqual(['居住證暫行條例']);
  });
});

interface Expected {
  url: string;
  标题: string;
  发文字号: string;
  发文机关: string;
  成文日期: string;
  发布日期: string;
  索引号: string;
  主题分类: string;
  主题词: string;
}
const expected: Record<string, Expected> = HAS_GOVCN ? JSON.parse(fs.readFileSync(path.join(GOVCN_DIR, 'expected.json'), 'utf8')) : {};
const iso = (s: string) => s.replace(/^(\d{4})年(\d{1,2})月(\d{1,2})日$/, (_, y, m, d) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`);
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, '');

describe.skipIf(!HAS_GOVCN)(`gov.cn pages${HAS_GOVCN ? '' : ' (skipped: ../shared/fixtures/govcn absent)'}`, () => {
  for (const [file, e] of Object.entries(expected)) {
    const html = () => fs.readFileSync(path.join(GOVCN_DIR, file), 'utf8');
    it(`${file}: every field of its metadata table`, () => {
      const doc = extractFromDocument(parse(html()), e.url);
      expect(doc.detection.kind).toBe('policy');
      expect(doc.detection.site).toBe('govcn');
      const m = doc.metadata;
      expect(squash(m.title)).toBe(squash(e.标题));
      expect(m.docNumber?.normalized).toBe(docNumberKey(e.发文字号));
      expect(m.issuers.join('、')).toBe(e.发文机关);
      expect(m.dates.written).toBe(iso(e.成文日期));
      expect(m.dates.published).toBe(iso(e.发布日期));
      expect(m.indexNumber).toBe(e.索引号);
      expect(m.topics.join('\\')).toBe(e.主题分类);
      expect(m.keywords.join(' ')).toBe(e.主题词.trim().split(/[\s\u3000]+/).filter(Boolean).join(' '));
    });
    it(`${file}: from the body alone (metadata tables removed)`, () => {
      const { document } = parseHTML(html());
      for (const t of document.querySelectorAll('table.bd1')) t.remove();
      const doc = extractFromDocument(document as unknown as Document, e.url);
      expect(doc.detection.kind).toBe('policy');
      const m = doc.metadata;
      expect(squash(m.title)).toBe(squash(e.标题));
      expect(m.docNumber?.normalized).toBe(docNumberKey(e.发文字号));
      expect(m.issuers.join('、')).toBe(e.发文机关);
      expect(m.dates.written).toBe(iso(e.成文日期));
    });
  }
});

describe('bad input through the file entry point', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('empty file: a clear error', () => {
    expect(() => extractFromBytes('empty.txt', new Uint8Array(0), parse)).toThrow(/empty\.txt: empty file/);
  });
  it('binary file: a clear error', () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect(() => extractFromBytes('image.png', bytes, parse)).toThrow(InputError);
  });
  it('a file over the size limit is refused without being read as text', () => {
    const big = new Uint8Array(MAX_FILE_BYTES + 1);
    expect(() => extractFromBytes('huge.html', big, parse)).toThrow(/too large/);
  });
  it('broken HTML gives a result, not a crash', () => {
    const broken = '<html><body><div><p>国务院关于<b>印发<p>《某某办法》的通知</td></tr></table><script>alert(1)';
    const doc = extractFromBytes('broken.html', enc(broken), parse);
    expect(['policy', 'interpretation', 'other']).toContain(doc.detection.kind);
    expect(doc.text).not.toContain('alert(1)');
  });
  it('a text file that is not a policy is classed other', () => {
    const doc = extractFromBytes('note.txt', enc('今天天气很好，我们去公园散步。\n晚上吃饺子。'), parse);
    expect(doc.detection.kind).toBe('other');
  });
});
