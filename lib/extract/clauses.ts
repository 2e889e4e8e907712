// The clause tree of a policy document: 一、 / (一) / 1. / (1), 第X章 / 第X条, 专项N, 附件N, from the text's blocks.
import type { Block, Clause, ClauseKind } from '../types';
import { parseChineseNumber } from '../text/numerals';
import { foldWidth } from '../text/width';
import { parseResponsibility } from './responsibility';

/**
 * A label's written form. Forms, not kinds, decide nesting: 第一节 and (一) are both 'section' but
 * nest differently, and 1. / 1) are both items of different depth.
 */
type Form =
  | 'chapter' // 第一章
  | 'jie' // 第一节
  | 'bufen' // 第一部分
  | 'article' // 第一条
  | 'cn-dun' // 一、
  | 'cn-paren' // (一)
  | 'num' // 1. 1． 1、 1。
  | 'num-paren' // (1)
  | 'num-half' // 1)
  | 'circled' // ①
  | 'project' // 专项1
  | 'box' // 专栏1
  | 'attachment'; // 附件1

const KIND: Record<Form, ClauseKind> = {
  chapter: 'chapter',
  jie: 'section',
  bufen: 'part',
  article: 'article',
  'cn-dun': 'part',
  'cn-paren': 'section',
  num: 'item',
  'num-paren': 'subitem',
  'num-half': 'subitem',
  circled: 'subitem',
  project: 'project',
  box: 'project',
  attachment: 'attachment',
};

/** Forms whose heading may stand alone on the next line (第一章 / 总则, 附件1 / title). */
const HEADING_ON_NEXT_LINE = new Set<Form>(['chapter', 'jie', 'bufen', 'cn-dun', 'project', 'box', 'attachment']);

/** A label recognised at the start of a block. Offsets are into the block's text. */
interface LabelHit {
  form: Form;
  ordinal: number;
  /** The label as written: 一、 （一） 1。 第三章 專項1 附件1. */
  label: string;
  at: number;
  /** Where the rest of the block (heading / text) begins, after spaces and a colon. */
  restAt: number;
}

const CN_SMALL = '一二三四五六七八九十';
const CN_BIG = '〇零一二三四五六七八九十百两';
// All patterns run on foldWidth(text): （）→() ．→. ：→: full-width digits → ASCII.
const RE_DI = new RegExp(`^第\\s?([0-9]{1,3}|[${CN_BIG}]{1,6})\\s?(章|节|節|部分|条|條)`);
const RE_CN_DUN = new RegExp(`^([${CN_SMALL}]{1,3})\\s?[、.]`);
const RE_CN_PAREN = new RegExp(`^\\(\\s?([${CN_SMALL}]{1,3})\\s?\\)`);
const RE_NUM = /^([0-9]{1,3})\s?([.、。])/;
const RE_NUM_PAREN = /^\(\s?([0-9]{1,3})\s?\)/;
const RE_NUM_HALF = /^([0-9]{1,3})\)/;
const RE_CIRCLED = /^[\u2460-\u2473]/;
const RE_PROJECT = new RegExp(`^(专项|專項|专栏|專欄)\\s?([0-9]{1,3}|[${CN_SMALL}]{1,3})`);
const RE_ATTACHMENT = new RegExp(`^附\\s?件\\s?([0-9]{1,2}|[${CN_SMALL}]{1,3})?`);
const LEAD_SPACE = /^[\s\u3000\u00a0\ufeff]*/;
/** 一、二季度 / 一、二级: a range of numerals, not a heading. */
const RANGE_AFTER_DUN = new RegExp(`^[${CN_SMALL}][、季级級类類线線产產]`);

/** A block that is only a date (成文日期 after the signature): the clause tree closes there. */
const DATE_LINE = new RegExp(
  `^(?:[0-9]{4}|[〇零○O一二三四五六七八九]{4})\\s?年\\s?(?:[0-9]{1,2}|[${CN_SMALL}]{1,3})\\s?月\\s?(?:[0-9]{1,2}|[${CN_SMALL}]{1,3})\\s?日$`,
);

/** The signature line before a date: an organ (…政府, …办公厅, …局) or a signer (总理 李克强). */
const SIGNATURE_END = /(?:政府|办公厅|辦公廳|办公室|辦公室|委员会|委員會|部|局|委|院|厅|廳|署|会|會|办|辦|中心|组|組)$/;
const SIGNER = /总理|總理|主席|省长|省長|市长|市長|区长|區長|县长|縣長|部长|部長|局长|局長|主任/;
/** Outermost forms whose restart at 1 begins a new document (the plan after its notice). */
const RESTARTS = new Set<Form>(['cn-dun', 'chapter', 'bufen']);

