// Lays a seed's plain text out as each site's real page template (chrome, meta tags, metadata block, body)
// for the tests, the demo and the benchmark. Seed text is kept as it is; only its chrome and metadata lines move.
import type { SiteId } from '../lib/types';

/** Where a seed's lines go. Indices are 0-based line numbers of the seed text. */
export interface SeedLayout {
  /** The line shown as the page's visible title (in the article header). */
  title?: number;
  /** Lines that are page chrome on the real site (breadcrumb, tool bars, share, footers). */
  chrome?: number[];
  /** Standard meta tags; ArticleTitle defaults to the title line. Tags left out are not emitted. */
  meta?: Partial<Record<MetaName, string>>;
}

type MetaName = 'SiteName' | 'SiteDomain' | 'SiteIDCode' | 'ColumnName' | 'ArticleTitle' | 'PubDate' | 'ContentSource';

export interface SeedPage {
  html: string;
  site: SiteId;
  /** URL path of the page on its site. */
  path: string;
  /** Full URL (site host + path), for detection by host. */
  url: string;
}

interface SiteInfo {
  host: string;
  name: string;
  idCode: string;
  pathPrefix: string;
  icp: string;
  beian: string;
  organiser: string;
}

/** Template furniture of each site (names as the sites print them; numbers are the template's, not a document's). */
const SITES: Record<'beijing' | 'govcn' | 'shanghai' | 'shenyang', SiteInfo> = {
  beijing: {
    host: 'www.beijing.gov.cn',
    name: '首都之窗',
    idCode: '1100000088',
    pathPrefix: '/zhengce/zfwj/',
    icp: '京ICP备05060933号',
    beian: '京公网安备 11010502039476号',
    organiser: '北京市人民政府办公厅',
  },
  govcn: {
    host: 'www.gov.cn',
    name: '中国政府网',
    idCode: 'bm01000001',
    pathPrefix: '/zhengce/content/',
    icp: '京ICP备05070218号',
    beian: '京公网安备11010202000001号',
    organiser: '国务院办公厅',
  },
  shanghai: {
    host: 'www.shanghai.gov.cn',
    name: '上海市人民政府',
    idCode: '3100000007',
    pathPrefix: '/nw12344/',
    icp: '沪ICP备05004651号',
    beian: '沪公网安备31010102002217号',
    organiser: '上海市人民政府办公厅',
  },
  shenyang: {
    host: 'www.shenyang.gov.cn',
    name: '沈阳市人民政府',
    idCode: '2101000018',
    pathPrefix: '/zwgk/zcwj/',
    icp: '辽ICP备05011355号',
    beian: '辽公网安备21010202000066号',
    organiser: '沈阳市人民政府办公室',
  },
};

/** HTML-escape untrusted page text (also safe inside double- or single-quoted attributes). */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `  1. [主題分類] 經濟、交通/資訊産業`: a numbered metadata item as 首都之窗's list renders in plain text. */
const META_ITEM = /^\s*\d{1,2}\.\s*\[([^\]]{1,16})\]\s*(.*)$/;

interface Laid {
  metaItems: Array<{ label: string; value: string; line: number }>;
  title: string | null;
  headChrome: string[];
  tailChrome: string[];
  body: string[];
}

/** Sorts a seed's lines into metadata items, title, chrome before/after the body, and body lines. */
function layOut(seedText: string, layout: SeedLayout): Laid {
  const lines = seedText.split(/\r\n|\r|\n/);
  const chrome = new Set(layout.chrome ?? []);
  const out: Laid = { metaItems: [], title: null, headChrome: [], tailChrome: [], body: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim().length === 0) continue;
    if (i === layout.title) {
      out.title = line;
      continue;
    }
    if (chrome.has(i)) {
      (out.body.length === 0 ? out.headChrome : out.tailChrome).push(line);
      continue;
    }
    const m = META_ITEM.exec(line);
    if (m && out.body.length === 0) {
      out.metaItems.push({ label: m[1], value: m[2], line: i });
      continue;
    }
    out.body.push(line);
  }
  return out;
}

function metaTags(site: SiteInfo, laid: Laid, layout: SeedLayout, column: string): string {
  const values: Partial<Record<MetaName, string>> = {
    SiteName: site.name,
    SiteDomain: site.host,
    SiteIDCode: site.idCode,
    ColumnName: column,
    ...(laid.title ? { ArticleTitle: laid.title.trim() } : {}),
    ...layout.meta,
  };
  return (Object.keys(values) as MetaName[])
    .filter((k) => values[k])
    .map((k) => `<meta name="${k}" content="${escapeHtml(values[k] as string)}">`)
    .join('\n');
}

