// Issuing metadata of a policy document: read from a site's label/value fields, or off the document
// text by its GB/T 9704-2012 layout (title, 发文字号, 主送机关, 附件说明, 署名 and 成文日期).
import type { Block, DocNumber, PolicyDates, PolicyMetadata } from '../types';
import { findDocNumbers, parseDocNumber } from '../citations/docnumber';
import { charKey } from '../text/key';
import type { FieldPair } from '../sites/profile';
import { findDates, parseDate } from './dates';

export type { FieldPair };

// ---------------------------------------------------------------------------------------------
// Small text helpers

const WS = /[\s\u3000\u00a0\u200b\ufeff]+/g;
const ALNUM = /[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]/;

/** Collapse whitespace to one space and trim. */
function squash(s: string): string {
  return s.replace(WS, ' ').trim();
}

/**
 * Remove whitespace inside a Chinese title (titles are broken over lines and letter-spaced:
 * `几 个 问 题 的 通 知`), keeping one space between two Latin letters or digits.
 */
export function tidyTitle(s: string): string {
  return s
    .replace(WS, (m: string, off: number, str: string) => {
      const a = str[off - 1] ?? '';
      const b = str[off + m.length] ?? '';
      return ALNUM.test(a) && ALNUM.test(b) ? ' ' : '';
    })
    .trim();
}

/** Placeholders sites put in empty fields. */
const EMPTY_VALUE = /^(?:无|無|暂无|暫無|空|-+|—+|－+|\/|null|none|n\/a)$/i;

function cleanValue(v: string): string | null {
  const s = squash(v ?? '');
  return !s || EMPTY_VALUE.test(s) ? null : s;
}