function isSignature(line: string): boolean {
  const t = line.trim();
  if (!t || t.length > 40 || /[。，,；;：:！？!?]/.test(t)) return false;
  return SIGNATURE_END.test(t) || SIGNER.test(t);
}

/** Headings are short: an inline heading ends at 。 or ： within this many characters. */
const MAX_INLINE_HEADING = 50;
/** A block this short with no sentence punctuation after its label is a heading line. */
const MAX_HEADING_LINE = 60;

/** Recognise a clause label at the start of a block's text (position only; sequence is checked later). */
function matchLabel(text: string): LabelHit | null {
  const at = LEAD_SPACE.exec(text)![0].length;
  const s = foldWidth(text.slice(at, at + 24));
  if (!s) return null;
  let form: Form | null = null;
  let ordinal: number | null = null;
  let len = 0; // label length in s
  let m: RegExpExecArray | null;
  const c0 = s[0];
  if (c0 === '第' && (m = RE_DI.exec(s))) {
    const unit = m[2];
    form = unit === '章' ? 'chapter' : unit === '部分' ? 'bufen' : unit === '节' || unit === '節' ? 'jie' : 'article';
    ordinal = parseChineseNumber(m[1]);
    len = m[0].length;
  } else if (c0 === '(') {
    if ((m = RE_CN_PAREN.exec(s))) {
      form = 'cn-paren';
      ordinal = parseChineseNumber(m[1]);
      len = m[0].length;
    } else if ((m = RE_NUM_PAREN.exec(s))) {
      form = 'num-paren';
      ordinal = Number(m[1]);
      len = m[0].length;
    }
  } else if (c0 >= '0' && c0 <= '9') {
    if ((m = RE_NUM.exec(s))) {
      // 1.5, 2.5亿, 3.5%, 1、2号线: a digit right after the separator means a number, not a label.
      if (/[0-9%‰]/.test(s[m[0].length] ?? '')) return null;
      form = 'num';
      ordinal = Number(m[1]);
      len = m[0].length;
    } else if ((m = RE_NUM_HALF.exec(s))) {
      form = 'num-half';
      ordinal = Number(m[1]);
      len = m[0].length;
    }
  } else if (CN_SMALL.includes(c0) && (m = RE_CN_DUN.exec(s))) {
    // 一、二季度 / 一、二级 are ranges, not headings.
    if (RANGE_AFTER_DUN.test(s.slice(m[0].length))) return null;
    form = 'cn-dun';
    ordinal = parseChineseNumber(m[1]);
    len = m[0].length;
  } else if (RE_CIRCLED.test(s)) {
    form = 'circled';
    ordinal = s.charCodeAt(0) - 0x245f;
    len = 1;
  } else if ((c0 === '专' || c0 === '專') && (m = RE_PROJECT.exec(s))) {
    form = m[1] === '专项' || m[1] === '專項' ? 'project' : 'box';
    ordinal = parseChineseNumber(m[2]);
    len = m[0].length;
  } else if (c0 === '附' && (m = RE_ATTACHMENT.exec(s))) {
    form = 'attachment';
    ordinal = m[1] ? parseChineseNumber(m[1]) : 1;
    len = m[0].length;
  }
  if (!form || !ordinal || ordinal < 1) return null;

  // Skip spaces (and for projects / attachments a colon) between the label and what follows.
  let restAt = at + len;
  const skip = form === 'attachment' || form === 'project' || form === 'box' ? /[\s\u3000:：]/ : /[\s\u3000]/;
  while (restAt < text.length && restAt - at - len < 8 && skip.test(text[restAt])) restAt++;
  const rest = text.slice(restAt, restAt + MAX_HEADING_LINE + 1);

  // `1. [主题分类] …`: a numbered metadata list (首都之窗), not the document's structure.
  if (/^[[［【]/.test(rest)) return null;
  if ((form === 'article' || form === 'chapter' || form === 'jie' || form === 'bufen') &&
    /^(?:规定|規定|的|、|和|及|至|或|第|中|所|之)/.test(rest)) return null;
  if (form === 'attachment') {
    // GB/T 9704: the attachment mark stands alone (附件 / 附件1, maybe with a title); `附件：1.…`
    // or `附件：title` is the 附件说明 list in the notice body.
    if (rest) {
      if (!m![1] || rest.length > MAX_HEADING_LINE || /[。；;]/.test(rest) || /^[0-9０-９]/.test(rest)) return null;
    }
  }
  if ((form === 'project' || form === 'box') && /^[0-9０-９]/.test(rest)) return null;
  return { form, ordinal, label: text.slice(at, at + len).trimEnd(), at, restAt };
}

/** Split what follows a label into a heading and the start of the clause text. */
function splitHeading(rest: string): { heading: string; textAt: number | null } {
  if (!rest) return { heading: '', textAt: null };
  if (rest.length <= MAX_HEADING_LINE && !/[。！？；;!?]/.test(rest)) {
    return { heading: rest.replace(/[\s\u3000:：,，、]+$/, ''), textAt: null };
  }
  const m = /[。：:]/.exec(rest.slice(0, MAX_INLINE_HEADING + 1));
  if (m && m.index >= 1) {
    let textAt = m.index + 1;
    while (textAt < rest.length && /[\s\u3000]/.test(rest[textAt])) textAt++;
    return { heading: rest.slice(0, m.index).trimEnd(), textAt: textAt >= rest.length ? null : textAt };
  }
  return { heading: '', textAt: 0 };
}

/** A clause under construction. Offsets are in the document text. */
interface Node {
  form: Form;
  ordinal: number;
  label: string;
  heading: string;
  start: number;
  /** End of the label's block, or of the heading line that followed it. */
  headEnd: number;
  /** Own text range; textStart null while the clause has no text yet. */
  textStart: number | null;
  textEnd: number;
  /** Article paragraphs that follow its enumeration (前款…): own text after the children. */
  after: [number, number][];
  /** Earlier (textStart, textEnd) states, so signature lines can be taken back off. */
  history: [number | null, number][];
  block: number;
  children: Node[];
  /** Last child of each form, for the sequence check. */
  lastChild: Map<Form, Node>;
  /** Inside an article: enumerations there carry no headings. */
  inArticle: boolean;
  awaitingHeading: boolean;
}

/**
 * Labels are numbered per context: the document, a part after a signature/date line, or an
 * attachment. Each context has its own order of forms (first seen = outermost).
 */
interface Context {
  ranks: Form[];
  /** Last accepted ordinal of each form, for numbering that runs on across parents. */
  last: Map<Form, number>;
  rootLast: Map<Form, Node>;
  /** Attachment node that holds this context, if any. */
  holder: Node | null;
}

function newContext(holder: Node | null): Context {
  return { ranks: [], last: new Map(), rootLast: new Map(), holder };
}

/**
 * Build the clause tree of a document from its blocks (each one paragraph of `text`, with offsets).
 * Levels follow the order in which label forms first appear; a label counts only when its number
 * is the next one in its parent (or 1, or continues the same form's numbering from the previous
 * parent), which keeps 2.5亿, 3.5%, dates and stray numbers out.
 */
export function extractClauses(text: string, blocks: Block[]): Clause[] {
  const roots: Node[] = [];
  let stack: Node[] = [];
  let ctx = newContext(null);
  let lastAttachment = 0;

  const rankOf = (n: Node): number => (n.form === 'attachment' ? -1 : ctx.ranks.indexOf(n.form));

  /** Close every open clause; `atDate`: closed by a date line, after the signature. */
  const closeAll = (atDate: boolean): void => {
    const top = stack[stack.length - 1];
    if (top && atDate) {
      // Signature lines (北京市人民政府, 总理 李克强) before the date belong to no clause.
      for (let k = 0; k < 3 && top.history.length; k++) {
        const seg = text.slice(top.textEnd - Math.min(top.textEnd, 64), top.textEnd);
        const lastLine = seg.slice(seg.lastIndexOf('\n') + 1).trim();
        if (!lastLine || lastLine.length > 40 || /[。，,；;：:！？!?（）()《》“”]/.test(lastLine)) break;
        if (matchLabel(lastLine)) break;
        const [ts, te] = top.history.pop()!;
        top.textStart = ts;
        top.textEnd = te;
      }
    }
    // An attachment closed by a date line was the 附件 list of the notice, not an attachment.
    const holder = stack[0];
    if (atDate && holder && holder.form === 'attachment' && subtreeEnd(holder) - holder.start < 400) {
      const i = roots.indexOf(holder);
      if (i >= 0) roots.splice(i, 1);
      lastAttachment = 0;
    }
    stack = [];
    ctx = newContext(null);
  };

  let previous = ''; // the last non-empty block, to tell a signature date from a date in a table
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi];
    const bt = b.text;
    const trimmed = bt.trim();
    if (!trimmed) continue;
    const before = previous;
    previous = trimmed;
    if (trimmed.length <= 20 && isSignature(before) && DATE_LINE.test(foldWidth(trimmed).replace(/\s+/g, ''))) {
      closeAll(true);
      lastAttachment = 0;
      continue;
    }

    const hit = matchLabel(bt);
    if (hit && accept(hit, bi, b)) continue;

    // Plain text: it belongs to the clause opened last.
    let top = stack[stack.length - 1];
    if (!top) continue; // preamble, signature, trailing matter
    const lead = LEAD_SPACE.exec(bt)![0].length;
    const parent = stack[stack.length - 2];
    if (parent && parent.form === 'article' && top.inArticle && endsSentence(top)) {
      // The enumeration ended with 。: a paragraph after it is the article's again.
      stack.pop();
      top = parent;
    }
    if (top.children.length) {
      const last = top.after[top.after.length - 1];
      if (last) last[1] = b.start + bt.trimEnd().length;
      else top.after.push([b.start + lead, b.start + bt.trimEnd().length]);
      continue;
    }
    if (top.awaitingHeading) {
      top.awaitingHeading = false;
      if (trimmed.length <= 40 && !/[。，,；;！？!?]/.test(trimmed) && top.textStart === null) {
        top.heading = trimmed;
        top.headEnd = b.end;
        continue;
      }
    }
    top.history.push([top.textStart, top.textEnd]);
    if (top.textStart === null) top.textStart = b.start + lead;
    top.textEnd = b.start + bt.trimEnd().length;
  }

  return build(roots, [], '', 1, text);

  /** Sequence check and insertion; false when the label is to be read as plain text. */
  function accept(hit: LabelHit, bi: number, b: Block): boolean {
    if (hit.form === 'attachment') {
      if (hit.ordinal !== lastAttachment + 1) return false;
      closeAll(false);
      lastAttachment = hit.ordinal;
      const node = makeNode(hit, bi, b, false);
      roots.push(node);
      stack = [node];
      ctx = newContext(node);
      return true;
    }
    const known = ctx.ranks.indexOf(hit.form);
    const rank = known >= 0 ? known : ctx.ranks.length;
    let p = stack.length - 1;
    while (p >= 0 && rankOf(stack[p]) >= rank) p--;
    const parent = p >= 0 ? stack[p] : null;
    const prev = parent ? parent.lastChild.get(hit.form) : ctx.rootLast.get(hit.form);
    let ok: boolean;
    if (known < 0) ok = hit.ordinal === 1;
    else if (prev) ok = hit.ordinal === prev.ordinal + 1;
    else ok = hit.ordinal === 1 || hit.ordinal === (ctx.last.get(hit.form) ?? -1) + 1;
    if (!ok) {
      // 一、 again after 一、二、三、 at the outermost level: a new document starts (no date between).
      if (hit.ordinal !== 1 || known !== 0 || !RESTARTS.has(hit.form) || ctx.holder) return false;
      closeAll(false);
      return accept(hit, bi, b);
    }

    if (known < 0) ctx.ranks.push(hit.form);
    const inArticle = !!parent && (parent.form === 'article' || parent.inArticle);
    const node = makeNode(hit, bi, b, inArticle);
    if (parent) {
      parent.children.push(node);
      parent.lastChild.set(hit.form, node);
    } else {
      (ctx.holder ? ctx.holder.children : roots).push(node);
      ctx.rootLast.set(hit.form, node);
    }
    ctx.last.set(hit.form, hit.ordinal);
    stack = stack.slice(0, p + 1);
    stack.push(node);
    if (hit.form === 'article') splitInlineEnumeration(node, b);
    return true;
  }

  function endsSentence(n: Node): boolean {
    const own = n.textStart === null ? n.heading : text.slice(n.textStart, n.textEnd);
    return /[。.]\s*$/.test(own);
  }

  function makeNode(hit: LabelHit, bi: number, b: Block, inArticle: boolean): Node {
    const bt = b.text;
    const restRaw = bt.slice(hit.restAt);
    const rest = restRaw.trimEnd();
    const node: Node = {
      form: hit.form,
      ordinal: hit.ordinal,
      label: hit.label,
      heading: '',
      start: b.start + hit.at,
      headEnd: b.start + bt.trimEnd().length,
      textStart: null,
      textEnd: b.start + hit.restAt,
      after: [],
      history: [],
      block: bi,
      children: [],
      lastChild: new Map(),
      inArticle,
      awaitingHeading: false,
    };
    const plainText = hit.form === 'article' || inArticle;
    const { heading, textAt } = plainText
      ? { heading: '', textAt: rest ? 0 : null }
      : splitHeading(rest);
    node.heading = heading;
    if (textAt !== null) {
      node.textStart = b.start + hit.restAt + textAt;
      node.textEnd = b.start + hit.restAt + rest.length;
    } else {
      node.textEnd = node.headEnd;
    }
    node.awaitingHeading = !rest && HEADING_ON_NEXT_LINE.has(hit.form);
    return node;
  }

  /** `第八条 …条件：（一）…；（二）…。` in one paragraph: the enumeration becomes the article's children. */
  function splitInlineEnumeration(article: Node, b: Block): void {
    if (article.textStart === null) return;
    const from = article.textStart - b.start;
    const folded = foldWidth(b.text);
    const re = new RegExp(`[:;。]\\s?\\((\\s?[${CN_SMALL}]{1,3}\\s?)\\)`, 'g');
    re.lastIndex = from;
    const items: { at: number; labelEnd: number }[] = [];
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      if (parseChineseNumber(m[1]) !== items.length + 1) {
        if (items.length) break;
        continue;
      }
      const at = m.index + m[0].indexOf('(');
      items.push({ at, labelEnd: m.index + m[0].length });
      if (items.length > 60) break;
    }
    if (items.length < 2) return;
    const rank = ctx.ranks.indexOf('cn-paren');
    if (rank >= 0 && rank < ctx.ranks.indexOf('article')) return;
    if (rank < 0) ctx.ranks.push('cn-paren');
    const textEnd = b.start + b.text.trimEnd().length;
    article.textEnd = b.start + items[0].at;
    while (article.textEnd > article.textStart! && /\s/.test(text[article.textEnd - 1])) article.textEnd--;
    items.forEach((it, i) => {
      const end = i + 1 < items.length ? b.start + items[i + 1].at : textEnd;
      let ts = b.start + it.labelEnd;
      while (ts < end && /[\s\u3000]/.test(text[ts])) ts++;
      const child: Node = {
        form: 'cn-paren',
        ordinal: i + 1,
        label: b.text.slice(it.at, it.labelEnd),
        heading: '',
        start: b.start + it.at,
        headEnd: end,
        textStart: ts < end ? ts : null,
        textEnd: end,
        after: [],
        history: [],
        block: article.block,
        children: [],
        lastChild: new Map(),
        inArticle: true,
        awaitingHeading: false,
      };
      article.children.push(child);
      article.lastChild.set('cn-paren', child);
    });
    ctx.last.set('cn-paren', items.length);
    stack.push(article.children[article.children.length - 1]);
  }
}

