// Recognises page chrome (breadcrumbs, print/font bars, share and counter lines, footers) in a line of text.
import { toSimplifiedChars } from '../text/script';
import { foldWidth, squashSpace } from '../text/width';

/** Chrome lines are short; anything longer is content (also bounds the work on hostile input). */
const MAX_CHROME_LEN = 300;

/** Normalised form for matching: squashed, half-width ASCII punctuation, Simplified characters. */
function norm(line: string): string {
  const s = squashSpace(line.replace(/[\u200b\u200c\u200d\u2060]/g, ''));
  if (s.length === 0 || s.length > MAX_CHROME_LEN) return s;
  return squashSpace(toSimplifiedChars(foldWidth(s)));
}

// --- breadcrumbs -------------------------------------------------------------------------------

const CRUMB_PREFIX =
  /^(?:(?:当前位置|您的位置|您当前的位置|您现在的位置|您所在的位置|您当前位置|所在位置|现在位置)\s*[:：]?|位置\s*[:：])\s*/;
const CRUMB_SEP = /\s*(?:>>|>|»|›|＞)\s*/;
const CRUMB_HOME = /^(?:首页|网站首页|主页|首 页|政务公开|政府信息公开|信息公开|政策|政策文件|新闻|要闻)$/;
/** Segments of a breadcrumb are link texts: short, no sentence punctuation. */
const CRUMB_BAD_SEGMENT = /[。，,；;！？!?:：、“”"]/;

function isBreadcrumb(n: string): boolean {
  const prefixed = CRUMB_PREFIX.test(n);
  const rest = prefixed ? n.replace(CRUMB_PREFIX, '') : n;
  const parts = rest.split(CRUMB_SEP);
  if (parts.some((p) => p.length === 0 || p.length > 30 || CRUMB_BAD_SEGMENT.test(p))) return false;
  if (parts.length === 1) return prefixed && rest.length <= 30;
  return prefixed || parts.length >= 3 || CRUMB_HOME.test(parts[0]);
}

// --- footers ----------------------------------------------------------------------------------

const FOOTER_STRONG = /ICP[备证]|网站标识码|公网安备|版权所有|copyright|©|\(c\)\s*\d{4}/i;

function isFooter(n: string): boolean {
  if (n.includes('。')) return false;
  if (FOOTER_STRONG.test(n)) return true;
  // 主办/承办 alone may be an event's organisers in a press release: only with a second site marker.
  return /主办(?:单位)?\s*:/.test(n) && /承办(?:单位)?\s*:|技术支持\s*:|网站/.test(n);
}

// --- tool bars: lines made only of chrome tokens ------------------------------------------------

/** Separators between the tokens of a tool bar. */
const SEP = /^[\s\-–—|·•/\\[\]【】()（）〔〕:;,、>]+/;

interface Token {
  re: RegExp;
  /** A strong token makes a line of tokens chrome; weak ones (dates, share targets) only ride along. */
  strong: boolean;
}

const TOKENS: Token[] = [
  { re: /^(?:我要打印|打印(?:本页|此页|页面|文章|本文|正文)?)/, strong: true },
  { re: /^关闭(?:窗口|本页|页面|此页)?/, strong: true },
  { re: /^(?:返回(?:顶部|首页|列表|上一页)?|回到顶部|TOP\b)/i, strong: true },
  { re: /^(?:字体大小|字号|字體|字体|文字)/, strong: true },
  { re: /^(?:超大|较大|默认|标准|放大|缩小|大|中|小)/, strong: true },
  { re: /^(?:加入)?收藏(?:本页|此页|本文)?(?:\s*:\s*\d*)?/, strong: true },
  { re: /^分享(?:到|至)?/, strong: true },
  { re: /^(?:浏览量|浏览次数|阅读次数|阅读量|访问量|访问次数|点击量|点击数|点击率|点击次数|浏览)(?:\s*:?\s*\d*\s*次?)/, strong: true },
  { re: /^(?:信息|文章|稿件|新闻|内容)?来源\s*:\s*[^\s:]{0,40}/, strong: true },
  { re: /^(?:责任编辑|责编|编辑|审核|校对)\s*:\s*[^\s:]{0,20}/, strong: true },
  { re: /^(?:扫一扫(?:在手机(?:上)?(?:打开|浏览|阅读|查看))?(?:当前页|本页|此页|本文)?|(?:手机|微信)扫一扫)/, strong: true },
  { re: /^(?:在线客服|在线咨询|我要纠错|纠错|无障碍(?:浏览|阅读)?|网站地图|联系我们|设为首页)/, strong: true },
  { re: /^相关(?:解读|政策|链接|文件|阅读|新闻|附件|稿件|文章|报道|信息)/, strong: true },
  // weak: they appear in chrome bars but also, alone, in documents (dates, signatures, credits).
  { re: /^(?:作者|记者|通讯员|撰稿|摄影)\s*:\s*[^\s:]{0,20}/, strong: false },
  { re: /^(?:发布时间|发布日期|更新时间|时间|日期)\s*:?/, strong: false },
  { re: /^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?/, strong: false },
  { re: /^\d{1,2}:\d{2}(?::\d{2})?/, strong: false },
  { re: /^(?:新浪微博|腾讯微博|人民微博|QQ空间|QQ好友|微信|微博|朋友圈|人人网|豆瓣|复制链接|更多|二维码|QQ)/i, strong: false },
  { re: /^(?:政策解读|图片解读|图解|视频解读|繁体|简体|繁|简|English|登录|注册)/i, strong: false },
];

function isToolBar(n: string): boolean {
  let rest = n;
  let strong = false;
  for (let guard = 0; guard < 80; guard++) {
    rest = rest.replace(SEP, '');
    if (rest.length === 0) return strong;
    let matched = false;
    for (const t of TOKENS) {
      const m = t.re.exec(rest);
      if (m && m[0].length > 0) {
        rest = rest.slice(m[0].length);
        strong = strong || t.strong;
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return false;
}

// --- single-purpose lines -----------------------------------------------------------------------

/** Column names that sites print before the title in an article header (`政策| 《…》`). */
const COLUMN_HEADER = /^(?:政策|政策文件|政策解读|政府文件|文件|通知|公告|通知公告|要闻|新闻|动态|信息公开|政务公开)\s*\|\s*\S/;
const COLUMN_TITLE_HEADER = /^[\u4e00-\u9fff]{1,8}\s*\|\s*《[^》]{1,150}》$/;

function isSingleChrome(n: string): boolean {
  if (/^标签\s*:/.test(n) && n.length <= 80) return true;
  if (/^(?:上一篇|下一篇)/.test(n) && n.length <= 120) return true;
  if (n.length <= 160 && !n.includes('。') && (COLUMN_HEADER.test(n) || COLUMN_TITLE_HEADER.test(n))) return true;
  // 您访问的链接即将离开“首都之窗”门户网站 是否继续?
  if (n.length <= 120 && /即将离开.{0,30}(?:网站|门户|网|页面)/.test(n) && /^(?:您|你)|是否继续|继续访问|确定|取消/.test(n)) return true;
  return false;
}

/**
 * True when a line (of a plain-text page, or a block's text) is page chrome rather than document
 * content. Conservative: a line is chrome only when all of it is recognisably site furniture.
 */
export function isChromeLine(line: string): boolean {
  if (typeof line !== 'string' || line.length === 0) return false;
  if (line.length > MAX_CHROME_LEN * 4) return false;
  const n = norm(line);
  if (n.length === 0 || n.length > MAX_CHROME_LEN) return false;
  return isSingleChrome(n) || isToolBar(n) || isBreadcrumb(n) || isFooter(n);
}
