// Turns file bytes into text: BOMs, UTF-8, declared charsets, else GB18030/GBK vs Big5 by plausibility.
// Also holds the GBK/Big5 tables (built once by inverting TextDecoder) that mojibake repair reuses.
import { toSimplifiedChars } from './script';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** True when a byte-order mark chose the encoding (it is not part of `text`). */
  bom: boolean;
}

/** Thrown for input that is not text at all (NUL bytes, mostly control bytes, known binary formats). */
export class BinaryInputError extends Error {
  constructor(reason: string) {
    super(`binary file: ${reason}`);
    this.name = 'BinaryInputError';
  }
}

// ---------------------------------------------------------------------------------------------
// Legacy code tables. WHATWG's 'gbk' decoder is the GB18030 one: every two-byte sequence
// (lead 0x81–0xFE, trail 0x40–0x7E / 0x80–0xFE) maps to one BMP character, user-defined areas
// to the Private Use Area. Inverting TextDecoder gives the GBK encoder without shipping a table.

const TRAILS = 190; // 0x40..0xFE without 0x7F
const trailIndex = (t: number): number => (t < 0x7f ? t - 0x40 : t - 0x41);

let gbkDecodeTable: Uint16Array | null = null; // [(lead-0x81)*190 + trailIndex] → code unit (0: none)
let gbkEncodeTable: Uint16Array | null = null; // code unit → lead<<8 | trail (0: not in GBK)
let big5EncodeTable: Uint16Array | null = null;
let scoreTable: Int8Array | null = null;

/** Decodes every two-byte sequence of a range in one call; per-pair only if the bulk result misaligns. */
function decodePairs(label: string, pairs: number[]): string[] {
  const bytes = new Uint8Array(pairs.length * 2);
  pairs.forEach((p, i) => {
    bytes[2 * i] = p >> 8;
    bytes[2 * i + 1] = p & 0xff;
  });
  const dec = new TextDecoder(label);
  const bulk = dec.decode(bytes);
  if (bulk.length === pairs.length) return [...bulk].length === pairs.length ? bulk.split('') : perPair();
  return perPair();
  function perPair(): string[] {
    return pairs.map((p) => dec.decode(new Uint8Array([p >> 8, p & 0xff])));
  }
}

function buildGbk(): void {
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let t = 0x40; t <= 0xfe; t++) if (t !== 0x7f) pairs.push((lead << 8) | t);
  gbkDecodeTable = new Uint16Array(126 * TRAILS);
  gbkEncodeTable = new Uint16Array(0x10000);
  // WHATWG's gbk decoder is its gb18030 decoder. Node's ICU 'gbk' differs on ~100 codes (PUA where
  // gb18030 has real characters, e.g. A6D9 → U+E78D vs U+FE10): decode like gb18030, but let the
  // encoder accept both spellings, since damaged text may come from either kind of decoder.
  for (const label of ['gb18030', 'gbk']) {
    const chars = decodePairs(label, pairs);
    pairs.forEach((p, i) => {
      const ch = chars[i];
      if (ch.length !== 1 || ch === '\ufffd') return;
      const code = ch.charCodeAt(0);
      const slot = ((p >> 8) - 0x81) * TRAILS + trailIndex(p & 0xff);
      if (!gbkDecodeTable![slot]) gbkDecodeTable![slot] = code;
      if (!gbkEncodeTable![code]) gbkEncodeTable![code] = p;
    });
  }
}

function buildBig5(): void {
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let t = 0x40; t <= 0x7e; t++) pairs.push((lead << 8) | t);
    for (let t = 0xa1; t <= 0xfe; t++) pairs.push((lead << 8) | t);
  }
  // Big5 maps some pairs to two code points or astral ones: decode one by one where the bulk misaligns.
  const dec = new TextDecoder('big5');
  big5EncodeTable = new Uint16Array(0x10000);
  for (const p of pairs) {
    const ch = dec.decode(new Uint8Array([p >> 8, p & 0xff]));
    if (ch.length !== 1 || ch === '\ufffd') continue;
    const code = ch.charCodeAt(0);
    // Prefer the standard Big5 area (A140–F9FE) over HKSCS duplicates below A1.
    if (!big5EncodeTable[code] || (big5EncodeTable[code] >> 8 < 0xa1 && p >> 8 >= 0xa1)) big5EncodeTable[code] = p;
  }
}

