// Decides from cheap page signals whether a page is a policy document, an interpretation of one, or
// something else (news, lists, home and search pages). Works on the bounded sample only, both scripts.
// No opencc here: a small character fold covers the words the rules look for in 繁體 pages.
import { siteForHost } from '../sites/hosts';
import { stripPinyin } from '../text/pinyin';
import { foldWidth } from '../text/width';
import type { Detection, DocGenre, PageKind } from '../types';
import type { PageSignals } from './signals';

// Traditional → Simplified for the characters the rules below use (1:1, offsets kept). Not a
// general converter: only so that 關於印發…的通知, 發文字號, 京政發〔2016〕57號, 解讀 match.
const FOLD_PAIRS =
  '關关於于發发號号規规劃划實实讀读見见決决復复覆复計计辦办條条細细則则綱纲報报請请問问記记會会' +
  '圖图轉转門门機机區区縣县務务單单屬属構构廳厅國国軍军稱称簡简聞闻題题類类廢废來来詞词開开動动' +
  '態态調调議议領领導导長长書书時时間间檢检結结頁页網网業业經经濟济聯联們们認认現现將将給给為为' +
  '數数據据級级華华體体專专訪访說说進进總总節节編编輯辑責责擊击覽览處处審审財财衛卫環环護护資资' +
  '設设備备範范寫写頒颁佈布員员鄉乡鎮镇銀银團团織织習习學学錄录統统線线產产詢询視视頻频與与執执' +
  '貫贯徹彻種种舉举講讲話话籌筹應应況况興兴觀观這这對对個个東东訂订啟启臺台製制畫画' +
  '點点擬拟園园險险醫医療疗';
const FOLD: Record<string, string> = {};
for (let i = 0; i + 1 < FOLD_PAIRS.length; i += 2) FOLD[FOLD_PAIRS[i]] = FOLD_PAIRS[i + 1];
const FOLD_RE = new RegExp(`[${Object.keys(FOLD).join('')}]`, 'g');

/** Fold the Traditional characters detection cares about to Simplified (length-preserving). */
export function foldHans(s: string): string {
  return s.replace(FOLD_RE, (c) => FOLD[c] ?? c);
}

/** Text prepared for the rules: pinyin annotations removed, width folded, Traditional folded. */
function prepare(s: string): string {
  return foldHans(foldWidth(stripPinyin(s).text));
}

const HAN = '\\u3400-\\u9fff';
/** Opening / closing brackets of a 文号 year: 〔〕 [] 【】 () 〖〗 ﹝﹞ (after width folding). */
const OPEN = '〔\\[【(〖﹝';
const CLOSE = '〕\\]】)〗﹞';
/** 京政发〔2016〕57号 and its bracket variants; issuer code bounded to 12 characters. */
const DOCNO = new RegExp(`[${HAN}]{1,12}[${OPEN}]\\s?(?:19|20)\\d{2}\\s?[${CLOSE}]\\s?第?\\s?\\d{1,5}\\s?号`, 'g');
/** A decree on one line: 国令第706号, 北京市人民政府令第293号. */
const DECREE_LINE = new RegExp(`^[${HAN}]{1,20}令\\s?第\\s?\\d{1,5}\\s?号$`);
/** A decree split over two lines: 中华人民共和国国务院令 / 第706号. */
const DECREE_TITLE = new RegExp(`^[${HAN}]{2,20}令$`);
const DECREE_SERIAL = /^第\s?\d{1,5}\s?号$/;
/** Label in front of a document's own number. */
const DOCNO_LABEL = /(?:发文字号|发文号|文号|字号)[\]】]?\s?[:：]?\s?/;

const DATE_LINE = new RegExp(
  '^(?:(?:19|20)\\d{2}\\s?年\\s?\\d{1,2}\\s?月\\s?\\d{1,2}\\s?日' +
    '|[〇零○O一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)' +
    '(?:\\s?\\(此件[^()]{0,12}\\))?$',
);
/** An organ signing a document: ends with the organ's kind. */
const ORGAN_LINE = new RegExp(
  `^[${HAN}、 ]{2,60}(?:人民政府|政府|办公厅|办公室|委员会|总局|局|厅|部|院|署|委|中心|办)$`,
);
/** A decree's signature: 总理 李克强. */
const SIGNER_LINE = new RegExp(`^(?:总理|主席|省长|市长|部长|主任|局长|区长|县长|州长)\\s?[${HAN}]{2,4}$`);

