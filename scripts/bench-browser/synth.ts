// Synthetic plans for the search benchmark, made from the seed documents: deterministic, ~15k characters each, real seed text shuffled.
// Runs in Node and in the benchmark page (no Node or browser globals).
import type { Clause, DocGenre, ExtractedDoc, SiteId } from '../../lib/types';

/** Same sequence in Node and Chromium. */
import { mulberry32 } from '../../tests/support/prng';
export const prng = mulberry32;

/** A piece of seed text that moves as a whole: a clause with its children, or a run of lines. */
interface Chunk {
  text: string;
  /** Clauses inside the chunk, offsets relative to the chunk. */
  clauses: Clause[];
}

function shiftClause(c: Clause, by: number, idPrefix: string): Clause {
  return {
    ...c,
    id: `${idPrefix}${c.id}`,
    start: c.start + by,
    end: c.end + by,
    responsibility: c.responsibility ? { ...c.responsibility, start: c.responsibility.start + by, end: c.responsibility.end + by } : null,
    children: c.children.map((k) => shiftClause(k, by, idPrefix)),
  };
}

/** Cut a seed into chunks: its top-level clauses (second level when a top clause is long), else lines. */
export function chunksOf(doc: ExtractedDoc): Chunk[] {
  const out: Chunk[] = [];
  const take = (c: Clause) => {
    if (c.end - c.start > 4000 && c.children.length) {
      c.children.forEach(take);
      return;
    }
    const text = doc.text.slice(c.start, c.end).replace(/\n+$/, '');
    // One clause per chunk (its sub-clauses dropped): ~12 clause rows a plan keeps writing 10,000 plans fast.
    if (text.length >= 20) out.push({ text, clauses: [shiftClause({ ...c, end: c.start + text.length, children: [] }, -c.start, '')] });
  };
  doc.clauses.forEach(take);
  // Text outside the clauses (preamble with its citations, closing lines): runs of ~400 characters of lines.
  const first = doc.clauses[0]?.start ?? doc.text.length;
  const last = doc.clauses[doc.clauses.length - 1]?.end ?? doc.text.length;
  const outside = doc.clauses.length < 4 ? [doc.text] : [doc.text.slice(0, first), doc.text.slice(last)];
  for (const part of outside) {
    let run = '';
    for (const line of part.split('\n')) {
      run = run ? `${run}\n${line}` : line;
      if (run.length >= 400) {
        out.push({ text: run, clauses: [] });
        run = '';
      }
    }
    if (run.length >= 20) out.push({ text: run, clauses: [] });
  }
  return out;
}

const CITIES = ['北京市', '上海市', '沈阳市', '天津市', '重庆市', '杭州市', '广州市', '深圳市', '成都市', '武汉市', '南京市', '西安市', '大連市', '臺北市', '青岛市', '长沙市'];
const CODES = ['京政发', '沪府发', '沈政办发', '津政发', '渝府发', '杭政函', '穗府', '深府', '成府发', '武政', '宁政发', '市政发', '國辦發', '国发', '大政發'];
const TOPICS: Array<[string, DocGenre]> = [
  ['促进大数据发展三年行动计划', 'plan'],
  ['“十三五”时期信息化发展规划', 'plan'],
  ['大數據發展實施意見', 'opinion'],
  ['积极推进“互联网+”行动的实施意见', 'opinion'],
  ['大数据和云计算发展行动计划', 'plan'],
  ['智慧城市建设工作方案', 'scheme'],
  ['政务数据资源共享管理办法', 'measure'],
];
const SITES: SiteId[] = ['beijing', 'shanghai', 'shenyang', 'govcn', 'generic'];
const BRACKETS: Array<[string, string]> = [['〔', '〕'], ['[', ']'], ['【', '】'], ['(', ')']];

export interface SynthPlan {
  doc: ExtractedDoc;
  savedAt: number;
  viewedAt: number | null;
}

