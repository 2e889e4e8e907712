// Builds ExtractedDoc objects from the real seed files for library tests (the pipeline is not needed).
// Every string placed in a doc is looked up in the seed text; a missing one throws, so nothing is invented.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseChineseNumber } from '../../lib/text/numerals';
import { stripPinyin } from '../../lib/text/pinyin';
import { toSimplifiedChars } from '../../lib/text/script';
import type {
  Block,
  Citation,
  CitationKind,
  Clause,
  ClauseKind,
  DocGenre,
  DocNumber,
  ExtractedDoc,
  PageKind,
  PolicyMetadata,
  Responsibility,
  SiteId,
  TextFlag,
} from '../../lib/types';
import type { HighlightRow } from '../../lib/library/db';
import { SEEDS_DIR } from './paths';

interface ClauseSpec {
  label: string;
  heading: string;
  kind: ClauseKind;
  /** A responsibility note written in the clause, e.g. (市金融局牵头,…负责). */
  responsibility?: string;
  children?: ClauseSpec[];
}

interface CitationSpec {
  /** The cited span exactly as in the seed. */
  text: string;
  /** Which occurrence (0-based). */
  nth?: number;
  title: string | null;
  docNumber?: string;
  kind: CitationKind;
  issues?: string;
  aliasOf?: string;
  nested?: string[];
}

interface SeedSpec {
  file: string;
  kind: PageKind;
  genre: DocGenre | null;
  site: SiteId;
  signals: string[];
  /** Remove inline pinyin as the pipeline does (seed 002). */
  stripPinyin?: boolean;
  title: string;
  issuers?: string[];
  docNumber?: string;
  written?: string;
  published?: string;
  topics?: string[];
  source?: string;
  recipients?: string[];
  signature?: string[];
  clauses: ClauseSpec[];
  citations: CitationSpec[];
}

