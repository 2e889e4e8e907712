// Parsing the search box: terms (AND), quoted phrases, 文号 in any bracket form, typed filters (issuer: year: site: kind: / 机关: 年份: 网站: 类型:).
import { findDocNumbers, parseDocNumber } from '../citations/docnumber';
import { taiwanVariants, toMainland } from '../text/script';
import type { DocNumber } from '../types';
import { searchKey } from './tokens';

/** Filters as the UI's chips pass them (any script; merged with the ones typed in the box). */
export interface SearchFilters {
  /** Issuer names (any of them; a part of the name is enough: 北京 matches 北京市人民政府). */
  issuers?: string[];
  /** Inclusive year range of the plan's year (成文日期, else 发布日期, else the 文号's year). */
  yearFrom?: number | null;
  yearTo?: number | null;
  /** Site ids (beijing, govcn…), Chinese site names (北京, 中国政府网) or host fragments (gov.cn); any of them. */
  sites?: string[];
  /** Page kinds (policy, interpretation, other) or genres (notice, opinion…, 通知, 意见…); any of them. */
  kinds?: string[];
}

/** Filters after parsing: keyed, canonical, ready to test. Empty lists mean "no filter". */
export interface NormalizedFilters {
  /** Search keys of issuer names. */
  issuers: string[];
  yearFrom: number | null;
  yearTo: number | null;
  /** Site ids or lower-case host fragments. */
  sites: string[];
  /** PageKind or DocGenre values. */
  kinds: string[];
}

export interface QueryTerm {
  /** The term as typed, quotes removed. */
  text: string;
  /** Typed in quotes: matched as one phrase (spaces inside it are ignored like everywhere). */
  phrase: boolean;
  /**
   * Search keys, any of which must occur: the typed form, its mainland phrasing (網際網路 → 互联网),
   * Taiwan phrasings of it (互联网 → 网际网路), the normalized 文号. No key contains another.
   */
  keys: string[];
  /** Set when the term is a 文号 (京政發〔2016〕57號, 国发[2015]50号): its parsed number. */
  docNumber: DocNumber | null;
}

export interface ParsedQuery {
  input: string;
  terms: QueryTerm[];
  filters: NormalizedFilters;
  /** Typed filters that could not be read (e.g. `year:abc`), for the UI to show; they filter nothing. */
  problems: string[];
}

/** Longest query the parser reads; a search box never needs more, and it bounds the work. */
export const MAX_QUERY_LENGTH = 500;
/** At most this many terms are used (AND); more would not narrow anything useful. */
export const MAX_TERMS = 12;
const MAX_KEYS = 16;

type FilterField = 'issuer' | 'year' | 'site' | 'kind';

/** Typed prefixes, in any case and script; the colon may be full-width. */
const PREFIXES: Record<string, FilterField> = {
  issuer: 'issuer', org: 'issuer', 机关: 'issuer', 發文機關: 'issuer', 发文机关: 'issuer', 機關: 'issuer',
  year: 'year', 年份: 'year', 年度: 'year', 年: 'year',
  site: 'site', 网站: 'site', 網站: 'site', 站点: 'site', 站點: 'site',
  kind: 'kind', type: 'kind', 类型: 'kind', 類型: 'kind', 文种: 'kind', 文種: 'kind',
};
const PREFIX = new RegExp(`^(${Object.keys(PREFIXES).sort((a, b) => b.length - a.length).join('|')})[:：]`, 'i');

/** Chinese names of page kinds and genres (keys in Simplified). */
const KIND_NAMES: Record<string, string> = {
  政策: 'policy', 政策文件: 'policy', 文件: 'policy', 政府文件: 'policy',
  解读: 'interpretation', 政策解读: 'interpretation', 新闻: 'interpretation',
  其他: 'other', 其它: 'other',
  通知: 'notice', 意见: 'opinion', 实施意见: 'opinion', 指导意见: 'opinion',
  规划: 'plan', 计划: 'plan', 行动计划: 'plan', 纲要: 'plan',
  方案: 'scheme', 办法: 'measure', 措施: 'measure', 条例: 'regulation', 规定: 'regulation',
  细则: 'regulation', 规则: 'regulation', 决定: 'decision', 批复: 'reply', 复函: 'reply', 函: 'reply',
  答复: 'reply', 令: 'decree', 报告: 'report', 请示: 'report', 公告: 'announcement', 通告: 'announcement',
  通报: 'announcement',
};
const KINDS = new Set([
  'policy', 'interpretation', 'other', 'notice', 'opinion', 'plan', 'scheme', 'measure', 'regulation',
  'decision', 'reply', 'decree', 'report', 'announcement',
]);

