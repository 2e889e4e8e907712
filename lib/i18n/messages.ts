// UI strings of the panel in Simplified Chinese, Traditional Chinese (Taiwan/Hong Kong wording) and English.

/** The languages the UI is written in. */
export type Locale = 'zh-CN' | 'zh-TW' | 'en';

export const LOCALES: readonly Locale[] = ['zh-CN', 'zh-TW', 'en'];

// The Simplified table is the reference: every other table must have exactly its keys (checked by the type).
const zhCN = {
  'app.name': '政策透镜',
  'panel.label': '政策透镜侧栏',
  'panel.collapse': '收起侧栏',
  'panel.expand': '展开政策透镜侧栏',
  'save.idle': '保存到文库',
  'save.saved': '已保存',
  'save.saving': '保存中…',
  'save.savedHint': '本文件已在文库中',
  'library.title': '文库',
  'library.count': '共 {count} 份文件',
  'library.import': '导入文件',
  'library.importHint': '可多选 .html、.txt（UTF-8、GBK、Big5）或文库导出的 .json',
  'library.export': '导出整个文库',
  'library.reading': '正在读取 {done}/{total}',
  'library.imported': '已导入 {plans} 份文件、{highlights} 条划线',
  'library.importFailed': '导入失败，文库未改动：{reason}',
  'library.delete': '删除',
  'library.empty': '文库是空的',
  'library.open': '打开',
  'status.saved': '已保存到文库',
  'status.saveFailed': '保存失败，页面内容未丢失，请重试',
  'status.lookupFailed': '暂时无法查询文库',
  'reader.notFound': '文库中没有这份文件',
  'reader.loading': '正在打开…',

  'kind.policy': '政策文件',
  'kind.interpretation': '政策解读',
  'kind.other': '网页',
  'genre.notice': '通知',
  'genre.opinion': '意见',
  'genre.plan': '规划计划',
  'genre.scheme': '方案',
  'genre.measure': '办法措施',
  'genre.regulation': '规章',
  'genre.decision': '决定',
  'genre.reply': '批复函',
  'genre.decree': '令',
  'genre.report': '报告请示',
  'genre.announcement': '公告通报',
  'genre.other': '其他',
  'site.beijing': '首都之窗',
  'site.govcn': '中国政府网',
  'site.shanghai': '上海市人民政府',
  'site.shenyang': '沈阳市人民政府',
  'site.generic': '政府网站',
  'site.none': '',

  'section.metadata': '元数据',
  'section.outline': '结构',
  'section.citations': '引用',
  'section.count': '{count} 项',

  'meta.title': '标题',
  'meta.issuers': '发文机关',
  'meta.jointIssuers': '联合发文单位',
  'meta.docNumber': '发文字号',
  'meta.docNumberRaw': '原文写作:{raw}',
  'meta.written': '成文日期',
  'meta.published': '发布日期',
  'meta.effective': '实施日期',
  'meta.repealed': '废止日期',
  'meta.validity': '有效性',
  'meta.topics': '主题分类',
  'meta.keywords': '主题词',
  'meta.indexNumber': '索引号',
  'meta.source': '文件来源',
  'meta.recipients': '主送机关',
  'meta.signature': '落款',
  'meta.attachments': '附件',
  'meta.empty': '未识别到元数据',

  'outline.empty': '未识别到条款结构',
  'outline.showDetails': '展开 {label} 的详情',
  'outline.hideDetails': '收起 {label} 的详情',
  'outline.leadChip': '牵头:{dept}',
  'outline.leadMore': '{dept}等',
  'outline.relatedCount': '{count} 条相关条款',
  'outline.current': '正在阅读',

  'details.lead': '牵头部门',
  'details.responsible': '负责部门',
  'details.cooperating': '配合部门',
  'details.related': '相关条款',
  'details.noRelated': '文库中暂无相关条款',
  'details.score': '相似度 {percent}',
  'details.openRelated': '打开《{title}》{path}',

  'citations.empty': '本文未引用其他文件',
  'citations.loading': '正在文库中查找…',
  'citations.resolved': '已收录',
  'citations.open': '打开',
  'citations.unresolved': '未收录',
  'citations.self': '本文件',
  'citations.alias': '简称,指《{title}》',
  'citations.occurrences': '文中出现 {count} 次',
  'citations.occurrence': '第 {n} 处',
  'citations.goTo': '跳到文中引用处',
  'citations.alsoCitedBy': '另有 {count} 份已存文件也引用了它:',

  'list.separator': '、',
  'list.separatorWide': ',',
} as const;

export type MessageKey = keyof typeof zhCN;
type Messages = Record<MessageKey, string>;