function head(site: SiteInfo, laid: Laid, layout: SeedLayout, column: string): string {
  const title = layout.meta?.ArticleTitle ?? laid.title?.trim() ?? site.name;
  return `<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>${escapeHtml(title)}_${escapeHtml(column)}_${escapeHtml(site.name)}</title>
${metaTags(site, laid, layout, column)}
<script>var _hmt = _hmt || []; /* site analytics */</script>
<style>.hide{display:none}</style>
</head>`;
}

function paragraphs(lines: string[]): string {
  return lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
}

function crumbs(line: string): string {
  return line
    .split(/\s*>\s*/)
    .map((seg) => `<a href="#">${escapeHtml(seg.trim())}</a>`)
    .join(' &gt; ');
}

function footer(site: SiteInfo): string {
  return `<div class="footer" id="footer">
<div class="footer-links"><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">使用帮助</a></div>
<p>主办：${escapeHtml(site.organiser)} 版权所有：${escapeHtml(site.name)}</p>
<p>网站标识码：${escapeHtml(site.idCode)} ${escapeHtml(site.icp)} ${escapeHtml(site.beian)}</p>
</div>`;
}

const isCrumb = (l: string): boolean => /\s>\s/.test(l);
const isShare = (l: string): boolean => /^\s*分享/.test(l);
const isLeave = (l: string): boolean => /即[將将]離開|即[將将]离开/.test(l);

