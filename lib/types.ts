// Shared data types of the extraction pipeline: what a page becomes once detected and extracted.
// Every later stage (library, overlay, search, highlights, CLI) reads these shapes.

/** What a page is, for the reader. */
export type PageKind = 'policy' | 'interpretation' | 'other';

/** Which site profile handled the page. `none`: not a government site at all. */
export type SiteId = 'beijing' | 'govcn' | 'shanghai' | 'shenyang' | 'generic' | 'none';

/** The genre a policy document declares in its title (关于…的通知/意见/规划…). */
export type DocGenre =
  | 'notice' // 通知
  | 'opinion' // 意见, 实施意见, 指导意见
  | 'plan' // 规划, 计划, 行动计划, 纲要
  | 'scheme' // 方案
  | 'measure' // 办法, 措施, 若干措施
  | 'regulation' // 条例, 规定, 细则, 规则
  | 'decision' // 决定
  | 'reply' // 批复, 复函, 函, 答复
  | 'decree' // 令
  | 'report' // 报告, 请示
  | 'announcement' // 公告, 通告, 通报
  | 'other';

/**
 * A 发文字号 parsed into its parts. `京政发〔2016〕57号` → issuerCode 京政发, year 2016, serial 57.
 * Decrees (`国令第706号`, `北京市人民政府令第293号`) have no year: year is null, form 'decree'.
 */
export interface DocNumber {
  /** Exactly as written in the source. */
  raw: string;
  /** Matching key: Simplified script, 〔〕 brackets, 号, no spaces. `京政发〔2016〕57号`, `国令第706号`. */
  normalized: string;
  /** Issuing organ's code in Simplified script: 京政发, 国办发明电, 国令, 北京市人民政府令. */
  issuerCode: string;
  year: number | null;
  serial: number;
  form: 'yearly' | 'decree';
}

/** ISO `YYYY-MM-DD` date strings; null where the document does not say. */
export interface PolicyDates {
  written: string | null; // 成文日期
  published: string | null; // 发布日期
  effective: string | null; // 实施日期
  repealed: string | null; // 废止日期
}

export interface PolicyMetadata {
  title: string | null;
  /** 发文机关: one or several (joint documents). */
  issuers: string[];
  /** 联合发文单位 where the site lists them separately. */
  jointIssuers: string[];
  docNumber: DocNumber | null;
  dates: PolicyDates;
  /** 有效性 as the site states it (有效, 失效, 废止…). */
  validity: string | null;
  /** 主题分类 split on the site's separators (\ / ;), outermost first. */
  topics: string[];
  /** 主题词 */
  keywords: string[];
  /** 索引号 */
  indexNumber: string | null;
  /** 文件来源 (e.g. 政府公报 2017年 第1期) */
  source: string | null;
  /** 主送机关 split into the organs addressed. */
  recipients: string[];
  /** Organs named in the signature block at the end of the notice. */
  signature: string[];
  /** Titles of 附件 (attachments) the document lists. */
  attachments: string[];
}

/** A run of the document text that came from one element (or one line of a text file). */
export interface Block {
  text: string;
  /** Offsets of this block in ExtractedDoc.text. */
  start: number;
  end: number;
  /** Index of the source element / line this block came from, so the UI can find it again. */
  source: number;
  /** Lower-cased tag name of the source element, or 'line' for plain text. */
  tag: string;
}

/** Departments named by a responsibility note, e.g. (市金融局牵头,…负责). */
export interface Responsibility {
  raw: string;
  lead: string[];
  responsible: string[];
  cooperating: string[];
  start: number;
  end: number;
}

export type ClauseKind =
  | 'part' // 一、 / 第一部分
  | 'section' // (一)
  | 'item' // 1. 1。 1、
  | 'subitem' // (1)
  | 'chapter' // 第一章
  | 'article' // 第一条
  | 'project' // 专项1
  | 'attachment'; // 附件1

export interface Clause {
  /** Stable within a document: the path of ordinals, e.g. "2.3.1". */
  id: string;
  /** The number as written: 一、 (一) 1. (1) 第三章 第十二条 专项3 附件1. */
  label: string;
  kind: ClauseKind;
  /** 1-based ordinal the label denotes. */
  ordinal: number;
  /** Depth in the tree, 1 for top level. */
  level: number;
  /** Heading text without the label (up to the first 。 for inline headings), '' when none. */
  heading: string;
  /** Text of the clause itself, excluding its children. */
  text: string;
  /** Labels from the root down to this clause, e.g. ['二、', '(三)', '1.']. */
  path: string[];
  /** Offsets in ExtractedDoc.text covering the clause and its children. */
  start: number;
  end: number;
  /** Index of the block where the clause starts. */
  block: number;
  responsibility: Responsibility | null;
  children: Clause[];
}

export type CitationKind = 'title' | 'number' | 'title+number' | 'alias';

export interface Citation {
  /** The whole cited span as written, e.g. 《国务院关于…指导意见》(国发〔2015〕40号). */
  text: string;
  /** Title inside 《》 (outer title when nested), original script; null for a bare 文号. */
  title: string | null;
  docNumber: DocNumber | null;
  kind: CitationKind;
  /** For an alias (以下简称《行动计划》 then 《行动计划》): the full title it stands for. */
  aliasOf: string | null;
  /** For 印发《X》的通知 style titles: the issued document's title X. */
  issues: string | null;
  /** Titles nested inside this one (〈居住證暫行條例〉). */
  nested: string[];
  start: number;
  end: number;
}

/** Text problems found and what was done about them; never silently invented text. */
export interface TextFlag {
  kind:
    | 'mojibake-repaired'
    | 'mojibake-unrecoverable'
    | 'pinyin-removed'
    | 'control-chars-removed'
    | 'markup-removed'; // stray HTML tags / comments / entities left in text (`</p>`, `&nbsp;`)
  start: number;
  end: number;
  detail: string;
}

export interface Detection {
  kind: PageKind;
  genre: DocGenre | null;
  site: SiteId;
  /** 0..1 confidence that this is a policy document or interpretation. */
  score: number;
  /** Human-readable reasons, e.g. 'host:www.beijing.gov.cn', 'meta:ColumnName=政策文件', 'docnumber'. */
  signals: string[];
}

export interface ExtractedDoc {
  url: string | null;
  detection: Detection;
  metadata: PolicyMetadata;
  /** The document body as cleaned text (chrome removed, pinyin removed, mojibake repaired), blocks joined by \n. */
  text: string;
  blocks: Block[];
  clauses: Clause[];
  citations: Citation[];
  flags: TextFlag[];
}
