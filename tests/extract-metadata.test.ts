// Issuing metadata from site fields and from the document text (GB/T 9704 layout), on the seeds and gov.cn pages.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import type { Block } from '../lib/types';
import { metadataFromFields, metadataFromText, mergeMetadata, splitRecipients, type FieldPair } from '../lib/extract/metadata';
import { parseDate } from '../lib/extract/dates';
import { docNumberKey } from '../lib/citations/docnumber';
import { GOVCN_DIR, HAS_GOVCN, SEEDS_DIR } from './support/paths';

/** Blocks as a plain-text page gives them: one per non-empty line, trimmed, joined by \n. */
function blocksFrom(parts: string[]): { blocks: Block[]; text: string } {
  const blocks: Block[] = [];
  let offset = 0;
  parts.forEach((text, i) => {
    blocks.push({ text, start: offset, end: offset + text.length, source: i, tag: 'line' });
    offset += text.length + 1;
  });
  return { blocks, text: parts.join('\n') };
}

function seedBlocks(name: string) {
  const lines = fs.readFileSync(path.join(SEEDS_DIR, name), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  return blocksFrom(lines);
}

function fromSeed(name: string, hint?: string) {
  const { blocks, text } = seedBlocks(name);
  return metadataFromText(blocks, text, hint ? { title: hint } : undefined);
}

describe('metadataFromFields', () => {
  it('reads seed 000’s numbered [label] list exactly, empty fields as null', () => {
    const lines = fs.readFileSync(path.join(SEEDS_DIR, '000-beijing-informatization-plan-2016.txt'), 'utf8').split('\n');
    const pairs: FieldPair[] = [];
    for (const line of lines.slice(0, 15)) {
      const m = /^\s*\d+\.\s*(\[[^\]]+\])\s*(.*)$/.exec(line);
      if (m) pairs.push({ label: m[1], value: m[2] });
    }
    expect(pairs).toHaveLength(10);
    const meta = metadataFromFields(pairs);
    expect(meta.topics).toEqual(['經濟、交通', '資訊産業']);
    expect(meta.issuers).toEqual(['北京市人民政府']);
    expect(meta.jointIssuers).toEqual([]);
    expect(meta.docNumber?.normalized).toBe('京政发〔2016〕57号');
    expect(meta.docNumber?.raw).toBe('京政發〔2016〕57號');
    expect(meta.dates).toEqual({ written: '2016-12-01', published: '2017-01-11', effective: null, repealed: null });
    expect(meta.validity).toBeNull();
    expect(meta.source).toBe('政府公報 2017年 第1期(總第493期)');
    expect(meta.title).toBeUndefined(); // the list has no title field
  });

  it('reads labels in both scripts with spaces, colons and brackets', () => {
    const meta = metadataFromFields([
      { label: '索 引 号：', value: '000014349/2018-00206' },
      { label: '標　　題：', value: '國務院辦公廳關於 加快發展體育競賽表演產業的指導意見' },
      { label: '【发文机关】', value: '国务院办公厅、中央军委办公厅' },
      { label: '聯合發文單位:', value: '无' },
      { label: '文号', value: '国办发〔1996〕25号' },
      { label: '實施日期：', value: '2019年3月1日' },
      { label: '失效日期', value: '' },
      { label: '时效性', value: '有效' },
      { label: '主題分類', value: '科技、教育\\知识产权' },
      { label: '主 题 词：', value: '体育 运动会 函' },
      { label: '來源', value: '中国政府网' },
      { label: '浏览次数', value: '1024' },
    ]);
    expect(meta.indexNumber).toBe('000014349/2018-00206');
    expect(meta.title).toBe('國務院辦公廳關於加快發展體育競賽表演產業的指導意見');
    expect(meta.issuers).toEqual(['国务院办公厅', '中央军委办公厅']);
    expect(meta.jointIssuers).toEqual([]);
    expect(meta.docNumber?.normalized).toBe('国办发〔1996〕25号');
    expect(meta.dates).toEqual({ written: null, published: null, effective: '2019-03-01', repealed: null });
    expect(meta.validity).toBe('有效');
    expect(meta.topics).toEqual(['科技、教育', '知识产权']);
    expect(meta.keywords).toEqual(['体育', '运动会', '函']);
    expect(meta.source).toBe('中国政府网');
  });
});