/** Chinese names of the sites with a profile (keys in Simplified). */
const SITE_NAMES: Record<string, string> = {
  北京: 'beijing', 北京市: 'beijing', 首都之窗: 'beijing',
  上海: 'shanghai', 上海市: 'shanghai',
  沈阳: 'shenyang', 沈阳市: 'shenyang',
  中国政府网: 'govcn', 国务院: 'govcn', 中央政府: 'govcn', 政府网: 'govcn',
};

/** Quote pairs: an opening quote and the characters that close it. */
const QUOTES: Record<string, string> = { '"': '"”', '“': '”"', '「': '」', '『': '』', '﹁': '﹂', '«': '»' };

function isSpace(ch: string): boolean {
  return /[\s\u3000\u00a0]/.test(ch);
}

interface Token {
  text: string;
  phrase: boolean;
}

/**
 * Split on spaces outside quotes and outside 文号 mentions (国发 〔2015〕 50号 stays one token).
 * An unclosed quote runs to the end (the reader is still typing).
 */
function tokenize(input: string): Token[] {
  const protectedUntil = new Int32Array(input.length + 1).fill(-1);
  for (const m of findDocNumbers(input)) for (let i = m.start; i < m.end; i++) protectedUntil[i] = m.end;
  const tokens: Token[] = [];
  let cur = '';
  let phrase = false;
  let i = 0;
  const flush = () => {
    if (cur) tokens.push({ text: cur, phrase });
    cur = '';
    phrase = false;
  };
  while (i < input.length) {
    const ch = input[i];
    const close = QUOTES[ch];
    if (close) {
      // A quote starts a phrase; text just before it (a filter prefix like issuer:) stays in the token.
      let j = i + 1;
      while (j < input.length && !close.includes(input[j])) j++;
      cur += input.slice(i + 1, j);
      phrase = true;
      i = j + 1;
      continue;
    }
    if (isSpace(ch) && protectedUntil[i] < 0) {
      flush();
      i++;
      continue;
    }
    cur += ch;
    i++;
  }
  flush();
  return tokens;
}

/** `2016`, `2016-2018`, `2016年至2018年`, `2016..2018`, `2016-`, `-2018` → range; null when unreadable. */
export function parseYearRange(s: string): { from: number | null; to: number | null } | null {
  const t = s.replace(/[\s\u3000年]/g, '').replace(/[—–－~～至到]|\.\./g, '-');
  const m = /^(\d{4})?(-)?(\d{4})?$/.exec(t);
  if (!m || (!m[1] && !m[3])) return null;
  let from = m[1] ? Number(m[1]) : null;
  let to = m[3] ? Number(m[3]) : m[2] ? null : from;
  if (from !== null && to !== null && from > to) [from, to] = [to, from];
  return { from, to };
}

function canonicalKind(v: string): string | null {
  const lower = v.trim().toLowerCase();
  if (KINDS.has(lower)) return lower;
  return KIND_NAMES[searchKey(v)] ?? null;
}

function canonicalSite(v: string): string | null {
  const k = searchKey(v);
  if (!k) return null;
  return SITE_NAMES[k] ?? k;
}

/** Search keys of a term: typed, mainland, Taiwan phrasings and 文号 forms; containment-free. */
export function termKeys(text: string, docNumber: DocNumber | null): string[] {
  const clean = text.replace(/[\r\n]+/g, '');
  const keys: string[] = [];
  const add = (s: string) => {
    const k = searchKey(s.replace(/[\r\n]+/g, ''));
    if (k && !keys.includes(k) && keys.length < MAX_KEYS) keys.push(k);
  };
  add(clean);
  add(toMainland(clean));
  if (docNumber) add(docNumber.normalized);
  // Taiwan phrasings of every key so far, and of those (信息网络 → 资讯网络, 信息网路, 资讯网路).
  for (let i = 0; i < keys.length && keys.length < MAX_KEYS; i++) {
    for (const v of taiwanVariants(keys[i])) add(v);
  }
  // A key containing another adds no match: keep the shorter (so occurrences never overlap at one start).
  return keys.filter((k, i) => !keys.some((o, j) => j !== i && o.length < k.length && k.includes(o)));
}