/** Split on separators that are outside brackets, so `县(市)、区` or `(含…，…)` stay whole. */
function splitTopLevel(s: string, seps: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if ('(（[［【〔《“'.includes(ch)) depth++;
    else if (')）]］】〕》”'.includes(ch)) depth = Math.max(0, depth - 1);
    if (depth === 0 && seps.includes(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter(Boolean);
}

/** Ends like the name of an organ (on a Simplified key): 国务院, 北京市人民政府, 国家教委, 广州军区… */
const ORGAN_END =
  /(?:中央|军区|人大|政协|单位|机构|机关|部门|中心|公司|集团|总队|[府厅室会院部局委署办行司处所馆团社组队站校])$/;

function isOrgan(s: string): boolean {
  const k = charKey(s).replace(WS, '');
  return k.length >= 2 && k.length <= 40 && ORGAN_END.test(k) && !/[,.;:!?。]/.test(k);
}

/** A list of organs written `A、B` or `A B` (joint issuers), or null if any part is not an organ. */
function organList(s: string): string[] | null {
  const parts = s.split(/[、,，;；\s\u3000]+/).filter(Boolean);
  if (!parts.length || parts.length > 12) return null;
  return parts.every(isOrgan) ? parts : null;
}

// ---------------------------------------------------------------------------------------------
// metadataFromFields

type FieldName =
  | 'title'
  | 'issuers'
  | 'jointIssuers'
  | 'docNumber'
  | 'written'
  | 'published'
  | 'effective'
  | 'repealed'
  | 'validity'
  | 'topics'
  | 'keywords'
  | 'indexNumber'
  | 'source';

/** Labels as sites write them, on a Simplified key without spaces, brackets or colons. */
const LABELS: Record<string, FieldName> = {
  标题: 'title', 名称: 'title', 文件名称: 'title', 文件标题: 'title', 公文标题: 'title',
  发文机关: 'issuers', 发文机构: 'issuers', 发布机构: 'issuers', 发布机关: 'issuers',
  发文单位: 'issuers', 发布单位: 'issuers', 制发机关: 'issuers', 发文部门: 'issuers', 发布部门: 'issuers',
  联合发文单位: 'jointIssuers', 联合发文机关: 'jointIssuers', 联合发文机构: 'jointIssuers',
  联合发布单位: 'jointIssuers',
  发文字号: 'docNumber', 文号: 'docNumber', 字号: 'docNumber', 发文文号: 'docNumber', 文件字号: 'docNumber',
  成文日期: 'written', 成文时间: 'written', 印发日期: 'written',
  发布日期: 'published', 发文日期: 'published', 发布时间: 'published', 公布日期: 'published',
  公开日期: 'published',
  实施日期: 'effective', 生效日期: 'effective', 施行日期: 'effective', 生效时间: 'effective',
  实施时间: 'effective',
  废止日期: 'repealed', 失效日期: 'repealed', 废止时间: 'repealed', 失效时间: 'repealed',
  有效性: 'validity', 时效性: 'validity', 效力状态: 'validity', 时效状态: 'validity', 是否有效: 'validity',
  主题分类: 'topics', 分类: 'topics', 主题类别: 'topics', 信息分类: 'topics', 所属分类: 'topics',
  主题词: 'keywords', 关键词: 'keywords', 关键字: 'keywords',
  文件来源: 'source', 来源: 'source', 信息来源: 'source',
  索引号: 'indexNumber', 索取号: 'indexNumber',
};

/** `索 引 号：`, `[發文機構]`, `6. [發文字號]` → 索引号, 发文机构, 发文字号. */
function labelKey(label: string): string {
  return charKey(label.slice(0, 40))
    .replace(/^\s*\d{1,2}\s*[.、]\s*/, '')
    .replace(/[\s[\]【】()（）:<>〈〉「」]/g, '');
}

function docNumberOf(v: string): DocNumber | null {
  const whole = parseDocNumber(v);
  if (whole) return whole;
  const found = findDocNumbers(v.length > 400 ? v.slice(0, 400) : v);
  return found.length ? found[0].number : null;
}

function emptyDates(): PolicyDates {
  return { written: null, published: null, effective: null, repealed: null };
}

/**
 * Metadata from a site's label/value fields. Labels in either script, with spaces, brackets and
 * colons; unknown labels are ignored; a known label with an empty value gives null / [].
 */
export function metadataFromFields(pairs: FieldPair[]): Partial<PolicyMetadata> {
  const out: Partial<PolicyMetadata> = {};
  let dates: PolicyDates | null = null;
  for (const { label, value } of pairs) {
    const field = LABELS[labelKey(label ?? '')];
    if (!field) continue;
    const v = cleanValue(value);
    switch (field) {
      case 'title':
        out.title = v ? tidyTitle(v) : null;
        break;
      case 'issuers':
      case 'jointIssuers':
        out[field] = v ? splitTopLevel(v, '、,，;；/ ') : [];
        break;
      case 'docNumber':
        out.docNumber = v ? docNumberOf(v) : null;
        break;
      case 'written':
      case 'published':
      case 'effective':
      case 'repealed':
        dates ??= emptyDates();
        dates[field] = v ? parseDate(v) : null;
        break;
      case 'topics':
        // 经济、交通/信息产业 → ['经济、交通', '信息产业']: 、 joins categories of one level.
        out.topics = v ? v.split(/\s*[\\/;；＼／|｜]\s*/).map((t) => t.trim()).filter(Boolean) : [];
        break;
      case 'keywords':
        out.keywords = v ? v.split(/[\s、,，;；]+/).filter(Boolean) : [];
        break;
      default:
        out[field] = v;
    }
  }
  if (dates) out.dates = dates;
  return out;
}

// ---------------------------------------------------------------------------------------------
// metadataFromText

/** How many blocks from the top may hold the document head (title, 文号, 主送机关). */
const HEAD = 80;
/** Longest block considered as (part of) a title or a signature line. */
const MAX_TITLE_PART = 120;

/** Sentence punctuation and chrome separators (on a width-folded key): never inside a title. */
const SENTENCE = /[。,;:!?|>_]/;
/** Clause labels: 一、 (一) 1. 第一章 第三条 附件1 专项1. */
const ENUM_START =
  /^(?:[(]?[一二三四五六七八九十百零〇\d]{1,4}[)、.．]|[(][一二三四五六七八九十百零〇\d]{1,4}[)]|第[一二三四五六七八九十百零〇\d]{1,5}[章节条部篇款]|附件|附录|附:|专项\d)/;
/** Genres a title ends with (令 alone is a decree heading, handled separately). */
const GENRE_END =
  /(?:通知|意见|决定|批复|复函|函|规划|计划|方案|办法|条例|规定|细则|规则|通报|通告|公告|答复|报告|请示|纲要|措施|决议|指引|指南|章程|要点|制度|清单|目录|标准|命令|公报|纪要)$/;
/** Words after the issuer in a title: 国务院办公厅转发…, 北京市人民政府关于…, …对十届全国人大…的答复. */
const TITLE_MARKERS = ['关于', '转发', '批转', '印发', '颁布', '发布', '对'];

interface Line {
  /** Block text with title whitespace removed (original script). */
  tidy: string;
  /** Simplified, width-folded key of `tidy` (same length, so offsets are shared). */
  key: string;
  /** Block text with whitespace squashed (keeps the space between joint issuers). */
  spaced: string;
}

function makeLine(text: string): Line {
  const t = text.length > 2000 ? text.slice(0, 2000) : text;
  const tidy = tidyTitle(t);
  return { tidy, key: charKey(tidy), spaced: squash(t) };
}

/** Genre ending after dropping trailing parentheticals `(2016-2018年)`, `(试行)` and a closing 》. */
function endsWithGenre(key: string): boolean {
  let k = key.replace(/》$/, '');
  for (let i = 0; i < 2; i++) k = k.replace(/\([^()]{1,24}\)$/, '');
  return GENRE_END.test(k);
}

/** Shape of (a part of) a title: short, no sentence punctuation, not a clause label, not a date. */
function titlePartShape(l: Line): boolean {
  const k = l.key;
  return (
    k.length >= 2 &&
    k.length <= MAX_TITLE_PART &&
    !SENTENCE.test(k) &&
    !ENUM_START.test(k) &&
    !/^\(.*\)$/.test(k) &&
    parseDate(l.tidy) === null
  );
}

/** Organs named before the title's first marker (关于/转发/对…), in original script; null if none. */
function titleIssuers(spaced: string): string[] | null {
  const key = charKey(spaced.slice(0, 120));
  const positions: number[] = [];
  for (const m of TITLE_MARKERS) {
    for (let p = key.indexOf(m); p >= 0 && p < 100; p = key.indexOf(m, p + 1)) positions.push(p);
  }
  positions.sort((a, b) => a - b);
  for (const p of positions) {
    if (p < 2) continue;
    const organs = organList(spaced.slice(0, p).replace(/[、\s]+$/, ''));
    if (organs) return organs;
  }
  return null;
}

interface TitleCandidate {
  /** First and last block index of the title. */
  start: number;
  end: number;
  title: string;
  /** Title text with the spaces between blocks kept, for reading issuers off it. */
  spaced: string;
  /** A 文号 written on the title's last line (`…的复函 国办函〔2005〕21号`). */
  docNumber: DocNumber | null;
}

/** A 文号 at the very end of a line, and the line before it. */
function trailingDocNumber(text: string): { before: string; number: DocNumber } | null {
  const found = findDocNumbers(text);
  const last = found[found.length - 1];
  if (!last || text.slice(last.end).trim()) return null;
  return { before: text.slice(0, last.start), number: last.number };
}

/**
 * A `关于…` title is complete once it ends `的<genre>` (…的通知, …的指导意见); before that a genre word
 * may end a line in the middle of the title (`…记录制度` / `…制度的指导意见`).
 */
function completeTitle(key: string): boolean {
  let k = key.replace(/》$/, '');
  for (let i = 0; i < 2; i++) k = k.replace(/\([^()]{1,24}\)$/, '');
  return !k.includes('关于') || /的[^的]{1,8}$/.test(k);
}

/**
 * Joint issuers written with a space before the marker keep it (`中共中央办公厅 国务院办公厅关于…`):
 * that space separates organs, unlike the line-break spaces tidyTitle removes.
 */
function spaceIssuers(title: string, spaced: string): string {
  const organs = titleIssuers(spaced);
  if (!organs || organs.length < 2 || !spaced.startsWith(organs.join(' '))) return title;
  const glued = organs.join('');
  return title.startsWith(glued) ? organs.join(' ') + title.slice(glued.length) : title;
}

/** A title starting at block i, over up to four consecutive short blocks, or null. */
function titleAt(lines: Line[], i: number): TitleCandidate | null {
  let tidy = '';
  let spaced = '';
  let docNumber: DocNumber | null = null;
  let best: TitleCandidate | null = null;
  for (let j = i; j < Math.min(lines.length, i + 4); j++) {
    let part = lines[j];
    const trailing = trailingDocNumber(part.spaced);
    if (trailing && trailing.before.trim()) {
      part = makeLine(trailing.before);
      docNumber = trailing.number;
    }
    // A bracketed line may continue a title: `…行动计划` / `（2016—2020年）`.
    const bracketed = j > i && /^\([^()]{1,24}\)$/.test(part.key);
    if (!bracketed && !titlePartShape(part)) break;
    if (lineDocNumber(part)) break;
    // A title split over lines must begin like one: 关于…, 对…, or the issuer and a marker.
    if (j === i + 1 && !bracketed && !/^(?:关于|对)/.test(lines[i].key) && !titleIssuers(lines[i].spaced + ' ' + part.spaced)) break;
    tidy += part.tidy;
    spaced += (spaced ? ' ' : '') + part.spaced;
    const key = charKey(tidy);
    if (key.length > 160) break;
    if (endsWithGenre(key) && key.length >= 5) {
      best = { start: i, end: j, title: spaceIssuers(tidy.replace(/^《(.*)》$/, '$1'), spaced), spaced, docNumber };
      const next = lines[j + 1];
      const bracketNext = !docNumber && next && /^\([^()]{1,24}\)$/.test(next.key) && parseDate(next.key.slice(1, -1)) === null;
      if (completeTitle(key) && !bracketNext) break;
    }
    if (docNumber) break;
  }
  return best;
}

/** A decree heading: `中华人民共和国国务院令` then `第706号` (or both on one line). */
interface Decree {
  index: number;
  numberIndex: number;
  issuer: string;
  number: DocNumber | null;
}

function decreeAt(lines: Line[], i: number): Decree | null {
  const k = lines[i].key;
  let heading: string;
  let serialText: string;
  let numberIndex = i;
  const one = /^(.{2,24})令第([0-9]{1,6}|[一二三四五六七八九十百零〇]{1,8})号$/.exec(k);
  if (one) {
    heading = lines[i].tidy.slice(0, one[1].length);
    serialText = one[2];
  } else {
    const next = lines[i + 1];
    const m = next ? /^第([0-9]{1,6}|[一二三四五六七八九十百零〇]{1,8})号$/.exec(next.key) : null;
    if (!m || !/^.{2,24}令$/.test(k) || SENTENCE.test(k)) return null;
    heading = lines[i].tidy.slice(0, -1);
    serialText = m[1];
    numberIndex = i + 1;
  }
  const headingKey = charKey(heading);
  if (!isOrgan(headingKey) && !/主席$/.test(headingKey)) return null;
  // 中华人民共和国国务院 is 国务院; a ministry's full name drops the state name the same way.
  const issuer = /^中华人民共和国./.test(headingKey) && isOrgan(headingKey.slice(7)) ? heading.slice(7) : heading;
  // State Council decrees are numbered and cited as 国令第N号.
  const code = charKey(issuer) === '国务院' ? '国' : heading;
  const parsed = parseDocNumber(`${code}令第${serialText}号`);
  const raw = lines[i].spaced + (numberIndex > i ? lines[numberIndex].spaced : '');
  return { index: i, numberIndex, issuer, number: parsed ? { ...parsed, raw } : null };
}

/** A line that is only a 文号, possibly after a label: `京政發〔2016〕57號`, `字号：…`, `[發文字號] …`. */
function lineDocNumber(l: Line): DocNumber | null {
  if (l.spaced.length > 60) return null;
  return parseDocNumber(l.spaced.replace(/^(?:签发人|簽發人)\S*\s+/, ''));
}

/** 主送机关: a line of organs ending with a colon. */
function isRecipientLine(l: Line): boolean {
  const k = l.key;
  if (k.length < 3 || k.length > 400 || !k.endsWith(':')) return false;
  const body = k.slice(0, -1);
  if (/[。:《“"]|如下/.test(body) || ENUM_START.test(body)) return false;
  if (/^(?:字号|文号|发文字号|签发人|来源|时间|日期|发布|浏览|分享|附|索引|主题|标题|备注|注)/.test(body)) return false;
  return /[府部局委办厅院会署区县市省军处室司所站队校团社组员长志表席位构关门]/.test(body);
}

/** Parts naming a kind of organ rather than one organ: 各直属机构, 国务院有关部委, 直属机构. */
const GENERIC_ORGAN = /^(?:各|有关|直属|所属|其他|其它)|(?:部门|单位|机构|机关|部委|委办局)$/;

/** 各区人民政府,市政府各委、办、局 → ['各区人民政府', '市政府各委、办、局']. */
export function splitRecipients(line: string): string[] {
  const body = line.trim().replace(/[:：]$/, '');
  const out: string[] = [];
  for (const group of splitTopLevel(body, ',，;；')) {
    // 、 joins parts that share a head (各省、自治区、直辖市人民政府; 市政府各委、办、局; 国务院有关
    // 部委、直属机构); it separates organs only when every part names one organ (教育部、外交部).
    const parts = splitTopLevel(group, '、');
    const separate = parts.length > 1 && parts.every((p) => isOrgan(p) && !GENERIC_ORGAN.test(charKey(p)));
    out.push(...(separate ? parts : [group]));
  }
  return out;
}

/** A line that is only a complete date (trailing spaces and stray entities allowed). */
function dateOfLine(text: string): string | null {
  if (text.length > 60) return null;
  return parseDate(text.replace(/&[a-z]{1,8};?/gi, ' '));
}

/** A signer's title and name: `总理　　李克强` (decrees are signed by a person, not an organ). */
const PERSON = /^\S{0,16}?(?:总理|主席|省长|市长|区长|县长|州长|部长|主任|局长|厅长|书记|委员长|行长|署长|院长|会长) \S{2,5}$/;

/** A line of a signature block: the organs it names and whether it signs at all; null if it cannot be one. */
function signatureLine(text: string): { organs: string[]; signs: boolean } | null {
  const s = squash(text.replace(/&[a-z]{1,8};?/gi, ' '));
  const k = charKey(s);
  if (!s || s.length > 40 || SENTENCE.test(k) || /[。、]$/.test(k) || ENUM_START.test(k)) return null;
  if (/^\(.*\)$/.test(k) || endsWithGenre(k.replace(/\s/g, ''))) return null;
  const organs = s.split(/[\s、]+/).filter((p) => isOrgan(p));
  return { organs, signs: organs.length > 0 || PERSON.test(k) };
}

interface Signature {
  /** Index of the first signature line (or of the date line when there is none). */
  start: number;
  dateIndex: number;
  /** Organs signing; empty for a decree signed by a person or an unsigned date. */
  organs: string[];
  date: string;
}

/** A line that is a signature date, and organs written on the same line before it. */
function signatureDate(text: string): { date: string; organs: string[] } | null {
  if (text.length > 80) return null;
  const date = dateOfLine(text);
  if (date) return { date, organs: [] };
  // Signature and date on one line: `国务院办公厅 2018年12月6日`.
  const line = squash(text.replace(/&[a-z]{1,8};?/gi, ' '));
  const found = findDates(line);
  const last = found[found.length - 1];
  const organs = last && last.end === line.length ? organList(line.slice(0, last.start)) : null;
  return organs ? { date: last.date, organs } : null;
}

/**
 * The first 署名 + 成文日期 after the head: a date line with up to three signature lines above it.
 * Without any signed date, `unsigned` allows a date line that directly follows the end of the text.
 */
function findSignature(blocks: Block[], from: number, unsigned: boolean): Signature | null {
  let fallback: Signature | null = null;
  for (let d = Math.max(0, from); d < blocks.length; d++) {
    const found = signatureDate(blocks[d].text);
    if (!found) continue;
    const organs: string[] = [];
    let signs = found.organs.length > 0;
    let start = d;
    for (let k = d - 1; k >= Math.max(from, d - 3); k--) {
      const line = signatureLine(blocks[k].text);
      if (line === null) break;
      organs.unshift(...line.organs);
      signs ||= line.signs;
      start = k;
    }
    const sig = { start, dateIndex: d, organs: [...organs, ...found.organs], date: found.date };
    if (signs) return sig;
    const prev = blocks[d - 1]?.text.trim() ?? '';
    if (unsigned && !fallback && d > from && /[。！!]$/.test(prev)) fallback = { ...sig, start: d, organs: [] };
  }
  return fallback;
}

const ATTACH = /^附件?\s*[0-9０-９]{0,2}\s*[:：]\s*(.*)$/;
const ITEM_NUMBER = /^[0-9０-９]{1,2}\s*[.．、]\s*/;

function cleanAttachment(s: string): string {
  return s
    .replace(ITEM_NUMBER, '')
    .trim()
    .replace(/[;；。,，]$/, '')
    .replace(/^《(.*)》$/, '$1')
    .trim();
}

/** 附件说明 between the text and the signature: `附件：1.xxx 2.yyy`, one item a line, or `附：《…》`. */
function findAttachments(blocks: Block[], from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = Math.max(0, from); i < to; i++) {
    const text = squash(blocks[i].text.slice(0, 400));
    const m = ATTACH.exec(text);
    if (!m || blocks[i].text.length > 400) continue;
    const items: string[] = [];
    // Several items on one line: split before each `N.`.
    if (m[1]) items.push(...m[1].split(/\s+(?=[0-9０-９]{1,2}\s*[.．、])/));
    let j = i + 1;
    for (; j < to; j++) {
      const next = squash(blocks[j].text);
      const numbered = ITEM_NUMBER.test(next) && next.length <= 100 && !/。/.test(next);
      if (numbered || (!items.length && j === i + 1 && next.length <= 80 && !/[。，,]/.test(next))) items.push(next);
      else break;
    }
    out.push(...items.map(cleanAttachment).filter(Boolean));
    i = j - 1;
  }
  return out;
}

/** `附：《X》` on a line of its own: the page links the document that follows (seed 001). */
function attachedTitle(l: Line): string | null {
  const m = /^附件?\s*[:：]\s*《([^《》]{4,150})》$/.exec(l.spaced);
  if (!m) return null;
  const t = makeLine(m[1]);
  return endsWithGenre(t.key) ? spaceIssuers(t.tidy, t.spaced) : null;
}

/** A page's own title hint (from <title> or an h1), cut at a site-name separator. */
function plausibleHint(hint: string | null | undefined): Line | null {
  if (!hint) return null;
  const cut = hint.slice(0, 300).split(/[_|｜]|\s[-—–]\s/)[0];
  const l = makeLine(cut);
  return l.key.length >= 5 && l.key.length <= 160 && !SENTENCE.test(l.key) && endsWithGenre(l.key) ? l : null;
}

/**
 * Metadata read off the document text, for pages without a metadata block. Follows GB/T 9704:
 * title (关于…的通知, possibly over several lines) → 发文字号 → 主送机关 → text → 附件说明 →
 * 署名 → 成文日期. Values keep the document's script. Only what the text states is returned.
 */
export function metadataFromText(
  blocks: Block[],
  text: string,
  hints?: { title?: string | null },
): Partial<PolicyMetadata> {
  void text; // offsets are the blocks'; the text itself is not needed beyond them
  const n = Math.min(blocks.length, HEAD);
  const lines = blocks.slice(0, n).map((b) => makeLine(b.text));

  // Decree heading and whole-line 文号s near the top.
  let decree: Decree | null = null;
  for (let i = 0; i < n && !decree; i++) decree = decreeAt(lines, i);
  const decreeLines = new Set<number>(decree ? [decree.index, decree.numberIndex] : []);

  const numberLines: { index: number; number: DocNumber }[] = [];
  for (let i = 0; i < n; i++) {
    if (decreeLines.has(i)) continue;
    const d = lineDocNumber(lines[i]);
    if (d) numberLines.push({ index: i, number: d });
  }

  const candidates: TitleCandidate[] = [];
  for (let i = 0; i < n; i++) {
    if (decreeLines.has(i)) continue;
    const c = titleAt(lines, i);
    if (c) {
      candidates.push(c);
      i = c.end;
    }
  }

  // The document head: a 文号 line right after a title or right before the 主送机关.
  const recipientLines: number[] = [];
  for (let i = 0; i < n; i++) if (isRecipientLine(lines[i])) recipientLines.push(i);
  const near = (a: number, b: number) => b > a && b - a <= 3;
  const headNumber =
    numberLines.find((x) => candidates.some((c) => near(c.end, x.index))) ??
    numberLines.find((x) => recipientLines.some((r) => near(x.index, r))) ??
    numberLines.find((x) => x.index < (recipientLines[0] ?? 15)) ??
    null;
  const inlineNumber = candidates.find((c) => c.docNumber);
  let docNumber: DocNumber | null = decree?.number ?? headNumber?.number ?? inlineNumber?.docNumber ?? null;
  let docIndex = decree ? decree.numberIndex : headNumber ? headNumber.index : inlineNumber ? inlineNumber.end : -1;
  if (decree && headNumber && !decree.number) {
    docNumber = headNumber.number;
    docIndex = headNumber.index;
  }

  const anchors = [docIndex, ...candidates.map((c) => c.end)].filter((x) => x >= 0);
  const recipientIndex =
    recipientLines.find((r) => anchors.some((a) => near(a, r))) ??
    recipientLines.find((r) => r < 3 && !candidates.some((c) => c.start < r) && docIndex < 0) ??
    -1;

  // Title: the one heading the document (just above its 文号 / 主送机关), else 附:《X》 right above
  // the head, else the page's own title, else the first title-shaped line(s).
  const firstAnchor = docIndex >= 0 ? docIndex : recipientIndex;
  let title: string | null = null;
  let titleSpaced: string | null = null;
  let titleEnd = -1;
  const attached = firstAnchor >= 0 ? candidates.filter((c) => c.end <= firstAnchor && firstAnchor - c.end <= 3) : [];
  const head = attached[attached.length - 1];
  if (head) {
    title = head.title;
    titleSpaced = head.spaced;
    titleEnd = head.end;
  }
  if (!title && firstAnchor >= 0) {
    for (let i = firstAnchor - 1; i >= Math.max(0, firstAnchor - 2) && !title; i--) {
      const t = attachedTitle(lines[i]);
      if (t) title = titleSpaced = t;
    }
  }
  const hint = plausibleHint(hints?.title);
  if (!title && hint) {
    const same = candidates.find((c) => charKey(c.title).replace(/[《》]/g, '') === hint.key.replace(/[《》]/g, ''));
    title = same ? same.title : spaceIssuers(hint.tidy, hint.spaced);
    titleSpaced = same ? same.spaced : hint.spaced;
  }
  if (!title && candidates.length) {
    const c = candidates.find((x) => titleIssuers(x.spaced)) ?? candidates[0];
    title = c.title;
    titleSpaced = c.spaced;
    if (firstAnchor < 0) titleEnd = c.end;
  }

  const headEnd = Math.max(docIndex, recipientIndex, titleEnd);
  const signature = findSignature(blocks, headEnd + 1, headEnd >= 0);
  const attachments = findAttachments(blocks, headEnd + 1, signature ? signature.start : blocks.length);

  let written = signature?.date ?? null;
  if (!written && titleEnd >= 0) {
    // A date in brackets right under the title: `（2016年12月1日）`.
    const next = blocks[titleEnd + 1]?.text.trim() ?? '';
    const m = /^[(（](.{6,30})[)）]$/.exec(next);
    written = m ? parseDate(m[1]) : null;
  }

  const issuers =
    (titleSpaced ? titleIssuers(titleSpaced) : null) ??
    (decree ? [decree.issuer] : null) ??
    (signature && signature.organs.length ? signature.organs : []);

  const out: Partial<PolicyMetadata> = {
    title,
    issuers,
    docNumber,
    recipients: recipientIndex >= 0 ? splitRecipients(blocks[recipientIndex].text) : [],
    signature: signature ? signature.organs : [],
    attachments,
  };
  if (written) out.dates = { ...emptyDates(), written };
  return out;
}

// ---------------------------------------------------------------------------------------------
// mergeMetadata

function filled(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Field by field, `primary` wins where it has a value; a complete PolicyMetadata (null / [] where unknown). */
export function mergeMetadata(primary: Partial<PolicyMetadata>, fallback: Partial<PolicyMetadata>): PolicyMetadata {
  const pick = <K extends keyof PolicyMetadata>(k: K, empty: PolicyMetadata[K]): PolicyMetadata[K] =>
    filled(primary[k]) ? (primary[k] as PolicyMetadata[K]) : filled(fallback[k]) ? (fallback[k] as PolicyMetadata[K]) : empty;
  const pd: Partial<PolicyDates> = primary.dates ?? {};
  const fd: Partial<PolicyDates> = fallback.dates ?? {};
  const date = (k: keyof PolicyDates) => pd[k] || fd[k] || null;
  return {
    title: pick('title', null),
    issuers: [...pick('issuers', [])],
    jointIssuers: [...pick('jointIssuers', [])],
    docNumber: pick('docNumber', null),
    dates: { written: date('written'), published: date('published'), effective: date('effective'), repealed: date('repealed') },
    validity: pick('validity', null),
    topics: [...pick('topics', [])],
    keywords: [...pick('keywords', [])],
    indexNumber: pick('indexNumber', null),
    source: pick('source', null),
    recipients: [...pick('recipients', [])],
    signature: [...pick('signature', [])],
    attachments: [...pick('attachments', [])],
  };
}