describe('metadataFromText on the seeds', () => {
  it('000 (Traditional): title, 字號 line, 主送機關, signature and date, original script kept', () => {
    const m = fromSeed('000-beijing-informatization-plan-2016.txt');
    expect(m.title).toBe('北京市人民政府關於印發《北京市“十三五”時期信息化發展規劃》的通知');
    expect(m.docNumber?.normalized).toBe('京政发〔2016〕57号');
    expect(m.issuers).toEqual(['北京市人民政府']);
    expect(m.recipients).toEqual(['各區人民政府', '市政府各委、辦、局', '各市屬機構']);
    expect(m.signature).toEqual(['北京市人民政府']);
    expect(m.dates?.written).toBe('2016-12-01');
    expect(m.attachments).toEqual([]);
  });

  it('001: title from 附:《…》 above the head, ASCII-bracket 文号, signature at the very end', () => {
    const m = fromSeed('001-beijing-internet-plus-opinions-2016.txt');
    expect(m.title).toBe('北京市人民政府关于积极推进“互联网+”行动的实施意见');
    expect(m.docNumber?.raw).toBe('京政发[2016]4号');
    expect(m.docNumber?.normalized).toBe('京政发〔2016〕4号'); // not the cited 国发〔2015〕40号 above it
    expect(m.issuers).toEqual(['北京市人民政府']);
    expect(m.recipients).toEqual(['各区人民政府', '市政府各委、办、局', '各市属机构']);
    expect(m.signature).toEqual(['北京市人民政府']);
    expect(m.dates?.written).toBe('2016-01-09');
    expect(m.attachments).toEqual([]); // the 附 line names the document itself, not an attachment
  });

  it('002: no title line and no 文号; signature and date from the notice', () => {
    const m = fromSeed('002-shanghai-big-data-opinions-2016.txt');
    expect(m.docNumber).toBeNull();
    expect(m.signature).toEqual(['上海市人民政府']);
    expect(m.issuers).toEqual(['上海市人民政府']);
    expect(m.dates?.written).toBe('2016-09-15');
    expect(m.recipients).toHaveLength(2);
    // Without a notice title the issued plan's title is the best the text offers; a page hint wins.
    expect(m.title).toBe('上海市大數據發(fā)展實施意見');
    const hinted = fromSeed('002-shanghai-big-data-opinions-2016.txt', '上海市人民政府關於印發《上海市大數據發展實施意見》的通知_上海市人民政府');
    expect(hinted.title).toBe('上海市人民政府關於印發《上海市大數據發展實施意見》的通知');
  });

  it('003 (a press release): nothing invented', () => {
    const m = fromSeed('003-beijing-big-data-cloud-plan-press-release.txt');
    expect(m.title).toBeNull();
    expect(m.docNumber).toBeNull();
    expect(m.signature).toEqual([]);
    expect(m.dates?.written ?? null).toBeNull();
  });

  it('004: notice title after header chrome, 文号, signature before (此件公开发布)', () => {
    const m = fromSeed('004-shenyang-big-data-action-plan-2016.txt');
    expect(m.title).toBe('沈阳市人民政府办公厅关于印发沈阳市促进大数据发展三年行动计划(2016-2018年)的通知');
    expect(m.docNumber?.normalized).toBe('沈政办发〔2016〕23号');
    expect(m.issuers).toEqual(['沈阳市人民政府办公厅']);
    expect(m.recipients).toEqual(['各区、县(市)人民政府', '市政府各部门、各直属单位']);
    expect(m.signature).toEqual(['沈阳市人民政府办公厅']);
    expect(m.dates?.written).toBe('2016-02-04');
  });

  it('a title split over lines, with the 文号 and attachments (附件说明 before the signature)', () => {
    const { blocks, text } = blocksFrom([
      '国务院办公厅关于印发“无废城市”建设',
      '试点工作方案的通知',
      '国办发〔2018〕128号',
      '各省、自治区、直辖市人民政府，国务院各部委、各直属机构：',
      '《“无废城市”建设试点工作方案》已经国务院同意，现印发给你们，请认真贯彻执行。',
      '附件：1.“无废城市”建设试点工作方案',
      '2.“无废城市”建设指标体系（试行）',
      '国务院办公厅',
      '2018年12月29日',
      '（此件公开发布）',
    ]);
    const m = metadataFromText(blocks, text);
    expect(m.title).toBe('国务院办公厅关于印发“无废城市”建设试点工作方案的通知');
    expect(m.attachments).toEqual(['“无废城市”建设试点工作方案', '“无废城市”建设指标体系（试行）']);
    expect(m.dates?.written).toBe('2018-12-29');
  });

  it('a city decree: 文号 from the 令 heading, title after the signer and date', () => {
    const { blocks, text } = blocksFrom([
      '北京市人民政府令',
      '第293号',
      '《北京市实施〈居住证暂行条例〉办法》已经2016年8月23日市人民政府第121次常务会议审议通过，现予公布，自2016年10月1日起施行。',
      '市长　王安顺',
      '2016年9月1日',
      '北京市实施《居住证暂行条例》办法',
      '第一条　为了实施《居住证暂行条例》，结合本市实际，制定本办法。',
    ]);
    const m = metadataFromText(blocks, text);
    expect(m.docNumber?.normalized).toBe('北京市人民政府令第293号');
    expect(m.issuers).toEqual(['北京市人民政府']);
    expect(m.signature).toEqual([]); // signed by a person, not an organ
    expect(m.dates?.written).toBe('2016-09-01');
    expect(m.title).toBe('北京市实施《居住证暂行条例》办法');
  });

  it('joint issuers separated by a space keep it; a bracketed period line continues a title', () => {
    const joint = blocksFrom(['中共中央办公厅 国务院办公厅关于进一步加强', '信息公开工作的意见', '中办发〔2016〕8号']);
    const m = metadataFromText(joint.blocks, joint.text);
    expect(m.title).toBe('中共中央办公厅 国务院办公厅关于进一步加强信息公开工作的意见');
    expect(m.issuers).toEqual(['中共中央办公厅', '国务院办公厅']);
    const plan = blocksFrom(['北京市大数据和云计算发展行动计划', '(2016-2020年)', '为贯彻落实国家相关会议精神，制定本行动计划。']);
    expect(metadataFromText(plan.blocks, plan.text).title).toBe('北京市大数据和云计算发展行动计划(2016-2020年)');
  });

  it('does not hang or throw on hostile input', () => {
    const huge = '关于'.repeat(200_000) + '的通知';
    const parts = [huge, '\u0000\u0001国办发〔2018〕', '：'.repeat(10_000), ...Array.from({ length: 20_000 }, (_, i) => `第${i}条 2016年12月1日 国务院`)];
    const { blocks, text } = blocksFrom(parts);
    const t0 = Date.now();
    expect(() => metadataFromText(blocks, text, { title: 'x'.repeat(100_000) })).not.toThrow();
    expect(() => metadataFromFields([{ label: '发文字号'.repeat(1000), value: '〔'.repeat(100_000) }])).not.toThrow();
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('splitRecipients', () => {
  it.each([
    ['各區人民政府,市政府各委、辦、局,各市屬機構:', ['各區人民政府', '市政府各委、辦、局', '各市屬機構']],
    ['各省、自治区、直辖市人民政府，国务院各部委、各直属机构：', ['各省、自治区、直辖市人民政府', '国务院各部委、各直属机构']],
    ['各省、市、自治区人民政府，国务院有关部委、直属机构：', ['各省、市、自治区人民政府', '国务院有关部委、直属机构']],
    ['广东省人民政府，教育部、外交部、财政部、体育总局：', ['广东省人民政府', '教育部', '外交部', '财政部', '体育总局']],
    ['各区、县(市)人民政府,市政府各部门、各直属单位:', ['各区、县(市)人民政府', '市政府各部门、各直属单位']],
    ['石英代表：', ['石英代表']],
  ])('%s', (line, expected) => {
    expect(splitRecipients(line)).toEqual(expected);
  });
});

describe('mergeMetadata', () => {
  it('fields win where they have a value; text fills the rest; a complete record', () => {
    const primary = metadataFromFields([
      { label: '[發文機構]', value: '北京市人民政府' },
      { label: '[發佈日期]', value: '2017-01-11' },
      { label: '[有效性]', value: '' },
      { label: '[發文字號]', value: '' },
    ]);
    const fallback = fromSeed('000-beijing-informatization-plan-2016.txt');
    const m = mergeMetadata(primary, fallback);
    expect(m.issuers).toEqual(['北京市人民政府']);
    expect(m.docNumber?.normalized).toBe('京政发〔2016〕57号'); // empty field → the text's
    expect(m.dates).toEqual({ written: '2016-12-01', published: '2017-01-11', effective: null, repealed: null });
    expect(m.recipients).toEqual(['各區人民政府', '市政府各委、辦、局', '各市屬機構']);
    expect(m.validity).toBeNull();
    expect(Object.keys(m).sort()).toEqual(
      ['attachments', 'dates', 'docNumber', 'indexNumber', 'issuers', 'jointIssuers', 'keywords', 'recipients', 'signature', 'source', 'title', 'topics', 'validity'],
    );
    const empty = mergeMetadata({}, {});
    expect(empty.title).toBeNull();
    expect(empty.topics).toEqual([]);
    expect(empty.dates.written).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// gov.cn fixtures: the page's own metadata table is the reference for what the body alone yields.

interface Expected {
  主题分类: string;
  主题词: string;
  发布日期: string;
  发文字号: string;
  发文机关: string;
  成文日期: string;
  标题: string;
  索引号: string;
}

const expected: Record<string, Expected> = HAS_GOVCN
  ? JSON.parse(fs.readFileSync(path.join(GOVCN_DIR, 'expected.json'), 'utf8'))
  : {};
const files = Object.keys(expected);
const noSpace = (s: string) => s.replace(/[\s\u3000\u00a0]+/g, '');

function page(file: string): Document {
  return parseHTML(fs.readFileSync(path.join(GOVCN_DIR, file), 'utf8')).document as unknown as Document;
}

/** Label/value pairs of gov.cn's `table.bd1` metadata tables: label cells end with a colon. */
function tablePairs(doc: Document): FieldPair[] {
  const pairs: FieldPair[] = [];
  for (const table of doc.querySelectorAll('table.bd1')) {
    const cells = [...table.querySelectorAll('td')].map((td) => td.textContent ?? '');
    for (let i = 0; i + 1 < cells.length; i++) {
      if (/[:：]\s*$/.test(cells[i])) pairs.push({ label: cells[i], value: cells[++i] });
    }
  }
  return pairs;
}

/** The document body alone: `#UCAP-CONTENT` without the metadata tables, one block per <p>. */
function bodyBlocks(doc: Document) {
  const content = doc.querySelector('#UCAP-CONTENT')!;
  for (const t of content.querySelectorAll('table')) t.remove();
  const parts = [...content.querySelectorAll('p')].map((p) => (p.textContent ?? '').trim()).filter(Boolean);
  return blocksFrom(parts);
}

const govcnTitle = HAS_GOVCN ? 'gov.cn fixtures' : 'gov.cn fixtures — skipped: ../shared/fixtures/govcn is absent';

describe.skipIf(!HAS_GOVCN)(govcnTitle, () => {
  it('has all 20 pages', () => expect(files).toHaveLength(20));

  it.each(files)('%s: metadataFromFields reproduces its metadata table', (file) => {
    const e = expected[file];
    const m = metadataFromFields(tablePairs(page(file)));
    expect(m.indexNumber).toBe(e.索引号);
    expect(m.topics).toEqual(e.主题分类.split('\\'));
    expect(m.keywords).toEqual(e.主题词 ? e.主题词.split(' ') : []);
    expect(m.issuers).toEqual(e.发文机关.split('、'));
    expect(m.dates?.written).toBe(parseDate(e.成文日期));
    expect(m.dates?.published).toBe(parseDate(e.发布日期));
    expect(m.dates?.written).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(m.docNumber?.normalized).toBe(docNumberKey(e.发文字号));
    expect(m.title).toBe(noSpace(e.标题));
  });

  // Per-field tallies for the report; every miss is also a failing test below.
  const tally = { title: 0, docNumber: 0, issuers: 0, written: 0 };

  it.each(files)('%s: the body alone gives title, 文号, issuers and 成文日期', (file) => {
    const e = expected[file];
    const { blocks, text } = bodyBlocks(page(file));
    const m = metadataFromText(blocks, text);
    const got = {
      title: noSpace(m.title ?? ''),
      docNumber: m.docNumber?.normalized ?? null,
      issuers: (m.issuers ?? []).join('、'),
      written: m.dates?.written ?? null,
    };
    const want = {
      title: noSpace(e.标题),
      docNumber: docNumberKey(e.发文字号),
      issuers: e.发文机关,
      written: parseDate(e.成文日期),
    };
    for (const k of Object.keys(tally) as (keyof typeof tally)[]) if (got[k] === want[k]) tally[k]++;
    expect(got).toEqual(want);
  });

  it('reports the tallies', () => {
    console.log(`gov.cn body-only metadata, matches of ${files.length}:`, tally);
    expect(Object.values(tally).every((v) => v === files.length)).toBe(true);
  });
});