const SPECS: SeedSpec[] = [
  {
    file: '000-beijing-informatization-plan-2016.txt',
    kind: 'policy',
    genre: 'notice',
    site: 'beijing',
    signals: ['metadata-list', 'docnumber'],
    title: '北京市人民政府關於印發《北京市“十三五”時期信息化發展規劃》的通知',
    issuers: ['北京市人民政府'],
    docNumber: '京政發〔2016〕57號',
    written: '2016-12-01',
    published: '2017-01-11',
    topics: ['經濟、交通', '資訊産業'],
    source: '政府公報\u00a02017年\u00a0第1期(總第493期)', // NBSPs as in the seed
    recipients: ['各區人民政府', '市政府各委、辦、局', '各市屬機構'],
    signature: ['北京市人民政府'],
    clauses: [
      {
        label: '一、',
        heading: '總體要求',
        kind: 'part',
        children: [
          { label: '(一)', heading: '指導思想', kind: 'section' },
          { label: '(二)', heading: '基本原則', kind: 'section' },
          { label: '(三)', heading: '發展目標', kind: 'section' },
        ],
      },
      {
        label: '二、',
        heading: '完善資訊基礎設施',
        kind: 'part',
        children: [
          { label: '(一)', heading: '升級網路基礎設施', kind: 'section' },
          { label: '(二)', heading: '優化物聯網感知設施', kind: 'section' },
        ],
      },
    ],
    citations: [
      { text: '《北京市“十三五”時期信息化發展規劃》', title: '北京市“十三五”時期信息化發展規劃', kind: 'title' },
      { text: '《北京市信息化促進條例》', title: '北京市信息化促進條例', kind: 'title' },
      {
        text: '《北京市實施〈居住證暫行條例〉辦法》',
        title: '北京市實施〈居住證暫行條例〉辦法',
        kind: 'title',
        nested: ['居住證暫行條例'],
      },
    ],
  },
  {
    file: '001-beijing-internet-plus-opinions-2016.txt',
    kind: 'policy',
    genre: 'opinion',
    site: 'beijing',
    signals: ['docnumber', 'title:意见'],
    title: '北京市人民政府关于积极推进“互联网+”行动的实施意见',
    issuers: ['北京市人民政府'],
    docNumber: '京政发[2016]4号',
    written: '2016-01-09',
    recipients: ['各区人民政府', '市政府各委、办、局', '各市属机构'],
    signature: ['北京市人民政府'],
    clauses: [
      {
        label: '一、',
        heading: '总体要求',
        kind: 'part',
        children: [
          { label: '(一)', heading: '指导思想', kind: 'section' },
          { label: '(二)', heading: '基本原则', kind: 'section' },
        ],
      },
      {
        label: '三、',
        heading: '重点领域',
        kind: 'part',
        children: [
          {
            label: '(一)',
            heading: '推进产业转型升级,为经济内涵式发展提供新支撑',
            kind: 'section',
            children: [
              {
                label: '1.',
                heading: '“互联网+”金融',
                kind: 'item',
                responsibility:
                  '(市金融局牵头,人民银行营业管理部、北京银监局、北京证监局、北京保监局、市发展改革委、市科委、市经济信息化委、中关村管委会、市工商局、市网信办负责)',
              },
            ],
          },
        ],
      },
    ],
    citations: [
      {
        text: '《国务院关于积极推进“互联网+”行动的指导意见》(国发〔2015〕40号)',
        title: '国务院关于积极推进“互联网+”行动的指导意见',
        docNumber: '国发〔2015〕40号',
        kind: 'title+number',
      },
      {
        text: '《国务院关于积极推进“互联网+”行动的指导意见》(国发〔2015〕40号)',
        nth: 1,
        title: '国务院关于积极推进“互联网+”行动的指导意见',
        docNumber: '国发〔2015〕40号',
        kind: 'title+number',
      },
    ],
  },
  {
    file: '002-shanghai-big-data-opinions-2016.txt',
    kind: 'policy',
    genre: 'opinion',
    site: 'shanghai',
    signals: ['title:意见', 'signature'],
    stripPinyin: true,
    title: '上海市大數據發展實施意見',
    written: '2016-09-15',
    recipients: ['各區、縣人民政府', '市政府各委、辦、局'],
    signature: ['上海市人民政府'],
    clauses: [
      { label: '一、', heading: '基本原則和發展目標', kind: 'part' },
      {
        label: '二、',
        heading: '統籌大數據資源,推動共享開放和流通',
        kind: 'part',
        children: [
          { label: '專項1', heading: '政務數據共享開放工程', kind: 'project' },
          { label: '專項2', heading: '社會數據交易流通工程', kind: 'project' },
        ],
      },
    ],
    citations: [
      { text: '《促進大數據發展行動綱要》', title: '促進大數據發展行動綱要', kind: 'title' },
      {
        text: '《關于運用大數據加強對市場主體服務和監管的若干意見》',
        title: '關于運用大數據加強對市場主體服務和監管的若干意見',
        kind: 'title',
      },
    ],
  },
  {
    file: '003-beijing-big-data-cloud-plan-press-release.txt',
    kind: 'interpretation',
    genre: null,
    site: 'beijing',
    signals: ['press-release'],
    title: '《北京市大数据和云计算发展行动计划(2016-2020年)》正式发布',
    clauses: [],
    citations: [
      {
        text: '《北京市大数据和云计算发展行动计划(2016-2020年)》',
        nth: 2,
        title: '北京市大数据和云计算发展行动计划(2016-2020年)',
        kind: 'title',
      },
      {
        text: '《行动计划》',
        nth: 1,
        title: '行动计划',
        kind: 'alias',
        aliasOf: '北京市大数据和云计算发展行动计划(2016-2020年)',
      },
      { text: '《北京市信息化促进条例》', title: '北京市信息化促进条例', kind: 'title' },
    ],
  },
  {
    file: '004-shenyang-big-data-action-plan-2016.txt',
    kind: 'policy',
    genre: 'notice',
    site: 'shenyang',
    signals: ['docnumber', 'title:通知'],
    title: '沈阳市人民政府办公厅关于印发沈阳市促进大数据发展三年行动计划(2016-2018年)的通知',
    issuers: ['沈阳市人民政府办公厅'],
    docNumber: '沈政办发〔2016〕23号',
    written: '2016-02-04',
    published: '2017-01-30',
    recipients: ['各区、县(市)人民政府', '市政府各部门、各直属单位'],
    signature: ['沈阳市人民政府办公厅'],
    clauses: [
      {
        label: '一、',
        heading: '指导思想和工作目标',
        kind: 'part',
        children: [
          { label: '(一)', heading: '指导思想', kind: 'section' },
          { label: '(二)', heading: '工作目标', kind: 'section' },
        ],
      },
      {
        label: '二、',
        heading: '主要任务',
        kind: 'part',
        children: [
          {
            label: '(一)',
            heading: '加快政府数据开放共享,推动资源整合',
            kind: 'section',
            children: [
              { label: '1。', heading: '建设智慧城市统一平台', kind: 'item' },
              { label: '2。', heading: '加强大数据基础设施建设的统筹规划', kind: 'item' },
            ],
          },
          {
            label: '(二)',
            heading: '加强大数据的分析与应用,提升治理能力',
            kind: 'section',
            children: [{ label: '3。', heading: '建立网上并联审批平台', kind: 'item' }],
          },
        ],
      },
    ],
    citations: [
      {
        text: '《国务院关于印发促进大数据发展行动纲要的通知》(国发〔2015〕50号)',
        title: '国务院关于印发促进大数据发展行动纲要的通知',
        docNumber: '国发〔2015〕50号',
        kind: 'title+number',
        issues: '促进大数据发展行动纲要',
      },
      {
        text: '《沈阳市促进大数据发展三年行动计划(2016-2018年)》',
        title: '沈阳市促进大数据发展三年行动计划(2016-2018年)',
        kind: 'title',
      },
    ],
  },
];