/** 首都之窗 policy page: breadcrumb, ol.doc-info, .article (header, tools, #mainText, share), related tabs. */
export function beijingPage(seedText: string, layout: SeedLayout = {}): string {
  const site = SITES.beijing;
  const laid = layOut(seedText, layout);
  const column = layout.meta?.ColumnName ?? '政府文件';
  const crumb = laid.headChrome.find(isCrumb) ?? `首页 > 政务公开 > ${column}`;
  const tools = laid.headChrome.filter((l) => !isCrumb(l));
  const share = laid.tailChrome.filter(isShare);
  const leave = laid.tailChrome.filter(isLeave);
  const related = laid.tailChrome.filter((l) => !isShare(l) && !isLeave(l));
  const docInfo = laid.metaItems.length
    ? `<div class="doc-info-box"><ol class="doc-info clearfix">
${laid.metaItems.map((m) => `<li class="col-md-4"><span>[${escapeHtml(m.label)}]</span> ${escapeHtml(m.value)}</li>`).join('\n')}
</ol></div>`
    : '';
  return `${head(site, laid, layout, column)}
<body>
<div class="header" id="header"><div class="logo"><h1>${escapeHtml(site.name)}</h1></div>
<ul class="nav"><li><a href="#">首页</a></li><li><a href="#">要闻动态</a></li><li><a href="#">政务公开</a></li><li><a href="#">政务服务</a></li><li><a href="#">政民互动</a></li><li><a href="#">走进北京</a></li></ul></div>
<div class="container">
<div class="bread-crumbs">${crumbs(crumb)}</div>
${docInfo}
<div class="article">
${laid.title ? `<div class="header"><p>${escapeHtml(laid.title)}</p></div>` : ''}
${tools.length ? `<ul class="doc-tools">${tools.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : ''}
<div class="view TRS_UEDITOR trs_paper_default trs_web" id="mainText">
${paragraphs(laid.body)}
</div>
<div class="share">${share.length ? share.map(escapeHtml).join(' ') : '分享:'}<a class="weixin" href="#"></a><a class="weibo" href="#"></a></div>
</div>
<div class="relevant"><ul class="tabs">${(related.length ? related : ['相关解读', '相关政策']).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul><div class="tab-body"></div></div>
<div class="modal leave-site" style="display:none"><p>${escapeHtml(leave[0] ?? '您访问的链接即将离开“首都之窗”门户网站 是否继续?')}</p><button>继续</button><button>放弃</button></div>
</div>
${footer(site)}
</body></html>
`;
}

/** gov.cn policy library page (2019+ template): metadata table in .policyLibraryOverview_header, body #UCAP-CONTENT. */
export function govcnPage(seedText: string, layout: SeedLayout = {}): string {
  const site = SITES.govcn;
  const laid = layOut(seedText, layout);
  const column = layout.meta?.ColumnName ?? '国务院文件';
  const cells = [
    ...(laid.title ? [{ label: '标　　题', value: laid.title.trim() }] : []),
    ...laid.metaItems.map((m) => ({ label: m.label, value: m.value })),
  ];
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    const pair = cells.slice(i, i + 2);
    rows.push(
      `<tr>${pair.map((c) => `<td class="label"><b>${escapeHtml(c.label)}：</b></td><td>${escapeHtml(c.value)}</td>`).join('')}</tr>`,
    );
  }
  return `${head(site, laid, layout, column)}
<body>
<div class="header"><div class="logo"><h1>${escapeHtml(site.name)}</h1></div>
<ul class="nav"><li><a href="#">首页</a></li><li><a href="#">新闻</a></li><li><a href="#">政策</a></li><li><a href="#">互动</a></li><li><a href="#">服务</a></li><li><a href="#">数据</a></li></ul></div>
<div class="BreadcrumbNav">${crumbs(laid.headChrome.find(isCrumb) ?? `首页 > 政策 > ${column}`)}</div>
<div class="policyLibraryOverview_content">
${rows.length ? `<div class="policyLibraryOverview_header"><table><tbody>\n${rows.join('\n')}\n</tbody></table></div>` : ''}
${laid.headChrome.filter((l) => !isCrumb(l)).map((l) => `<div class="pages-date">${escapeHtml(l)}</div>`).join('\n')}
<div class="pages_content" id="UCAP-CONTENT">
${paragraphs(laid.body)}
</div>
<div class="pages_print">【<a href="#">我要打印</a>】【<a href="#">关闭窗口</a>】</div>
${laid.tailChrome.map((l) => `<div class="share">${escapeHtml(l)}</div>`).join('\n')}
</div>
<div id="div_div"><div id="qr_container">扫一扫在手机打开当前页</div></div>
${footer(site)}
</body></html>
`;
}

/** 上海市人民政府 page: #ivs_title, tool bar, body #ivs_content, share bar. */
export function shanghaiPage(seedText: string, layout: SeedLayout = {}): string {
  const site = SITES.shanghai;
  const laid = layOut(seedText, layout);
  const column = layout.meta?.ColumnName ?? '市政府文件';
  return `${head(site, laid, layout, column)}
<body>
<div id="header"><div class="logo"><h1>${escapeHtml(site.name)}</h1></div>
<div class="nav"><a href="#">首页</a><a href="#">政务公开</a><a href="#">政务服务</a><a href="#">互动交流</a><a href="#">走进上海</a></div></div>
<div class="crumbs">${crumbs(laid.headChrome.find(isCrumb) ?? `当前位置：首页 > 政务公开 > ${column}`)}</div>
<div class="Article">
${laid.title ? `<h2 class="Article_title" id="ivs_title">${escapeHtml(laid.title)}</h2>` : ''}
<div class="Article_tool">${laid.headChrome.filter((l) => !isCrumb(l)).map((l) => `<span>${escapeHtml(l)}</span>`).join(' ')}【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】【<a href="#">打印</a>】【<a href="#">关闭窗口</a>】</div>
<div class="Article_content" id="ivs_content">
${paragraphs(laid.body)}
</div>
<div class="Article_share">${laid.tailChrome.map(escapeHtml).join(' ') || '分享到：'}<a href="#">微信</a> <a href="#">微博</a></div>
</div>
${footer(site)}
</body></html>
`;
}

/** 沈阳市人民政府 page: article header (`政策| 《…》`, time/来源, 浏览量/收藏/分享), body, tags/editor footer, 在线客服. */
export function shenyangPage(seedText: string, layout: SeedLayout = {}): string {
  const site = SITES.shenyang;
  const laid = layOut(seedText, layout);
  const column = layout.meta?.ColumnName ?? '政策文件';
  const [first, ...restHead] = laid.headChrome;
  const headerTitle = first && /[|｜]/.test(first) ? first : null;
  const headRest = headerTitle ? restHead : laid.headChrome;
  const info = headRest.filter((l) => /来源|來源/.test(l));
  const tools = headRest.filter((l) => !/来源|來源/.test(l));
  const kefu = laid.tailChrome.filter((l) => /客服/.test(l));
  const tags = laid.tailChrome.filter((l) => /^\s*标签|^\s*標籤/.test(l));
  const editor = laid.tailChrome.filter((l) => /编辑|編輯/.test(l));
  const otherTail = laid.tailChrome.filter((l) => !kefu.includes(l) && !tags.includes(l) && !editor.includes(l));
  const titleHtml = headerTitle
    ? (() => {
        const m = /^([^|｜]*[|｜])\s*(.*)$/.exec(headerTitle) as RegExpExecArray;
        return `<h1 class="article-title"><span class="column">${escapeHtml(m[1])}</span> ${escapeHtml(m[2])}</h1>`;
      })()
    : laid.title
      ? `<h1 class="article-title">${escapeHtml(laid.title)}</h1>`
      : '';
  return `${head(site, laid, layout, column)}
<body>
<div class="top"><div class="logo"><h1>${escapeHtml(site.name)}</h1></div>
<ul class="nav"><li><a href="#">首页</a></li><li><a href="#">政务公开</a></li><li><a href="#">政务服务</a></li><li><a href="#">政民互动</a></li><li><a href="#">走进沈阳</a></li></ul></div>
<div class="position">当前位置：<a href="#">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">${escapeHtml(column)}</a></div>
<div class="article">
<div class="article-header">
${titleHtml}
${info.map((l) => `<div class="article-info">${escapeHtml(l)}</div>`).join('\n')}
${tools.map((l) => `<div class="article-tools">${escapeHtml(l)}</div>`).join('\n')}
</div>
<div class="article-content TRS_Editor" id="zoom">
${paragraphs(laid.body)}
</div>
<div class="article-footer">
${tags.map((l) => `<div class="tags">${escapeHtml(l)}</div>`).join('\n')}
${editor.map((l) => `<div class="editor">${escapeHtml(l)}</div>`).join('\n')}
${otherTail.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
</div>
</div>
<div class="kefu">${kefu.map((l) => `<a href="#">${escapeHtml(l)}</a>`).join('') || '<a href="#">在线客服</a>'}</div>
${footer(site)}
</body></html>
`;
}

/** Per-seed layout: which site template, which lines are chrome / title, and the page's meta tags. */
const SEED_PAGES: Record<string, { site: 'beijing' | 'shanghai' | 'shenyang'; layout: SeedLayout }> = {
  // 京政發〔2016〕57號 on 首都之窗's 繁體 gate: breadcrumb, doc-info list, 字號 bar, share/related/leave prompt.
  '000': {
    site: 'beijing',
    layout: {
      title: 12,
      chrome: [0, 14, 179, 180, 181, 183],
      meta: { ColumnName: '市政府文件', PubDate: '2017-01-11', ContentSource: '北京市人民政府' },
    },
  },
  // 京政发[2016]4号 with a news lead; the page's title comes from the 附:《…》 line.
  '001': {
    site: 'beijing',
    layout: {
      meta: {
        ColumnName: '政府文件',
        ArticleTitle: '北京市人民政府关于积极推进“互联网+”行动的实施意见',
        ContentSource: '北京市人民政府',
      },
    },
  },
  // 上海市大数据发展实施意见: no title line in the copy; the plan's own title stands in.
  '002': {
    site: 'shanghai',
    layout: {
      meta: { ColumnName: '市政府文件', ArticleTitle: '上海市大數據發(fā)展實施意見', ContentSource: '上海市人民政府' },
    },
  },
  // Press release in 首都之窗's 政策解读 column: print/font-size chrome under the title.
  '003': {
    site: 'beijing',
    layout: { title: 0, chrome: [1, 2, 3, 4], meta: { ColumnName: '政策解读', PubDate: '2016-08-19' } },
  },
  // 沈政办发〔2016〕23号: 政策| header, time/来源 and counter lines, tags/editor/在线客服 footer.
  '004': {
    site: 'shenyang',
    layout: {
      chrome: [0, 2, 3, 122, 124, 125],
      meta: {
        ColumnName: '政策文件',
        ArticleTitle: '《沈阳市促进大数据发展三年行动计划(2016-2018年)》',
        PubDate: '2017-01-30 16:01',
        ContentSource: '沈阳市政府网',
      },
    },
  },
};

/** The layout pageForSeed uses for a seed file, or null for an unknown seed. */
export function seedLayout(fileName: string): { site: SiteId; layout: SeedLayout } | null {
  const base = fileName.replace(/^.*[\\/]/, '');
  const num = /^(\d{3})/.exec(base)?.[1];
  return (num && SEED_PAGES[num]) || null;
}

/** The seed laid out as its site's page. Unknown seeds get the generic 首都之窗-style layout with no chrome. */
export function pageForSeed(fileName: string, seedText: string): SeedPage {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.txt$/i, '');
  const entry = seedLayout(fileName) ?? { site: 'beijing' as const, layout: {} };
  const site = entry.site as 'beijing' | 'shanghai' | 'shenyang' | 'govcn';
  const build = { beijing: beijingPage, shanghai: shanghaiPage, shenyang: shenyangPage, govcn: govcnPage }[site];
  const path = `${SITES[site].pathPrefix}${encodeURIComponent(base)}.html`;
  return { html: build(seedText, entry.layout), site, path, url: `https://${SITES[site].host}${path}` };
}