/** The character WHATWG's GBK (= GB18030) decoder gives for a two-byte sequence, as a code unit; 0 if none. */
export function gbkDecodePair(lead: number, trail: number): number {
  if (lead < 0x81 || lead > 0xfe || trail < 0x40 || trail > 0xfe || trail === 0x7f) return 0;
  if (!gbkDecodeTable) buildGbk();
  return gbkDecodeTable![(lead - 0x81) * TRAILS + trailIndex(trail)];
}

/** GBK bytes of a BMP code unit as lead<<8|trail; 0 when the character has no two-byte GBK code. */
export function gbkEncodeChar(code: number): number {
  if (!gbkEncodeTable) buildGbk();
  return gbkEncodeTable![code & 0xffff];
}

/**
 * Encode text as GBK (ASCII + two-byte codes, i.e. what GB18030 decoders read) or Big5.
 * Characters without a code become '?' and are counted, so callers (tests, tools) can tell.
 */
export function encodeLegacy(
  text: string,
  encoding: 'gb18030' | 'big5',
): { bytes: Uint8Array; unencodable: number } {
  if (encoding === 'big5' && !big5EncodeTable) buildBig5();
  if (encoding === 'gb18030' && !gbkEncodeTable) buildGbk();
  const table = encoding === 'big5' ? big5EncodeTable! : gbkEncodeTable!;
  const out = new Uint8Array(text.length * 2);
  let n = 0;
  let unencodable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    const p = table[c];
    if (p) {
      out[n++] = p >> 8;
      out[n++] = p & 0xff;
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++; // one '?' per astral character
      out[n++] = 0x3f;
      unencodable++;
    }
  }
  return { bytes: out.slice(0, n), unencodable };
}

// ---------------------------------------------------------------------------------------------
// Plausibility of a character in Chinese text, from the code tables' own frequency tiers:
// a list of frequent characters first; then GB2312 level 1 (B0A1–D7F9) and Big5 level 1 (A440–C67E),
// the common characters of each script; their level 2 are rarer; everything else in CJK is rare;
// PUA and U+FFFD are damage.

/** Punctuation that ordinary Chinese text uses (full-width forms included). */
const COMMON_PUNCT = '，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕—…·　－～％＋＝／０１２３４５６７８９〇';

/**
 * About 1,200 of the most frequent characters of modern Chinese and of policy writing (Simplified;
 * their Traditional forms are derived with opencc). Real text is mostly made of them; text read out
 * of phase or in the wrong encoding hits them only by chance.
 */
const HOT_CHARS =
  '的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实' +
  '日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员' +
  '解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象' +
  '完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调' +
  '深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列' +
  '武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值' +
  '仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷' +
  '洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央' +
  '户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康' +
  '虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶' +
  '玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞' +
  '街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵拒障融享估筹励纲厅综';

/** Score of one UTF-16 code unit as a character of Chinese text: +3 frequent … -4 damage. */
export function charPlausibility(code: number): number {
  if (!scoreTable) buildScores();
  return scoreTable![code & 0xffff];
}