function emptyFilters(): NormalizedFilters {
  return { issuers: [], yearFrom: null, yearTo: null, sites: [], kinds: [] };
}

/** Merge the chips' structured filters into the typed ones. Lists add up (any of); year ranges intersect. */
function mergeOptions(f: NormalizedFilters, o: SearchFilters, problems: string[]): void {
  for (const v of o.issuers ?? []) {
    const k = searchKey(v);
    if (k && !f.issuers.includes(k)) f.issuers.push(k);
  }
  for (const v of o.sites ?? []) {
    const s = canonicalSite(v);
    if (s && !f.sites.includes(s)) f.sites.push(s);
  }
  for (const v of o.kinds ?? []) {
    const k = canonicalKind(v);
    if (!k) problems.push(`kind:${v}`);
    else if (!f.kinds.includes(k)) f.kinds.push(k);
  }
  narrowYears(f, o.yearFrom ?? null, o.yearTo ?? null);
}

function narrowYears(f: NormalizedFilters, from: number | null, to: number | null): void {
  if (from !== null) f.yearFrom = f.yearFrom === null ? from : Math.max(f.yearFrom, from);
  if (to !== null) f.yearTo = f.yearTo === null ? to : Math.min(f.yearTo, to);
}

/** Parse what the reader typed, plus the chips' filters. Never throws. */
export function parseQuery(input: string, options: SearchFilters = {}): ParsedQuery {
  const text = (input ?? '').slice(0, MAX_QUERY_LENGTH);
  const filters = emptyFilters();
  const problems: string[] = [];
  const terms: QueryTerm[] = [];
  for (const tok of tokenize(text)) {
    const prefix = tok.text.match(PREFIX);
    if (prefix) {
      const field = PREFIXES[prefix[1].toLowerCase()] ?? PREFIXES[prefix[1]];
      const value = tok.text.slice(prefix[0].length).trim();
      if (!value) continue; // still typing
      if (field === 'issuer') {
        const k = searchKey(value);
        if (k && !filters.issuers.includes(k)) filters.issuers.push(k);
      } else if (field === 'year') {
        const r = parseYearRange(value);
        if (r) narrowYears(filters, r.from, r.to);
        else problems.push(tok.text);
      } else if (field === 'site') {
        for (const v of value.split(/[,，、|]/)) {
          const s = canonicalSite(v);
          if (s && !filters.sites.includes(s)) filters.sites.push(s);
        }
      } else {
        for (const v of value.split(/[,，、|]/)) {
          const k = canonicalKind(v);
          if (!k) problems.push(`${prefix[0]}${v}`);
          else if (!filters.kinds.includes(k)) filters.kinds.push(k);
        }
      }
      continue;
    }
    if (terms.length >= MAX_TERMS) continue;
    const docNumber = parseDocNumber(tok.text.trim());
    const keys = termKeys(tok.text, docNumber);
    if (!keys.length) continue; // only spaces or dropped characters
    if (terms.some((t) => t.keys.join('\n') === keys.join('\n'))) continue; // the same term twice
    terms.push({ text: tok.text, phrase: tok.phrase, keys, docNumber });
  }
  mergeOptions(filters, options, problems);
  return { input: text, terms, filters, problems };
}

/** True when the query has no terms and no filters: the popup shows recent plans. */
export function isEmptyQuery(q: ParsedQuery): boolean {
  const f = q.filters;
  return !q.terms.length && !f.issuers.length && !f.sites.length && !f.kinds.length && f.yearFrom === null && f.yearTo === null;
}

/** The filter values of a plan, as search and scan both test them. */
export interface FilterSubject {
  /** Search keys of issuer names. */
  issuerKeys: string[];
  year: number;
  site: string;
  host: string;
  kind: string;
  genre: string | null;
}

/** Whether a plan passes the filters (lists: any of; absent year fails a year filter). */
export function passesFilters(f: NormalizedFilters, p: FilterSubject): boolean {
  if (f.issuers.length && !f.issuers.some((k) => p.issuerKeys.some((n) => n.includes(k)))) return false;
  if (f.yearFrom !== null && !(p.year && p.year >= f.yearFrom)) return false;
  if (f.yearTo !== null && !(p.year && p.year <= f.yearTo)) return false;
  if (f.sites.length && !f.sites.some((s) => s === p.site || (p.host !== '' && p.host.includes(s)))) return false;
  if (f.kinds.length && !f.kinds.some((k) => k === p.kind || k === p.genre)) return false;
  return true;
}
