// Tests for lib/page/chrome.ts: chrome lines of the seeds and of real government sites, never a content line.
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { isChromeLine } from '../lib/page/chrome';
import { GOVCN_DIR, SEEDS_DIR } from './support/paths';

const hasFixtures = fs.existsSync(GOVCN_DIR);

function seed(prefix: string): string[] {
  const file = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
  if (!file) throw new Error(`seed ${prefix} missing`);
  return fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8').split('\n');
}

/**
 * The chrome lines seeds/QUIRKS.md describes, by 0-based line number: 000's breadcrumb, 字號 bar and trailing
 * 分享: / 相關解讀 / 相關政策 / leave-site prompt; 003's print/font-size bar; 004's 政策| header, time/来源 and
 * counter lines, 标签 / 责任编辑 / 在线客服 footer. 001 and 002 have none.
 */
const SEED_CHROME: Record<string, number[]> = {
  '000': [0, 14, 179, 180, 181, 183],
  '001': [],
  '002': [],
  '003': [1, 2, 3, 4],
  '004': [0, 2, 3, 122, 124, 125],
};

describe('isChromeLine on the seeds', () => {
  for (const [prefix, chrome] of Object.entries(SEED_CHROME)) {
    it(`seed ${prefix}: exactly its chrome lines are chrome`, () => {
      const lines = seed(prefix);
      const got = lines.map((l, i) => (isChromeLine(l) ? i : -1)).filter((i) => i >= 0);
      expect(got).toEqual(chrome);
    });
  }

  it('the chrome lines are the ones QUIRKS.md names', () => {
    expect(seed('000')[0]).toMatch(/^政務公開 > 政策公開/);
    expect(seed('000')[183]).toContain('即將離開');
    expect(seed('003').slice(1, 5).join(' ')).toBe('- 打印 - 小 - 中 - 大');
    expect(seed('004')[0]).toMatch(/^政策\|/);
    expect(seed('004').slice(122)).toEqual(['标签:', '', '责任编辑:admin', '在线客服']);
  });
});

describe('isChromeLine on chrome seen on other government sites', () => {
  const chrome = [
    '首页 > 政策',
    '首页>政务公开>政策文件',
    '当前位置：首页 > 政务公开 > 规范性文件',
    '您现在的位置：首页 >> 新闻中心',
    '當前位置：首頁 > 政務公開',
    '- 打印 - 小 - 中 - 大',
    '打印',
    '关闭窗口',
    '【字体：大 中 小】',
    '【字體：大 中 小】【打印】【關閉窗口】',
    '[ 打印本页 ] [ 关闭窗口 ]',
    '字号：大 中 小',
    '分享到：',
    '分享:',
    '分享到： 微信 微博 QQ空间',
    '收藏',
    '浏览量：1024',
    '阅读次数：356次',
    '閱讀次數：12',
    '2019-03-11 09:30 来源：中国政府网 【字体：大 中 小】 打印',
    '发布时间：2017-01-11 来源：市政府办公厅',
    '相關解讀 相關政策',
    '相关链接',
    '您访问的链接即将离开“首都之窗”门户网站 是否继续？',
    '标签：大数据 政策',
    '责任编辑：张三',
    '【我要纠错】 责任编辑：李四',
    '在线客服',
    '扫一扫在手机打开当前页',
    '版权所有：北京市人民政府办公厅 京ICP备05060933号 网站标识码：1100000088',
    '网站标识码bm01000001 京公网安备11010202000001号',
    'Copyright © 2016 www.shanghai.gov.cn All Rights Reserved',
    '主办单位：沈阳市人民政府办公室 承办单位：沈阳市大数据管理局',
    '政策| 《北京市大数据和云计算发展行动计划(2016-2020年)》',
    '上一篇：关于印发某某办法的通知',
    '返回顶部',
  ];
  for (const line of chrome) it(`chrome: ${line}`, () => expect(isChromeLine(line)).toBe(true));

  const content = [
    '北京市人民政府',
    '2016年12月1日',
    '二〇〇六年十二月三十日',
    '(此件公开发布)',
    '京政發〔2016〕57號',
    '各區人民政府,市政府各委、辦、局,各市屬機構:',
    '资金来源：市财政专项资金。',
    '打印机、复印机等办公设备纳入政府集中采购目录。',
    '发展分享经济，鼓励共享单车规范发展。',
    '促进大中小企业融通发展',
    '主办单位：市经济信息化委',
    '联系人：张三，联系电话：12345678',
    '相关政策措施由市发展改革委另行制定。',
    '政策解读',
    '附件：北京市大数据和云计算发展行动计划',
    '一、总体要求',
    '(三)加大资金支援。统籌利用財政專項資金加大對大數據、雲計算等新一代資訊技術和産品研發以及公共服務平臺、應用示範項目的支援力度。',
    '到2020年,信息化成为全市经济社会各领域融合创新、升级发展的先导力量。',
    '《北京市大数据和云计算发展行动计划(2016-2020年)》新闻发布会现场',
    '温度>30℃时应停止室外作业，确保安全。',
    '申请→受理→审查→决定→送达',
    '版权保护和知识产权运用。',
    '专项1政务数据共享开放工程',
  ];
  for (const line of content) it(`content: ${line}`, () => expect(isChromeLine(line)).toBe(false));
});

describe('isChromeLine robustness', () => {
  it('returns false on empty, huge and control-character input without hanging', () => {
    expect(isChromeLine('')).toBe(false);
    expect(isChromeLine('   ')).toBe(false);
    const huge = '首页 > '.repeat(200_000);
    const t0 = Date.now();
    expect(isChromeLine(huge)).toBe(false);
    expect(isChromeLine('打印 '.repeat(100_000))).toBe(false);
    expect(isChromeLine('\u0000\u0001打印\u0007')).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe.skipIf(!hasFixtures)('isChromeLine on gov.cn documents (fixtures absent: skipped)', () => {
  it('no paragraph of the 20 #UCAP-CONTENT bodies is chrome', () => {
    const files = fs.readdirSync(GOVCN_DIR).filter((f) => f.endsWith('.html'));
    expect(files.length).toBe(20);
    let checked = 0;
    for (const f of files) {
      const { document } = parseHTML(fs.readFileSync(path.join(GOVCN_DIR, f), 'utf8'));
      const ps = document.querySelectorAll('#UCAP-CONTENT p');
      for (let i = 0; i < ps.length; i++) {
        const t = (ps[i].textContent || '').trim();
        if (!t) continue;
        checked++;
        expect(isChromeLine(t), `${f}: ${t}`).toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