const isHan = (c: number): boolean =>
  (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || c === 0x3007;

function buildScores(): void {
  const t = new Int8Array(0x10000);
  for (let c = 0x80; c < 0x10000; c++) t[c] = -2; // symbols, letters of other scripts
  for (let c = 0x3400; c <= 0x4dbf; c++) t[c] = -1;
  for (let c = 0x4e00; c <= 0x9fff; c++) t[c] = -1;
  for (let c = 0xf900; c <= 0xfaff; c++) t[c] = -1;
  for (let c = 0xe000; c <= 0xf8ff; c++) t[c] = -4;
  for (let c = 0xd800; c <= 0xdfff; c++) t[c] = 0; // astral characters: no opinion
  t[0xfffd] = -4;
  for (let c = 0xff21; c <= 0xff5a; c++) t[c] = 0; // full-width letters
  for (const ch of COMMON_PUNCT) t[ch.charCodeAt(0)] = 1;
  for (let lead = 0xd8; lead <= 0xf7; lead++)
    for (let tr = 0xa1; tr <= 0xfe; tr++) {
      const c = gbkDecodePair(lead, tr);
      if (c && isHan(c) && t[c] < 0) t[c] = 0; // GB2312 level 2
    }
  for (let lead = 0xb0; lead <= 0xd7; lead++)
    for (let tr = 0xa1; tr <= 0xfe; tr++) {
      const c = gbkDecodePair(lead, tr);
      if (c && isHan(c) && (lead < 0xd7 || tr <= 0xf9)) t[c] = 1; // GB2312 level 1
    }
  const level = (from: number, to: number, score: number): string => {
    const pairs: number[] = [];
    for (let lead = from >> 8; lead <= to >> 8; lead++)
      for (let tr = 0x40; tr <= 0xfe; tr++) {
        const p = (lead << 8) | tr;
        if (p >= from && p <= to && (tr <= 0x7e || tr >= 0xa1)) pairs.push(p);
      }
    let chars = '';
    for (const s of decodePairs('big5', pairs)) {
      const c = s.charCodeAt(0);
      if (s.length !== 1 || !isHan(c)) continue;
      if (t[c] < score) t[c] = score;
      chars += s;
    }
    return chars;
  };
  level(0xc940, 0xf9d5, 0); // Big5 level 2
  const big5Level1 = level(0xa440, 0xc67e, 1); // Big5 level 1
  for (const ch of HOT_CHARS) t[ch.charCodeAt(0)] = 3;
  // Traditional forms of the frequent characters: the Big5 level-1 characters opencc maps onto them.
  // Whole-string conversion falls back to the input when any length changes: convert one by one.
  for (let i = 0; i < big5Level1.length; i++) {
    if (t[toSimplifiedChars(big5Level1[i]).charCodeAt(0)] === 3) t[big5Level1.charCodeAt(i)] = 3;
  }
  scoreTable = t;
}

// ---------------------------------------------------------------------------------------------
// Decoding

const MAGIC: ReadonlyArray<readonly [string, number[]]> = [
  ['PDF', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['ZIP (docx/xlsx/…)', [0x50, 0x4b, 0x03, 0x04]],
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]],
  ['OLE document (doc/xls/wps)', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  ['gzip', [0x1f, 0x8b, 0x08]],
  ['RAR', [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
];

const startsWith = (b: Uint8Array, sig: number[]): boolean =>
  b.length >= sig.length && sig.every((x, i) => b[i] === x);

/** Maps a charset label to one of ours; null for labels we do not handle (e.g. windows-1252). */
export function normalizeCharset(label: string | null | undefined): TextEncodingName | null {
  if (!label) return null;
  let enc: string;
  try {
    enc = new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return null;
  }
  if (enc === 'gbk' || enc === 'gb18030') return 'gb18030';
  if (enc === 'big5') return 'big5';
  if (enc === 'utf-8' || enc === 'utf-16le' || enc === 'utf-16be') return enc;
  return null;
}

/** The charset an HTML/XML document declares in its first 2 KB (meta charset, http-equiv, xml decl). */
export function declaredCharset(bytes: Uint8Array): string | null {
  const head = latin1(bytes.subarray(0, 2048));
  const meta =
    /<meta\b[^>]{0,400}?\bcharset\s*=\s*["']?\s*([-\w.:]{1,40})/i.exec(head) ??
    /<\?xml\b[^>]{0,200}?\bencoding\s*=\s*["']([-\w.:]{1,40})/i.exec(head);
  return meta ? meta[1] : null;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function checkMagic(bytes: Uint8Array): void {
  for (const [name, sig] of MAGIC) if (startsWith(bytes, sig)) throw new BinaryInputError(name);
}

/** NUL bytes or many control bytes in the first 8 KB (what git and grep look at). */
function checkBinary(bytes: Uint8Array): void {
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) throw new BinaryInputError(`NUL byte at offset ${i}`);
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  if (n > 0 && control / n > 0.1) throw new BinaryInputError(`${control} control bytes in the first ${n}`);
}

/** The same test on decoded UTF-16 text, where NUL and control characters cannot hide in byte pairs. */
function checkBinaryText(text: string): void {
  const n = Math.min(text.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new BinaryInputError(`NUL character at ${i}`);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  if (n > 0 && control / n > 0.1) throw new BinaryInputError(`${control} control characters in the first ${n}`);
}

/**
 * UTF-16 without BOM: ASCII characters (and CJK ones such as U+4E00) put a zero in the high byte,
 * so zeros pile up on one side of the byte pairs. Accepted only if the decoded text reads as text.
 */
function sniffUtf16(bytes: Uint8Array): { encoding: 'utf-16le' | 'utf-16be'; text: string } | null {
  const n = Math.min(bytes.length, 8192) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  let encoding: 'utf-16le' | 'utf-16be' | null = null;
  if (oddZero >= pairs * 0.03 && evenZero * 4 <= oddZero) encoding = 'utf-16le';
  else if (evenZero >= pairs * 0.03 && oddZero * 4 <= evenZero) encoding = 'utf-16be';
  if (!encoding) return null;
  const text = new TextDecoder(encoding).decode(bytes);
  let good = 0;
  const len = Math.min(text.length, 4096);
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 || (c >= 0x80 && charPlausibility(c) >= 0)) good++;
  }
  return len > 0 && good / len >= 0.9 ? { encoding, text } : null;
}

function validUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    // A file cut inside its last character is still UTF-8.
    for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
      const b = bytes[bytes.length - cut];
      if (b >= 0xc0) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - cut));
          return true;
        } catch {
          return false;
        }
      }
      if (b < 0x80) return false;
    }
    return false;
  }
}