function subtreeEnd(n: Node): number {
  let end = Math.max(n.headEnd, n.textStart === null ? 0 : n.textEnd);
  for (const [, e] of n.after) end = Math.max(end, e);
  for (const c of n.children) end = Math.max(end, subtreeEnd(c));
  return end;
}

function build(nodes: Node[], parentPath: string[], parentId: string, level: number, text: string): Clause[] {
  return nodes.map((n, i) => {
    const id = parentId ? `${parentId}.${i + 1}` : String(i + 1);
    const path = [...parentPath, n.label];
    const parts: [number, number][] = n.textStart === null ? [] : [[n.textStart, n.textEnd]];
    parts.push(...n.after);
    const own = parts.map(([a, b]) => text.slice(a, b)).join('\n');
    const lastPart = parts[parts.length - 1];
    return {
      id,
      label: n.label,
      kind: KIND[n.form],
      ordinal: n.ordinal,
      level,
      heading: n.heading,
      text: own,
      path,
      start: n.start,
      end: subtreeEnd(n),
      block: n.block,
      responsibility: lastPart ? findNote(text.slice(lastPart[0], lastPart[1]), lastPart[0]) : null,
      children: build(n.children, path, id, level + 1, text),
    };
  });
}

/**
 * The note closing a clause's own text; failing that, the one closing its last paragraph that has
 * one (a closing remark or page chrome may follow the last task).
 */
function findNote(own: string, offset: number) {
  const whole = parseResponsibility(own, offset);
  if (whole) return whole;
  let end = own.length;
  for (let tries = 0; tries < 8 && end > 0; tries++) {
    const nl = own.lastIndexOf('\n', end - 1);
    if (nl < 0) break;
    const r = parseResponsibility(own.slice(0, nl), offset);
    if (r) return r;
    end = nl;
  }
  return null;
}

/** All clauses in document order (pre-order). */
export function flattenClauses(clauses: Clause[]): Clause[] {
  const out: Clause[] = [];
  const walk = (cs: Clause[]) => {
    for (const c of cs) {
      out.push(c);
      walk(c.children);
    }
  };
  walk(clauses);
  return out;
}

/** Number of clauses at each level: { 1: 4, 2: 20, 3: 15 }. */
export function countByLevel(clauses: Clause[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const c of flattenClauses(clauses)) out[c.level] = (out[c.level] ?? 0) + 1;
  return out;
}