/** 主送机关: the organs addressed, ending with a colon right after an organ's kind. */
const RECIPIENT_END =
  /(?:人民政府|政府|委员会|委|办公厅|办公室|办|局|厅|部|署|院|机构|单位|部门|公司|集团|企业|学校|高校|银行|中心|协会|商会|小组)[:：]$/;
const LABEL_WORDS = /发布|发文|主办|承办|来源|责任|牵头|配合|联系|主管|协办|监制|制作|出品/;

const PART = /^([一二三四五六七八九十]{1,3})、/;
const SECTION = /^\(([一二三四五六七八九十]{1,3})\)/;
const ARTICLE = /^第([一二三四五六七八九十百零〇]{1,6})条/;
const CHAPTER = /^第([一二三四五六七八九十]{1,3})章/;

/** Labels only a policy document's metadata block has (gov.cn bd1 table, 首都之窗 list). */
const POLICY_LABELS = ['发文字号', '成文日期', '发文机关', '发文机构', '有效性', '实施日期', '废止日期', '联合发文单位'];
/** Labels every 政府信息公开 item carries, news and interpretations included: support only. */
const INFO_LABELS = ['索引号', '主题分类', '主题词', '发布机构', '文件来源'];

const INTERP_TITLE = new RegExp(
  '一图读懂|一图看懂|图解|答记者问|记者问|政策问答|问答$|答问$|新闻发布会|发布会' +
    '|^(?:政策|图文|图片|权威|专家|视频|动漫|数字|文字)?解读|解读$|解读[:：]|的解读' +
    `|[^《》]{2,80}》(?:正式)?(?:发布|印发|出台|公布)$`,
);
const NEWS_TITLE =
  /召开|调研|会见|会谈|座谈|出席|主持|视察|考察|慰问|督导|督查|推进会|举行|开幕|闭幕|签约|走访|看望|强调|指出|部署/;

/** Column (栏目) names: what kind of page the site files this under. */
const COLUMN_INTERP = /解读|图解|问答|答记者问|发布会|新闻发布/;
const COLUMN_POLICY = /政策文件|政府文件|规范性文件|政策法规|法规|规章|公文|政府令|文件库|政府公报|^文件$|信息公开文件/;
const COLUMN_NEWS = /要闻|新闻|动态|领导活动|图片|视频|媒体|资讯|快讯/;
const COLUMN_HOME = /^(?:首页|网站首页|主页)$/;

const GENRES: ReadonlyArray<readonly [RegExp, DocGenre]> = [
  [/意见$/, 'opinion'],
  [/通知$/, 'notice'],
  [/(?:计划|规划|纲要)$/, 'plan'],
  [/方案$/, 'scheme'],
  [/(?:办法|措施)$/, 'measure'],
  [/(?:条例|规定|细则|规则|规程|准则)$/, 'regulation'],
  [/决定$/, 'decision'],
  [/(?:批复|复函|答复|函)$/, 'reply'],
  [/令(?:第\d{1,5}号)?$/, 'decree'],
  [/(?:报告|请示)$/, 'report'],
  [/(?:公告|通告|通报)$/, 'announcement'],
];

/** A date with year, or a list's MM-DD, at the start or end of a short line. */
const DATE_ANY = /(?:19|20)\d{2}\s?[-/.年]\s?\d{1,2}\s?[-/.月]\s?\d{1,2}日?|(?<![\d-])\d{2}-\d{2}(?![\d-])/;

const SEARCH_URL = /[?&](?:q|qt|wd|kw|keyword|keywords|searchword|query|word|sw|key|searchtext)=|\/(?:search|sousuo|so|s|jsearch|fulltext)(?:\/|\.|\?|$)/i;
const SEARCH_WORDS = /搜索|检索|查询结果/;
const SEARCH_TEXT = /搜索结果|检索结果|共找到|找到约?\s?\d|相关结果|条结果|结果\s?\d+\s?条/;
const HOME_PATH = /^\/?(?:(?:index|default|home|main)\.(?:s?html?|jsp|php|aspx?))?$/i;
const DATELINE = new RegExp(
  `^\\d{1,2}月\\d{1,2}日(?:上午|下午|晚|晚间|早)?[,，]|本报讯|新华社|\\(记者\\s?[${HAN}]{2,4}|记者\\s?[${HAN}]{2,3}\\s?(?:报道|摄)`,
);