// Taiwan/Hong Kong wording, not a character swap: 儲存 (save), 基本資訊 (metadata), 主辦/協辦 (lead/cooperating).
const zhTW: Messages = {
  'app.name': '政策透鏡',
  'panel.label': '政策透鏡側欄',
  'panel.collapse': '收合側欄',
  'panel.expand': '展開政策透鏡側欄',
  'save.idle': '儲存至文庫',
  'save.saved': '已儲存',
  'save.saving': '儲存中…',
  'save.savedHint': '本文件已在文庫中',
  'library.title': '文庫',
  'library.count': '共 {count} 份文件',
  'library.import': '匯入檔案',
  'library.importHint': '可多選 .html、.txt（UTF-8、GBK、Big5）或文庫匯出的 .json',
  'library.export': '匯出整個文庫',
  'library.reading': '正在讀取 {done}/{total}',
  'library.imported': '已匯入 {plans} 份文件、{highlights} 則畫線',
  'library.importFailed': '匯入失敗，文庫未變動：{reason}',
  'library.delete': '刪除',
  'library.empty': '文庫是空的',
  'library.open': '開啟',
  'status.saved': '已儲存至文庫',
  'status.saveFailed': '儲存失敗，頁面內容未遺失，請重試',
  'status.lookupFailed': '暫時無法查詢文庫',
  'reader.notFound': '文庫中沒有這份文件',
  'reader.loading': '正在開啟…',

  'kind.policy': '政策文件',
  'kind.interpretation': '政策解讀',
  'kind.other': '網頁',
  'genre.notice': '通知',
  'genre.opinion': '意見',
  'genre.plan': '規劃計畫',
  'genre.scheme': '方案',
  'genre.measure': '辦法措施',
  'genre.regulation': '規章',
  'genre.decision': '決定',
  'genre.reply': '批覆函',
  'genre.decree': '令',
  'genre.report': '報告請示',
  'genre.announcement': '公告通報',
  'genre.other': '其他',
  'site.beijing': '首都之窗',
  'site.govcn': '中國政府網',
  'site.shanghai': '上海市人民政府',
  'site.shenyang': '瀋陽市人民政府',
  'site.generic': '政府網站',
  'site.none': '',

  'section.metadata': '基本資訊',
  'section.outline': '結構',
  'section.citations': '引用',
  'section.count': '{count} 項',

  'meta.title': '標題',
  'meta.issuers': '發文機關',
  'meta.jointIssuers': '聯合發文單位',
  'meta.docNumber': '發文字號',
  'meta.docNumberRaw': '原文寫作:{raw}',
  'meta.written': '成文日期',
  'meta.published': '發布日期',
  'meta.effective': '施行日期',
  'meta.repealed': '廢止日期',
  'meta.validity': '效力狀態',
  'meta.topics': '主題分類',
  'meta.keywords': '主題詞',
  'meta.indexNumber': '索引號',
  'meta.source': '文件來源',
  'meta.recipients': '主送機關',
  'meta.signature': '署名',
  'meta.attachments': '附件',
  'meta.empty': '未辨識到基本資訊',

  'outline.empty': '未辨識到條文結構',
  'outline.showDetails': '展開 {label} 的詳細資訊',
  'outline.hideDetails': '收合 {label} 的詳細資訊',
  'outline.leadChip': '主辦:{dept}',
  'outline.leadMore': '{dept}等',
  'outline.relatedCount': '{count} 條相關條文',
  'outline.current': '正在閱讀',

  'details.lead': '主辦單位',
  'details.responsible': '負責單位',
  'details.cooperating': '協辦單位',
  'details.related': '相關條文',
  'details.noRelated': '文庫中尚無相關條文',
  'details.score': '相似度 {percent}',
  'details.openRelated': '開啟《{title}》{path}',

  'citations.empty': '本文未引用其他文件',
  'citations.loading': '正在文庫中查找…',
  'citations.resolved': '已收錄',
  'citations.open': '開啟',
  'citations.unresolved': '未收錄',
  'citations.self': '本文件',
  'citations.alias': '簡稱,指《{title}》',
  'citations.occurrences': '文中出現 {count} 次',
  'citations.occurrence': '第 {n} 處',
  'citations.goTo': '跳至文中引用處',
  'citations.alsoCitedBy': '另有 {count} 份已存文件也引用了它:',

  'list.separator': '、',
  'list.separatorWide': ',',
};