/** Mean plausibility per non-ASCII character of a decoding (higher is better). */
function plausibility(text: string): number {
  let sum = 0;
  let n = 0;
  const len = Math.min(text.length, 20000);
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    sum += charPlausibility(c);
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * Decode a file's bytes. Order: BOM; known binary formats and NUL/control bytes (BinaryInputError);
 * UTF-16 without BOM (zero-byte pattern); valid UTF-8 (wins over a legacy declaration: pages
 * declared gb2312 but served as UTF-8 are common, legacy bytes that validate as UTF-8 are not);
 * else GB18030 or Big5: the declared one (`hint`, e.g. from HTTP, then `<meta charset>` /
 * `http-equiv` / `<?xml encoding>` in the first 2 KB) unless the other reads as far more plausible
 * Chinese, or without a declaration whichever reads as more plausible.
 */
export function decodeBytes(bytes: Uint8Array, hint?: string): DecodedText {
  const bomText = (encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): DecodedText => {
    const text = new TextDecoder(encoding).decode(bytes); // strips the BOM
    if (encoding !== 'utf-8') checkBinaryText(text);
    return { text, encoding, bom: true };
  };
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return bomText('utf-8');
  if (startsWith(bytes, [0xff, 0xfe])) return bomText('utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return bomText('utf-16be');
  checkMagic(bytes);

  const hinted = normalizeCharset(hint);
  const utf16 =
    hinted === 'utf-16le' || hinted === 'utf-16be'
      ? { encoding: hinted, text: new TextDecoder(hinted).decode(bytes) }
      : sniffUtf16(bytes);
  if (utf16) {
    checkBinaryText(utf16.text);
    return { text: utf16.text, encoding: utf16.encoding, bom: false };
  }
  checkBinary(bytes);

  const declared = hinted ?? normalizeCharset(declaredCharset(bytes));
  const legacyDeclared = declared === 'gb18030' || declared === 'big5' ? declared : null;
  if (!bytes.some((b) => b >= 0x80))
    return { text: new TextDecoder('utf-8').decode(bytes), encoding: legacyDeclared ?? 'utf-8', bom: false };
  if (validUtf8(bytes)) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', bom: false };

  const gb = new TextDecoder('gb18030').decode(bytes);
  const big5 = new TextDecoder('big5').decode(bytes);
  const gbScore = plausibility(gb);
  const big5Score = plausibility(big5);
  let pick: 'gb18030' | 'big5';
  if (legacyDeclared) {
    // Honour the declaration unless the other reading is far more plausible.
    const mine = legacyDeclared === 'gb18030' ? gbScore : big5Score;
    const other = legacyDeclared === 'gb18030' ? big5Score : gbScore;
    pick = other - mine > 1 ? (legacyDeclared === 'gb18030' ? 'big5' : 'gb18030') : legacyDeclared;
  } else pick = big5Score > gbScore ? 'big5' : 'gb18030';
  return { text: pick === 'big5' ? big5 : gb, encoding: pick, bom: false };
}