const MAX_LINES = 200;
const MAX_TITLE = 100;

/** What a title says about the page. */
interface TitleForm {
  interp: boolean;
  genre: DocGenre | null;
  /** 2: 关于/印发/转发 … genre word; 1: ends with a genre word; 0: no policy form. */
  strength: 0 | 1 | 2;
  news: boolean;
}

/** Strip labels, quotes and trailing remarks (年份, 试行, 此件公开发布) around a title. */
function cleanTitle(t: string): string {
  let s = t.replace(/\s+/g, '');
  s = s.replace(/^(?:附件?\d*|标题|题目|名称|政策)[:：|]?/, '');
  for (let i = 0; i < 3; i++) {
    const before = s;
    s = s.replace(/[》”"'」』]+$/, '').replace(/\([^()]{1,20}\)$/, '');
    if (s === before) break;
  }
  return s.replace(/^[《“"「『]+/, '');
}

/** Classify one title. */
export function titleForm(raw: string): TitleForm {
  const s = cleanTitle(prepare(raw.slice(0, MAX_TITLE * 2)));
  const out: TitleForm = { interp: false, genre: null, strength: 0, news: false };
  if (s.length < 4) return out;
  // Short column labels (政策解读, 相关解读, 图解) are not page titles.
  if (s.length > 6 && INTERP_TITLE.test(s)) {
    out.interp = true;
    return out;
  }
  if (s.length >= 6) {
    for (const [re, g] of GENRES) {
      if (re.test(s)) {
        out.genre = g;
        out.strength = /关于|印发|转发|颁发|颁布|发布/.test(s) ? 2 : 1;
        break;
      }
    }
  }
  if (!out.genre && NEWS_TITLE.test(s)) out.news = true;
  return out;
}

/** Parts of a `<title>`: "标题_栏目_站点". Hyphens inside (2016-2020年) are kept. */
function titleParts(t: string): string[] {
  return t
    .split(/\s*[_|｜]\s*|\s+[-—–]+\s+|——/)
    .map((p) => p.trim())
    .filter(Boolean)
    .slice(0, 4);
}

/** Whether a line is a breadcrumb: 首页 > 政务公开 > 政策文件. */
function breadcrumbParts(line: string): string[] | null {
  if (line.length > 120) return null;
  const m = /^(?:当前位置|您的位置|您现在的位置|所在位置|位置)[:：]\s?/.exec(line);
  const rest = m ? line.slice(m[0].length) : line;
  const parts = rest.split(/\s?(?:>>|>|›|»|→)\s?/).map((p) => p.trim()).filter(Boolean);
  if (parts.length >= 3 || (m && parts.length >= 1)) return parts;
  return null;
}

function clamp(x: number): number {
  return Math.max(0, Math.min(1, Math.round(x * 100) / 100));
}

/** Detect what a page is from its signals. Pure and bounded: a few milliseconds at most. */
export function detectPage(s: PageSignals): Detection {
  const signals: string[] = [];
  const host = s.host ?? null;
  const site = siteForHost(host);
  if (host) signals.push(`host:${host}`);

  let policy = 0;
  let interp = 0;
  let structural = 0; // list / search / home: the page is a way to other pages
  let otherSoft = 0; // news and link-heavy chrome

  const sample = prepare(s.sample.slice(0, 4000));
  const lines = sample.split('\n', MAX_LINES).map((l) => l.trim()).filter(Boolean);
  const compact = sample.replace(/\s+/g, '');

  // --- Meta tags: the 栏目 the site files the page under.
  const meta = (k: string) => prepare((s.meta[k] ?? '').slice(0, 400));
  const headings = s.headings.slice(0, 8).map((h) => h.slice(0, MAX_TITLE * 2));
  const pageTitle = s.title.slice(0, MAX_TITLE * 3);
  const columns = [meta('columnname'), meta('columntype')].filter(Boolean);
  let columnKind: 'policy' | 'interp' | 'news' | 'home' | null = null;
  for (const c of columns) {
    if (COLUMN_INTERP.test(c)) columnKind = 'interp';
    else if (COLUMN_POLICY.test(c)) columnKind ??= 'policy';
    else if (COLUMN_HOME.test(c)) columnKind ??= 'home';
    else if (COLUMN_NEWS.test(c)) columnKind ??= 'news';
  }
  if (columnKind) signals.push(`meta:ColumnName=${s.meta.columnname ?? s.meta.columntype}`);
  if (columnKind === 'interp') interp += /新闻发布/.test(columns.join()) ? 2 : 3;
  if (columnKind === 'policy') policy += 2;
  if (columnKind === 'news') otherSoft += 2;
  if (columnKind === 'home') structural += 2;

  // --- Breadcrumb in the first lines.
  for (const line of lines.slice(0, 12)) {
    const parts = breadcrumbParts(line);
    if (!parts) continue;
    const last = parts.slice(-3).join('>');
    if (COLUMN_INTERP.test(last)) interp += 2;
    else if (COLUMN_POLICY.test(last)) policy += 1;
    else if (COLUMN_NEWS.test(last)) otherSoft += 1;
    else continue;
    signals.push(`breadcrumb:${parts.slice(-2).join('>')}`);
    break;
  }

  // --- Title candidates, best first: ArticleTitle, h1/h2, <title>, then the first lines of text.
  // A metadata block's own 标题 row names the document as exactly as ArticleTitle does.
  const labelled: string[] = [];
  for (const line of lines.slice(0, 40)) {
    const m = /^(?:标\s*题|题\s*名|文件名称|名\s*称)\s*[:：]\s*(.{2,120})$/.exec(line);
    if (m) labelled.push(m[1].split(/\s+[^\s:：]{2,6}[:：]/)[0]);
  }
  const headCandidates = [
    s.meta.articletitle ?? '',
    ...labelled.slice(0, 2),
    ...headings,
    ...titleParts(pageTitle).slice(0, 1),
  ].filter((t) => t && t.length <= MAX_TITLE * 2);
  const lineCandidates = lines
    .slice(0, 30)
    .filter((l) => l.length <= MAX_TITLE && !/[。;；]|[:：]$/.test(l) && !PART.test(l) && !SECTION.test(l) && !breadcrumbParts(l));
  let genre: DocGenre | null = null;
  let titleStrength = 0;
  let titleInterp = false;
  let titleNews = false;
  let titleSeen = 0;
  for (const c of [...headCandidates, ...lineCandidates]) {
    const f = titleForm(c);
    titleSeen++;
    // Interpretation forms only count where a page's title sits: head candidates and the first lines.
    if (f.interp && titleSeen <= headCandidates.length + 8) titleInterp = true;
    // The first candidate of the highest strength names the genre (head candidates come first).
    if (f.strength > titleStrength) {
      titleStrength = f.strength;
      genre = f.genre;
    }
    if (f.news && titleSeen <= headCandidates.length + 3) titleNews = true;
  }
  if (titleInterp) {
    interp += 3;
    signals.push('title:interpretation');
  }
  if (titleStrength > 0) {
    policy += titleStrength;
    signals.push(`title:${genre}${titleStrength === 2 ? '' : ':weak'}`);
  }
  if (titleNews && !titleStrength) {
    otherSoft += 1;
    signals.push('title:news');
  }

  // --- The document's own 文号 (a line of its own, or after 发文字号), versus numbers it cites.
  const own = new Set<string>();
  let cited = 0;
  const numberLines = [...headings.map(prepare), ...lines.slice(0, 80)];
  for (let i = 0; i < numberLines.length; i++) {
    const line = numberLines[i];
    if (line.length > 400) continue;
    if (DECREE_LINE.test(line.replace(/\s/g, ''))) own.add(line.replace(/\s/g, ''));
    else if (DECREE_TITLE.test(line) && DECREE_SERIAL.test(numberLines[i + 1] ?? '')) {
      own.add(line + (numberLines[i + 1] ?? '').replace(/\s/g, ''));
    }
    if (!line.includes('号')) continue;
    DOCNO.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = DOCNO.exec(line))) {
      const before = line.slice(Math.max(0, m.index - 8), m.index);
      const rest = line.replace(DOCNO_LABEL, '').replace(/[\s[\]【】]/g, '');
      const alone = rest.length <= m[0].replace(/\s/g, '').length + 2;
      const labelled = /(?:发文字号|发文号|文号|字号)[\]】]?\s?[:：]?\s?$/.test(before);
      if ((alone || labelled) && !/[(《]$/.test(before)) own.add(m[0].replace(/\s/g, ''));
      else cited++;
    }
  }
  // Many different numbers each on a line of their own: a list of documents, not one document.
  const numberList = own.size >= 3;
  const ownNumber = own.size > 0 && !numberList;
  if (ownNumber) {
    policy += 3;
    signals.push(`docnumber:${[...own][0]}`);
  } else if (numberList) {
    structural += 3;
    signals.push(`docnumber-list:${own.size}`);
  }
  if (cited) signals.push(`cited-docnumbers:${cited}`);

  // --- 主送机关 line.
  let recipients = false;
  for (const line of lines.slice(0, 80)) {
    if (/^主送(?:机关|单位)?[:：]./.test(line)) {
      recipients = true;
      break;
    }
    if (line.length < 4 || line.length > 160 || /[。;；?？!！]/.test(line)) continue;
    if (!RECIPIENT_END.test(line)) continue;
    if (line.length <= 10 && LABEL_WORDS.test(line)) continue;
    if (/^各|、|,|，/.test(line) || line.length <= 24) {
      recipients = true;
      break;
    }
  }
  if (recipients) {
    policy += 3;
    signals.push('recipients');
  }

  // --- Signature and date: organ (or signer) line, then a date line within two lines.
  let signature = false;
  for (let i = 0; i < lines.length - 1 && !signature; i++) {
    const l = lines[i];
    if (l.length > 60 || !(ORGAN_LINE.test(l) || SIGNER_LINE.test(l))) continue;
    for (let j = i + 1; j <= i + 2 && j < lines.length; j++) {
      if (DATE_LINE.test(lines[j].replace(/\s+(?=\d|年|月|日)/g, ''))) {
        signature = true;
        break;
      }
    }
  }
  if (signature) {
    policy += 2;
    signals.push('signature');
  }

  // --- Metadata block: known markup, or labels of a policy metadata table in the text.
  const policyLabels: string[] = [];
  const infoLabels: string[] = [];
  let labelRepeats = 0;
  for (const label of [...POLICY_LABELS, ...INFO_LABELS]) {
    let at = compact.indexOf(label);
    if (at < 0) continue;
    (POLICY_LABELS.includes(label) ? policyLabels : infoLabels).push(label);
    let n = 0;
    while (at >= 0 && n < 10) {
      n++;
      at = compact.indexOf(label, at + label.length);
    }
    labelRepeats = Math.max(labelRepeats, n);
  }
  // 信息公开 labels alone (索引号, 发布机构) sit on news and interpretations too: they only support.
  const metaBlock = s.blocks.length > 0 || (policyLabels.length >= 1 && policyLabels.length + infoLabels.length >= 2);
  if (labelRepeats >= 3) {
    structural += 3; // the same label over and over: a list of search results or documents
    signals.push(`labels-repeated:${labelRepeats}`);
  } else if (metaBlock) {
    policy += 3;
    if (s.blocks.length) signals.push(`metadata:${s.blocks.join(',')}`);
    if (policyLabels.length) signals.push(`labels:${[...policyLabels, ...infoLabels].slice(0, 4).join(',')}`);
  } else if (infoLabels.length >= 2) signals.push(`info-labels:${infoLabels.slice(0, 3).join(',')}`);

  // --- Heading structure: 一、 (一) 第一条 第一章.
  const parts = new Set<string>();
  const sections = new Set<string>();
  const articles = new Set<string>();
  for (const line of lines) {
    let m = PART.exec(line);
    if (m) parts.add(m[1]);
    else if ((m = SECTION.exec(line))) sections.add(m[1]);
    else if ((m = ARTICLE.exec(line)) || (m = CHAPTER.exec(line))) articles.add(m[0]);
  }
  const structured = parts.size >= 2 || articles.size >= 2 || (parts.size >= 1 && sections.size >= 2);
  if (structured) {
    policy += 1;
    signals.push(`headings:${parts.size + sections.size + articles.size}`);
  }

  // --- Interpretation cues near the top: (以下简称《…》) at a press conference, Q&A, 解读.
  const top = lines.slice(0, 25).join('\n').slice(0, 1500);
  if (/以下简称\s?[《“"]/.test(top) && /发布会|解读|记者|新闻办|印发|出台|发布/.test(top)) {
    interp += 2;
    signals.push('alias-near-top');
  }
  let questions = 0;
  let answers = 0;
  for (const line of lines) {
    if (/^(?:问|记者|Q\d*)\s?[:：]|^问\d{0,2}[:：、]/.test(line)) questions++;
    else if (/^(?:答|A\d*)\s?[:：]|^答\d{0,2}[:：、]/.test(line)) answers++;
  }
  if (questions >= 1 && answers >= 1 && questions + answers >= 3) {
    interp += 2;
    signals.push(`qa:${questions}/${answers}`);
  }
  if (!titleInterp && /解读|答记者问|新闻发布会|发布会/.test(top)) {
    interp += 1;
    signals.push('interpretation-words');
  }

  // --- List, search, home, news: pages that lead to other pages.
  let dated = 0;
  for (const line of lines) {
    if (line.length > 100) continue;
    const m = DATE_ANY.exec(line);
    if (!m) continue;
    const atStart = m.index <= 1;
    const atEnd = /^[\s)\]】]*$/.test(line.slice(m.index + m[0].length));
    if (atStart || atEnd) dated++;
  }
  if (dated >= 8) {
    structural += dated >= 15 ? 5 : 4;
    signals.push(`dated-lines:${dated}`);
  }
  if (s.sampleLinks != null && s.sampleLinkChars != null && s.sample.length > 0) {
    const density = s.sampleLinkChars / s.sample.length;
    if (s.sampleLinks >= 15 && density >= 0.5) {
      if (density >= 0.7 && s.sampleLinks >= 30) structural += 2;
      else otherSoft += 2;
      signals.push(`link-density:${density.toFixed(2)}`);
    }
  }
  let path = '';
  let query = '';
  if (s.url) {
    try {
      const u = new URL(s.url);
      path = u.pathname;
      query = u.search;
    } catch {
      /* not a URL: no path signals */
    }
  }
  const searchUrl = !!s.url && SEARCH_URL.test(path + query);
  const searchTitle = SEARCH_WORDS.test(prepare([pageTitle, ...headings].join(' ').slice(0, 600)));
  const searchText = SEARCH_TEXT.test(top);
  const searchHits = Number(searchUrl) + Number(searchTitle) + Number(searchText);
  if (searchHits >= 2) {
    structural += 4;
    signals.push('search');
  } else if (searchHits === 1 && (searchUrl || searchText)) otherSoft += 1;
  if (s.url && HOME_PATH.test(path) && !query) {
    structural += 2;
    signals.push('home-path');
  }
  if (/门户网站$|首页$/.test(titleParts(prepare(pageTitle))[0] ?? '') && !titleStrength) {
    structural += 1;
    signals.push('home-title');
  }
  if (lines.slice(0, 15).some((l) => DATELINE.test(l))) {
    otherSoft += 1;
    signals.push('dateline');
  }

  // --- Decide.
  const policyBlock = metaBlock && labelRepeats < 3;
  const hard = Number(ownNumber) + Number(recipients) + Number(signature) + Number(policyBlock);
  // What makes a page a document of its own: its number, its addressees, its metadata block. A closing
  // organ-and-date line alone does not (interpretations written by a department end with one too).
  const ownDocument = ownNumber || recipients || policyBlock;
  let kind: PageKind = 'other';
  if (structural >= 4 && hard < 2) kind = 'other';
  else if (interp >= 3 && !ownDocument && interp >= policy) kind = 'interpretation';
  else if (policy >= 4 || (policy >= 3 && hard >= 1) || (policy >= 3 && otherSoft === 0 && structural === 0)) {
    kind = 'policy';
  } else if (interp >= 2 && !ownDocument && interp > policy) kind = 'interpretation';

  let score: number;
  if (kind === 'policy') score = clamp(0.3 + policy / 12 - (structural + otherSoft) / 20);
  else if (kind === 'interpretation') score = clamp(0.3 + interp / 10);
  else score = clamp(Math.min(0.45, Math.max(policy / 12, interp / 10) - (structural + otherSoft) / 20));

  signals.push(`score:policy=${policy},interp=${interp},structural=${structural},other=${otherSoft}`);
  return { kind, genre: kind === 'policy' ? (genre ?? 'other') : null, site, score, signals };
}