/** File names of the five seeds, in order. */
export const SEED_FILES = SPECS.map((s) => s.file);

/** The seed file as written (byte-exact). */
export function readSeed(file: string): string {
  return readFileSync(path.join(SEEDS_DIR, file), 'utf8');
}

function mustFind(text: string, needle: string, file: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${file}: ${JSON.stringify(needle)} is not in the seed text`);
  return at;
}

/**
 * A 文号 as the pipeline reports it: raw as written, normalized in Simplified with 〔〕 and 号.
 * (Test support only: the real parser lives in the pipeline.)
 */
export function docNumberOf(raw: string): DocNumber {
  const normalized = toSimplifiedChars(raw)
    .replace(/\s+/g, '')
    .replace(/[[［【(（]/g, '〔')
    .replace(/[\]］】)）]/g, '〕');
  const m = /^(.+?)〔(\d{4})〕第?(\d+)号$/.exec(normalized);
  if (!m) throw new Error(`not a yearly 文号: ${raw}`);
  return { raw, normalized, issuerCode: m[1], year: Number(m[2]), serial: Number(m[3]), form: 'yearly' };
}

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let start = 0;
  text.split('\n').forEach((line, source) => {
    if (line.trim()) blocks.push({ text: line, start, end: start + line.length, source, tag: 'line' });
    start += line.length + 1;
  });
  return blocks;
}

function blockAt(blocks: Block[], offset: number): number {
  // The block containing the offset, or else the next one (an offset on a line break or blank line).
  const i = blocks.findIndex((b) => offset < b.end);
  return i < 0 ? blocks.length - 1 : i;
}

function ordinalOf(label: string): number {
  const digits = /\d+/.exec(label);
  if (digits) return Number(digits[0]);
  const cn = label.replace(/[^〇零一二三四五六七八九十百千两]/g, '');
  const n = parseChineseNumber(cn);
  if (n === null) throw new Error(`no ordinal in label ${label}`);
  return n;
}

function responsibilityOf(raw: string, start: number): Responsibility {
  const inner = raw.slice(1, -1);
  const [leadPart, restPart = ''] = inner.split(',');
  return {
    raw,
    lead: leadPart.replace(/牵头$/, '').split('、'),
    responsible: restPart.replace(/负责$/, '').split('、').filter(Boolean),
    cooperating: [],
    start,
    end: start + raw.length,
  };
}

/** Places the clause specs in the text, in document order, and returns the tree. */
function clausesOf(specs: ClauseSpec[], text: string, blocks: Block[], file: string): Clause[] {
  const flat: Array<{ clause: Clause; headingEnd: number; spec: ClauseSpec }> = [];
  let cursor = 0;
  const place = (list: ClauseSpec[], parent: Clause | null, level: number): Clause[] =>
    list.map((spec) => {
      const start = mustFind(text, spec.label + spec.heading, file, cursor);
      let headingEnd = start + spec.label.length + spec.heading.length;
      if (text[headingEnd] === '。') headingEnd++;
      cursor = headingEnd;
      const ordinal = ordinalOf(spec.label);
      const clause: Clause = {
        id: parent ? `${parent.id}.${ordinal}` : String(ordinal),
        label: spec.label,
        kind: spec.kind,
        ordinal,
        level,
        heading: spec.heading,
        text: '',
        path: [...(parent?.path ?? []), spec.label],
        start,
        end: start,
        block: blockAt(blocks, start),
        responsibility: null,
        children: [],
      };
      flat.push({ clause, headingEnd, spec });
      clause.children = place(spec.children ?? [], clause, level + 1);
      return clause;
    });
  const roots = place(specs, null, 1);
  // Reverse pre-order: children get their end before their parent, which must cover them.
  for (let i = flat.length - 1; i >= 0; i--) {
    const { clause, headingEnd, spec } = flat[i];
    const next = flat.slice(i + 1).find((f) => f.clause.level <= clause.level);
    // Without a following clause, the clause runs to the end of the first paragraph after its heading.
    const after = blocks[Math.min(blocks.length - 1, blockAt(blocks, headingEnd) + 1)];
    const lastChild = clause.children[clause.children.length - 1];
    clause.end = next ? next.clause.start : Math.max(after.end, headingEnd, lastChild?.end ?? 0);
    const ownEnd = clause.children[0]?.start ?? clause.end;
    clause.text = text.slice(headingEnd, ownEnd).trim();
    if (spec.responsibility) {
      clause.responsibility = responsibilityOf(spec.responsibility, mustFind(text, spec.responsibility, file, clause.start));
    }
  }
  return roots;
}

function citationsOf(specs: CitationSpec[], text: string, file: string): Citation[] {
  return specs
    .map((spec) => {
      let at = -1;
      for (let n = 0; n <= (spec.nth ?? 0); n++) at = mustFind(text, spec.text, file, at + 1);
      return {
        text: spec.text,
        title: spec.title,
        docNumber: spec.docNumber ? docNumberOf(spec.docNumber) : null,
        kind: spec.kind,
        aliasOf: spec.aliasOf ?? null,
        issues: spec.issues ?? null,
        nested: spec.nested ?? [],
        start: at,
        end: at + spec.text.length,
      };
    })
    .sort((a, b) => a.start - b.start);
}

function build(spec: SeedSpec): ExtractedDoc {
  const raw = readSeed(spec.file);
  const flags: TextFlag[] = [];
  let text = raw;
  if (spec.stripPinyin) {
    const stripped = stripPinyin(raw);
    text = stripped.text;
    let shift = 0; // flags point into the cleaned text: where each annotation was
    for (const r of stripped.removed) {
      const at = r.start - shift;
      flags.push({ kind: 'pinyin-removed', start: at, end: at, detail: raw.slice(r.start, r.end) });
      shift += r.end - r.start;
    }
  }
  const file = spec.file;
  const check = (s: string) => (mustFind(text, s, file), s);
  const docNumber = spec.docNumber ? docNumberOf(check(spec.docNumber)) : null;
  const metadata: PolicyMetadata = {
    title: check(spec.title),
    issuers: (spec.issuers ?? []).map(check),
    jointIssuers: [],
    docNumber,
    dates: { written: spec.written ?? null, published: spec.published ?? null, effective: null, repealed: null },
    validity: null,
    topics: spec.topics ?? [],
    keywords: [],
    indexNumber: null,
    source: spec.source ? check(spec.source) : null,
    recipients: (spec.recipients ?? []).map(check),
    signature: (spec.signature ?? []).map(check),
    attachments: [],
  };
  const blocks = blocksOf(text);
  return {
    url: null,
    detection: { kind: spec.kind, genre: spec.genre, site: spec.site, score: spec.kind === 'other' ? 0.1 : 0.9, signals: spec.signals },
    metadata,
    text,
    blocks,
    clauses: clausesOf(spec.clauses, text, blocks, file),
    citations: citationsOf(spec.citations, text, file),
    flags,
  };
}

/** The ExtractedDoc of seed n (0..4), freshly built (callers may mutate it). */
export function seedDoc(n: number): ExtractedDoc {
  const spec = SPECS[n];
  if (!spec) throw new Error(`no seed ${n}`);
  return build(spec);
}

/** All five seeds as seedLibrary input. */
export function seedInputs(): Array<{ name: string; doc: ExtractedDoc }> {
  return SPECS.map((spec) => ({ name: spec.file, doc: build(spec) }));
}

/**
 * The same document as the Simplified-script page shows it: every string converted character by
 * character (opencc, length-preserving), as 首都之窗's 繁體 gate converts the other way.
 */
export function simplifiedTwin(doc: ExtractedDoc): ExtractedDoc {
  const skip = new Set(['site', 'kind', 'genre', 'tag', 'form']);
  const f = (s: string) => toSimplifiedChars(s);
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return skip.has(key) ? v : f(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(doc, '') as ExtractedDoc;
}

/** A deep copy with a change applied, for "the pipeline improved" or "the page changed" cases. */
export function edited(doc: ExtractedDoc, change: (d: ExtractedDoc) => void): ExtractedDoc {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
}

/** A highlight row on a real passage of a saved document (the quote must occur in its text). */
export function highlightOn(
  plan: { id: string; key: string; doc: ExtractedDoc },
  quote: string,
  fields: Partial<HighlightRow> = {},
): HighlightRow {
  const start = plan.doc.text.indexOf(quote);
  if (start < 0) throw new Error(`quote not in the document: ${quote}`);
  const end = start + quote.length;
  const clause = plan.doc.clauses.flatMap(function all(c: Clause): Clause[] {
    return [c, ...c.children.flatMap(all)];
  }).filter((c) => c.start <= start && end <= c.end).pop();
  return {
    id: `hl-${plan.id}-${start}`,
    planId: plan.id,
    planKey: plan.key,
    url: plan.doc.url,
    quote,
    prefix: plan.doc.text.slice(Math.max(0, start - 16), start),
    suffix: plan.doc.text.slice(end, end + 16),
    start,
    end,
    clauseId: clause?.id ?? null,
    color: 'yellow',
    note: '',
    tags: [],
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    deviceId: 'test-device',
    version: 1,
    deleted: false,
    orphaned: false,
    ...fields,
  };
}