// English: `a|b` picks a (count 1) or b (other counts) — the only plural rule the UI needs.
const en: Messages = {
  'app.name': 'Policy Lens',
  'panel.label': 'Policy Lens side panel',
  'panel.collapse': 'Collapse the panel',
  'panel.expand': 'Open the Policy Lens panel',
  'save.idle': 'Save to library',
  'save.saved': 'Saved',
  'save.saving': 'Saving…',
  'save.savedHint': 'This document is in your library',
  'library.title': 'Library',
  'library.count': '{count} documents',
  'library.import': 'Import files',
  'library.importHint': 'Choose .html or .txt files (UTF-8, GBK, Big5) or a library export (.json)',
  'library.export': 'Export the whole library',
  'library.reading': 'Reading {done}/{total}',
  'library.imported': 'Imported {plans} documents and {highlights} highlights',
  'library.importFailed': 'Import failed; the library is unchanged: {reason}',
  'library.delete': 'Delete',
  'library.empty': 'The library is empty',
  'library.open': 'Open',
  'status.saved': 'Saved to your library',
  'status.saveFailed': 'Saving failed; nothing on the page was lost. Try again.',
  'status.lookupFailed': 'The library cannot be reached right now',
  'reader.notFound': 'This document is not in your library',
  'reader.loading': 'Opening…',

  'kind.policy': 'Policy document',
  'kind.interpretation': 'Policy explainer',
  'kind.other': 'Web page',
  'genre.notice': 'Notice',
  'genre.opinion': 'Opinions',
  'genre.plan': 'Plan',
  'genre.scheme': 'Scheme',
  'genre.measure': 'Measures',
  'genre.regulation': 'Regulation',
  'genre.decision': 'Decision',
  'genre.reply': 'Reply',
  'genre.decree': 'Decree',
  'genre.report': 'Report',
  'genre.announcement': 'Announcement',
  'genre.other': 'Other',
  'site.beijing': 'Beijing Municipal Government',
  'site.govcn': 'gov.cn (State Council)',
  'site.shanghai': 'Shanghai Municipal Government',
  'site.shenyang': 'Shenyang Municipal Government',
  'site.generic': 'Government website',
  'site.none': '',

  'section.metadata': 'Metadata',
  'section.outline': 'Structure',
  'section.citations': 'Citations',
  'section.count': '{count} item|{count} items',

  'meta.title': 'Title',
  'meta.issuers': 'Issued by',
  'meta.jointIssuers': 'Joint issuers',
  'meta.docNumber': 'Document number',
  'meta.docNumberRaw': 'As written: {raw}',
  'meta.written': 'Date written',
  'meta.published': 'Published',
  'meta.effective': 'In force from',
  'meta.repealed': 'Repealed on',
  'meta.validity': 'Validity',
  'meta.topics': 'Topics',
  'meta.keywords': 'Keywords',
  'meta.indexNumber': 'Index number',
  'meta.source': 'Source',
  'meta.recipients': 'Addressed to',
  'meta.signature': 'Signed by',
  'meta.attachments': 'Attachments',
  'meta.empty': 'No metadata found',

  'outline.empty': 'No clause structure found',
  'outline.showDetails': 'Show details of {label}',
  'outline.hideDetails': 'Hide details of {label}',
  'outline.leadChip': 'Lead: {dept}',
  'outline.leadMore': '{dept} et al.',
  'outline.relatedCount': '{count} related clause|{count} related clauses',
  'outline.current': 'Reading now',

  'details.lead': 'Lead department',
  'details.responsible': 'Responsible',
  'details.cooperating': 'Cooperating',
  'details.related': 'Related clauses',
  'details.noRelated': 'No related clauses in your library yet',
  'details.score': '{percent} similar',
  'details.openRelated': 'Open 《{title}》 {path}',

  'citations.empty': 'This document cites no other document',
  'citations.loading': 'Looking in your library…',
  'citations.resolved': 'In library',
  'citations.open': 'Open',
  'citations.unresolved': 'Not in library',
  'citations.self': 'This document',
  'citations.alias': 'Short for 《{title}》',
  'citations.occurrences': 'Cited {count} time|Cited {count} times',
  'citations.occurrence': 'Occurrence {n}',
  'citations.goTo': 'Go to the citation in the text',
  'citations.alsoCitedBy': 'Also cited by {count} saved plan:|Also cited by {count} saved plans:',

  'list.separator': ', ',
  'list.separatorWide': '; ',
};

const TABLES: Record<Locale, Messages> = { 'zh-CN': zhCN, 'zh-TW': zhTW, en };

/** The raw message tables (templates with {placeholders}), for checks and tooling. */
export const MESSAGES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = TABLES;

/**
 * The UI locale for a BCP 47 tag such as navigator.language: Traditional for zh-TW, zh-HK, zh-MO and any
 * zh-Hant*, Simplified for every other zh*, English otherwise.
 */
export function pickLocale(navigatorLanguage: string): Locale {
  const tag = String(navigatorLanguage ?? '').trim().toLowerCase().replace(/_/g, '-');
  const parts = tag.split('-');
  if (parts[0] !== 'zh') return 'en';
  if (parts.includes('hant')) return 'zh-TW';
  if (parts.includes('hans')) return 'zh-CN';
  if (parts.includes('tw') || parts.includes('hk') || parts.includes('mo')) return 'zh-TW';
  return 'zh-CN';
}

/** Type guard for a stored locale setting. */
export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/**
 * The string for `key` in `locale`, with `{name}` replaced by params.name (unknown placeholders stay as
 * written). A message `one|other` is chosen by params.count (1 → first form).
 */
export function t(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const table = TABLES[locale] ?? TABLES['zh-CN'];
  let msg = table[key] ?? zhCN[key] ?? key;
  if (msg.includes('|')) {
    const [one, other] = msg.split('|');
    msg = params && Number(params.count) === 1 ? one : other;
  }
  if (!params) return msg;
  // One pass over the template, so a value that contains `{x}` is never substituted again.
  return msg.replace(/\{(\w{1,32})\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}