/** Plan number `i` of the synthetic corpus built from `seeds` (pipeline output of the seed files). */
export function synthPlan(seeds: ExtractedDoc[], chunks: Chunk[][], i: number, targetChars = 15000): SynthPlan {
  const rnd = prng(0x5eed + i * 7919);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const city = pick(CITIES);
  const [topic, genre] = pick(TOPICS);
  const year = 2010 + Math.floor(rnd() * 14);
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  const written = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const pubDay = Math.min(28, day + Math.floor(rnd() * 10));
  const published = `${year}-${String(month).padStart(2, '0')}-${String(pubDay).padStart(2, '0')}`;
  const code = pick(CODES);
  const serial = 1 + Math.floor(rnd() * 120);
  const [open, close] = pick(BRACKETS);
  const hao = rnd() < 0.2 ? '號' : '号';
  const numberRaw = `${code}${open}${year}${close}${serial}${hao}`;
  const office = rnd() < 0.3 ? '人民政府办公厅' : '人民政府';
  const issuer = `${city.replace(/市$/, '')}市${office}`;
  const title = `${issuer}关于印发${city}${topic}的通知`;
  const header = [title, `发文字号:${numberRaw}`, `发文机关:${issuer}`, `成文日期:${year}年${month}月${day}日`];
  let text = header.join('\n');
  const clauses: Clause[] = [];
  let k = 0;
  while (text.length < targetChars) {
    const seed = Math.floor(rnd() * seeds.length);
    const list = chunks[seed];
    if (!list.length) continue;
    const c = pick(list);
    const at = text.length + 1;
    text += '\n' + c.text;
    for (const cl of c.clauses) clauses.push(shiftClause(cl, at, `${k}-`));
    k++;
  }
  const sigDate = `${year}年${month}月${day}日`;
  text += `\n${issuer}\n${sigDate}`;
  const blocks = [];
  let start = 0;
  const lines = text.split('\n');
  for (let li = 0; li < lines.length; li++) {
    blocks.push({ text: lines[li], start, end: start + lines[li].length, source: li, tag: 'line' });
    start += lines[li].length + 1;
  }
  const site = pick(SITES);
  const kind = rnd() < 0.9 ? 'policy' : 'interpretation';
  const doc: ExtractedDoc = {
    url: `http://www.${site === 'generic' ? 'example' : site}.gov.cn/zhengce/${year}/${i}.html`,
    detection: { kind, genre: kind === 'policy' ? genre : null, site, score: 0.9, signals: ['synthetic'] },
    metadata: {
      title,
      issuers: [issuer],
      jointIssuers: [],
      docNumber: {
        raw: numberRaw,
        normalized: `${code.replace('國辦發', '国办发').replace('大政發', '大政发')}〔${year}〕${serial}号`,
        issuerCode: code,
        year,
        serial,
        form: 'yearly',
      },
      dates: { written, published, effective: null, repealed: null },
      validity: null,
      topics: [],
      keywords: [],
      indexNumber: null,
      source: null,
      recipients: [],
      signature: [issuer],
      attachments: [],
    },
    text,
    blocks,
    clauses: clauses.map((c, n) => ({ ...c, id: `${n + 1}` })),
    citations: [],
    flags: [],
  };
  const savedAt = 1_600_000_000_000 + i * 60_000;
  const viewedAt = rnd() < 0.1 ? savedAt + Math.floor(rnd() * 1e9) : null;
  return { doc, savedAt, viewedAt };
}

/** The fixed query set of the benchmark: 2–6 characters; Simplified, Traditional, Taiwan phrasing, several terms, 文号, filters. */
export const BENCH_QUERIES: Array<{ q: string; what: string }> = [
  { q: '大数据', what: 'simplified' },
  { q: '云计算', what: 'simplified' },
  { q: '智慧城市', what: 'simplified' },
  { q: '数据开放', what: 'simplified' },
  { q: '发展', what: 'simplified, 2 chars, everywhere' },
  { q: '大數據', what: 'traditional' },
  { q: '資訊', what: 'traditional / taiwan' },
  { q: '信息', what: 'simplified → 資訊' },
  { q: '互联网', what: 'simplified → 網際網路' },
  { q: '網際網路', what: 'taiwan phrasing' },
  { q: '大数据 产业', what: 'two terms' },
  { q: '互联网 金融 服务', what: 'three terms' },
  { q: '"行动计划"', what: 'quoted phrase' },
  { q: '国发[2015]50号', what: '文号 (cited)' },
  { q: '國發〔2015〕40號', what: '文号 traditional' },
  { q: '京政发[2016]57号', what: '文号 own' },
  { q: '大数据 year:2016-2018', what: 'term + year filter' },
  { q: '云计算 site:beijing', what: 'term + site filter' },
  { q: '元宇宙', what: 'no match' },
];
