// Tests for the clause tree: label forms, order-based levels, sequence checks, headings, notes, on real seeds.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { extractClauses, flattenClauses, countByLevel } from '../lib/extract/clauses';
import type { Block, Clause } from '../lib/types';
import { GOVCN_DIR, SEEDS_DIR } from './support/paths';

/** Test stand-in for the pipeline: one block per non-empty trimmed line, joined by '\n'. */
function blocksFromLines(lines: string[]): { text: string; blocks: Block[] } {
  const kept = lines.map((l) => l.trim()).filter(Boolean);
  const blocks: Block[] = [];
  let offset = 0;
  kept.forEach((line, i) => {
    blocks.push({ text: line, start: offset, end: offset + line.length, source: i, tag: 'line' });
    offset += line.length + 1;
  });
  return { text: kept.join('\n'), blocks };
}

function seedLines(prefix: string): string[] {
  const name = readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix))!;
  return readFileSync(path.join(SEEDS_DIR, name), 'utf8').split(/\r?\n/);
}

function parse(lines: string[]) {
  const { text, blocks } = blocksFromLines(lines);
  const clauses = extractClauses(text, blocks);
  return { text, blocks, clauses, flat: flattenClauses(clauses) };
}

/** Invariants every tree must keep: offsets, ids, paths, nesting. */
function checkTree(text: string, clauses: Clause[]) {
  const ids = new Set<string>();
  const walk = (cs: Clause[], parent: Clause | null, level: number) => {
    for (const c of cs) {
      expect(ids.has(c.id), `duplicate id ${c.id}`).toBe(false);
      ids.add(c.id);
      expect(c.level).toBe(level);
      expect(c.path[c.path.length - 1]).toBe(c.label);
      expect(c.path).toHaveLength(level);
      expect(text.slice(c.start, c.start + c.label.length)).toBe(c.label);
      if (parent) {
        expect(c.start).toBeGreaterThanOrEqual(parent.start);
        expect(c.end).toBeLessThanOrEqual(parent.end);
        expect(c.id.startsWith(parent.id + '.')).toBe(true);
      }
      if (c.responsibility) {
        const r = c.responsibility;
        expect(text.slice(r.start, r.end)).toBe(r.raw);
        expect(r.start).toBeGreaterThanOrEqual(c.start);
        expect(r.end).toBeLessThanOrEqual(c.end);
      }
      walk(c.children, c, level + 1);
    }
  };
  walk(clauses, null, 1);
}

describe('seed 001 (Beijing 互联网+, Simplified)', () => {
  const { text, clauses, flat } = parse(seedLines('001'));

  it('has 4 parts, 20 sections and 15 items', () => {
    expect(countByLevel(clauses)).toEqual({ 1: 4, 2: 20, 3: 15 });
    expect(clauses.map((c) => c.heading)).toEqual(['总体要求', '主要任务', '重点领域', '保障措施']);
    expect(clauses.map((c) => c.children.length)).toEqual([3, 4, 4, 9]);
    expect(clauses.every((c) => c.kind === 'part')).toBe(true);
    checkTree(text, clauses);
  });

  it('numbers items 1–15 across the sections of 三、 (numbering runs on)', () => {
    const focus = clauses[2];
    expect(focus.children.map((s) => s.children.length)).toEqual([6, 4, 4, 1]);
    const items = flat.filter((c) => c.kind === 'item');
    expect(items.map((c) => c.ordinal)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const first = items[0];
    expect(first.id).toBe('3.1.1');
    expect(first.path).toEqual(['三、', '(一)', '1.']);
    expect(first.heading).toBe('“互联网+”金融');
    expect(first.text.startsWith('全面提升互联网金融服务能力')).toBe(true);
    expect(items[6].id).toBe('3.2.1');
    expect(items[6].label).toBe('7.');
  });

  it('reads heading lines and leaves a run-on heading without one', () => {
    const guide = clauses[0].children[0];
    expect(guide.heading).toBe('指导思想');
    expect(guide.text.startsWith('深入贯彻落实党的十八大')).toBe(true);
    // (四)利用互联网…协同发展以京津冀区域… has no stop before a long sentence: no heading invented.
    const runOn = clauses[1].children[3];
    expect(runOn.label).toBe('(四)');
    expect(runOn.heading).toBe('');
    expect(runOn.text.startsWith('利用互联网促进区域资源开放共享')).toBe(true);
  });

  it('every task under 三、 and every measure under 四、 carries its note; 二、 has none', () => {
    const items = flat.filter((c) => c.kind === 'item');
    expect(items.filter((c) => c.responsibility && c.responsibility.lead.length > 0)).toHaveLength(15);
    expect(items.filter((c) => c.responsibility!.raw.includes('牵头'))).toHaveLength(14);
    expect(clauses[3].children.every((c) => c.responsibility !== null)).toBe(true);
    expect(clauses[1].children.every((c) => c.responsibility === null)).toBe(true);
    expect(flat.filter((c) => c.responsibility)).toHaveLength(24);

    const finance = items[0].responsibility!;
    expect(finance.lead).toEqual(['市金融局']);
    expect(finance.responsible).toContain('人民银行营业管理部');
    expect(finance.responsible).toHaveLength(10);
    const security = items[7].responsibility!; // 8.“互联网+”公共安全: no 牵头, the first named leads
    expect(security.lead).toEqual(['市公安局']);
    expect(security.responsible[0]).toBe('市公安局');
    const last = clauses[3].children[8].responsibility!;
    expect(last.responsible).toEqual(['各有关部门', '各区政府']);
  });

  it('ends the last clause before the signature and date', () => {
    const last = clauses[3].children[8];
    expect(last.text.endsWith('(各有关部门、各区政府负责)')).toBe(true);
    expect(text.slice(last.start, last.end)).not.toContain('北京市人民政府');
    expect(clauses[3].end).toBe(last.end);
  });
});

describe('seed 004 (Shenyang, 1。 items and 责任部门 notes)', () => {
  const { text, clauses, flat } = parse(seedLines('004'));

  it('has 3 parts, 12 sections and 31 items written 1。', () => {
    expect(countByLevel(clauses)).toEqual({ 1: 3, 2: 12, 3: 31 });
    expect(clauses.map((c) => c.children.length)).toEqual([2, 5, 5]);
    const items = flat.filter((c) => c.kind === 'item');
    expect(items).toHaveLength(31);
    expect(items.map((c) => c.ordinal)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(items.every((c) => c.label === `${c.ordinal}。`)).toBe(true);
    expect(items[0].heading).toBe('建设智慧城市统一平台');
    checkTree(text, clauses);
  });

  it('reads whole-line headings ending in 。 and inline ones', () => {
    const s = clauses[1].children[0];
    expect(s.heading).toBe('加快政府数据开放共享,推动资源整合');
    expect(s.text).toBe('');
    const goal = clauses[0].children[1];
    expect(goal.heading).toBe('工作目标');
    expect(goal.text.startsWith('到2018年底')).toBe(true);
    expect(goal.text).toContain('开启大众创业、万众创新'); // later paragraphs are its own text
  });

  it('parses (责任部门:…;配合部门:…) notes', () => {
    const items = flat.filter((c) => c.kind === 'item');
    expect(items.every((c) => c.responsibility !== null)).toBe(true);
    expect(flat.filter((c) => c.responsibility)).toHaveLength(36);
    const first = items[0].responsibility!;
    expect(first.responsible).toEqual(['市大数据局']);
    expect(first.cooperating).toHaveLength(20);
    expect(first.cooperating[0]).toBe('市政府办公厅');
    expect(first.cooperating[19]).toBe('地税局');
    expect(items[3].responsibility!.cooperating).toEqual(['市直各相关部门', '各区、县(市)政府']);
    expect(items[7].responsibility!.cooperating).toEqual([]);
  });
});

describe('seed 000 (Beijing 信息化规划, Traditional)', () => {
  const { text, clauses, flat } = parse(seedLines('000'));

  it('has 7 parts and 21 sections; the numbered metadata list is not structure', () => {
    expect(countByLevel(clauses)).toEqual({ 1: 7, 2: 21 });
    expect(clauses.map((c) => c.children.length)).toEqual([3, 3, 2, 3, 3, 2, 5]);
    expect(flat.some((c) => c.kind === 'item')).toBe(false);
    expect(clauses[0].heading).toBe('總體要求');
    expect(clauses[0].children[1].heading).toBe('基本原則');
    checkTree(text, clauses);
  });

  it('splits inline headings in 七、', () => {
    const lead = clauses[6].children[0];
    expect(lead.heading).toBe('加強組織領導');
    expect(lead.text.startsWith('各區政府、市政府各有關部門要健全機制')).toBe(true);
  });
});

describe('seed 002 (Shanghai, Traditional, garbled second-level headings)', () => {
  it('before repair: 7 parts and the 10 projects 專項1…專項10', () => {
    const { text, clauses, flat } = parse(seedLines('002'));
    expect(clauses).toHaveLength(7);
    expect(clauses.every((c) => c.kind === 'part')).toBe(true);
    const projects = flat.filter((c) => c.kind === 'project');
    expect(projects.map((c) => c.label)).toEqual(Array.from({ length: 10 }, (_, i) => `專項${i + 1}`));
    expect(projects[0].heading).toBe('政務數據共享開放工程');
    expect(projects[9].heading).toBe('網絡和大數據安全保障工程');
    expect(projects.every((p) => p.children.every((c) => c.kind !== 'project'))).toBe(true);
    expect(clauses[0].children.filter((c) => c.kind === 'item')).toHaveLength(3);
    checkTree(text, clauses);
  });

  it('after repair of the headings, projects nest under their sections', () => {
    const repaired: Record<number, string> = {
      15: '（一）基本原則',
      23: '（二）發展目標',
      39: '（一）加快政務數據共享開放',
      49: '（二）鼓勵社會數據共享共用',
      53: '（三）引導商業數據交易流通',
    };
    const lines = seedLines('002').map((l, i) => repaired[i + 1] ?? l);
    const { text, clauses } = parse(lines);
    checkTree(text, clauses);
    const [principles, goals] = clauses[0].children;
    expect(principles.heading).toBe('基本原則');
    expect(principles.children.map((c) => c.label)).toEqual(['1.', '2.', '3.']);
    expect(principles.children[0].heading).toBe('市場主導、政府帶頭');
    expect(goals.heading).toBe('發展目標');
    const part2 = clauses[1];
    expect(part2.children.map((c) => c.label)).toEqual(['（一）', '（二）', '（三）']);
    expect(part2.children[0].children.map((c) => c.label)).toEqual(['專項1']);
    expect(part2.children[2].children[0].path).toEqual(['二、', '（三）', '專項2']);
    expect(part2.children[2].children[0].level).toBe(3);
  });
});

/** Crude tag stripping, enough to get the paragraphs of a gov.cn page as lines. */
function htmlLines(html: string): string[] {
  const at = html.indexOf('id="UCAP-CONTENT"');
  const body = html.slice(html.indexOf('>', at) + 1);
  return body
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/tr>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .split('\n');
}

describe.skipIf(!existsSync(GOVCN_DIR))('gov.cn regulation 专利代理条例 (skipped: ../shared/fixtures/govcn absent)', () => {
  it('has 5 chapters and 32 articles, articles nested under chapters', () => {
    const html = readFileSync(path.join(GOVCN_DIR, 'govcn-5341736.html'), 'utf8');
    const { text, clauses, flat } = parse(htmlLines(html));
    checkTree(text, clauses);
    expect(clauses.map((c) => c.kind)).toEqual(Array(5).fill('chapter'));
    expect(clauses.map((c) => c.label)).toEqual(['第一章', '第二章', '第三章', '第四章', '第五章']);
    expect(clauses.map((c) => c.heading.replace(/\s/g, ''))).toEqual([
      '总则', '专利代理机构和专利代理师', '专利代理执业', '法律责任', '附则',
    ]);
    expect(clauses.map((c) => c.children.length)).toEqual([6, 6, 11, 5, 4]);
    const articles = flat.filter((c) => c.kind === 'article');
    expect(articles).toHaveLength(32);
    expect(articles.map((a) => a.ordinal)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(articles.every((a) => a.level === 2 && a.heading === '')).toBe(true);
    expect(articles[11].label).toBe('第十二条');

    // Enumerations (一)… belong to their article; the paragraph after one goes back to the article.
    const enumerated = articles.filter((a) => a.children.length);
    expect(enumerated.map((a) => [a.label, a.children.length])).toEqual([
      ['第八条', 4], ['第二十五条', 5], ['第二十六条', 5],
    ]);
    const a25 = articles[24];
    expect(a25.children[4].text).toBe('疏于管理，造成严重后果。');
    expect(a25.text).toContain('专业代理机构在执业过程中泄露委托人的发明创造内容');
    expect(a25.children[0].heading).toBe('');
    expect(countByLevel(clauses)).toEqual({ 1: 5, 2: 32, 3: 14 });
  });
});

describe('labels, sequence and levels on constructed text', () => {
  it('never takes decimals, amounts or dates for labels; out-of-sequence numbers stay text', () => {
    const { text, clauses, flat } = parse([
      '一、总体目标',
      '1.市场主导。发挥市场作用。',
      '2.5亿元用于平台建设。',
      '3.5%的年均增长。',
      '2016年完成首批试点。',
      '2.政府引导。加强统筹。',
      '1.5倍于上年。',
      '5.跳过的编号。',
      '3.协同推进。形成合力。',
      '1.重复的编号',
      '一、二季度完成部署。',
      '二、保障措施',
    ]);
    checkTree(text, clauses);
    expect(clauses.map((c) => c.label)).toEqual(['一、', '二、']);
    const items = clauses[0].children;
    expect(items.map((c) => c.label)).toEqual(['1.', '2.', '3.']);
    expect(items[0].text).toContain('2.5亿元用于平台建设');
    expect(items[0].text).toContain('3.5%的年均增长');
    expect(items[0].text).toContain('2016年完成首批试点');
    expect(items[1].text).toContain('1.5倍于上年');
    expect(items[1].text).toContain('5.跳过的编号');
    expect(items[2].text).toContain('1.重复的编号');
    expect(items[2].text).toContain('一、二季度完成部署');
    expect(flat).toHaveLength(5);
  });

  it('takes levels from the order forms appear in, skipping levels freely', () => {
    const { clauses } = parse(['（一）第一节', '1.甲项', '（1）细目', '2.乙项', '（二）第二节', '1.丙项']);
    expect(countByLevel(clauses)).toEqual({ 1: 2, 2: 3, 3: 1 });
    expect(clauses[0].kind).toBe('section');
    expect(clauses[0].children[0].children[0].kind).toBe('subitem');
    expect(clauses[1].children[0].path).toEqual(['（二）', '1.']);
  });

  it('splits an article holding its own enumeration inline', () => {
    const { text, clauses } = parse([
      '第一章　总则',
      '第一条　有下列情形之一的，不予登记：（一）材料不全的；（二）超过期限的；（三）其他情形。',
      '第二条　本办法自发布之日起施行。',
    ]);
    checkTree(text, clauses);
    const [a1, a2] = clauses[0].children;
    expect(a1.text).toBe('有下列情形之一的，不予登记：');
    expect(a1.children.map((c) => [c.label, c.text])).toEqual([
      ['（一）', '材料不全的；'],
      ['（二）', '超过期限的；'],
      ['（三）', '其他情形。'],
    ]);
    expect(a2.label).toBe('第二条');
    expect(a2.level).toBe(2);
  });

  it('attaches 牵头单位：… lines that follow a task to that task', () => {
    const { clauses } = parse([
      '1.加强统筹。建立联席会议制度。',
      '牵头单位：市发展改革委',
      '责任单位：市经济信息化委、各区政府',
      '2.强化保障。落实资金。',
    ]);
    const r = clauses[0].responsibility!;
    expect(r.lead).toEqual(['市发展改革委']);
    expect(r.responsible).toEqual(['市经济信息化委', '各区政府']);
    expect(clauses[1].responsibility).toBeNull();
  });

  it('reads attachments after the signature, not the 附件 list in the notice', () => {
    const { text, clauses } = parse([
      '现将实施方案印发给你们，请认真贯彻执行。',
      '附件：1．实施方案',
      '2．任务分工',
      '北京市人民政府',
      '2016年1月9日',
      '附件1',
      '实施方案',
      '一、总体要求',
      '坚持统筹推进。',
      '附件2',
      '任务分工',
      '一、分工安排',
    ]);
    checkTree(text, clauses);
    expect(clauses.map((c) => [c.kind, c.label, c.heading])).toEqual([
      ['attachment', '附件1', '实施方案'],
      ['attachment', '附件2', '任务分工'],
    ]);
    expect(clauses[0].children[0].path).toEqual(['附件1', '一、']);
    expect(clauses[1].children[0].heading).toBe('分工安排');
  });

  it('a date closes the tree only after a signature; a date cell inside a task does not', () => {
    const { clauses } = parse([
      '一、进度安排',
      '1.完成部署。',
      '完成时间',
      '2019年6月30日',
      '后续说明文字。',
      '2.总结评估。',
    ]);
    expect(clauses[0].children.map((c) => c.label)).toEqual(['1.', '2.']);
    expect(clauses[0].children[0].text).toContain('后续说明文字');
  });

  it('a plan after its notice starts again at 一、 with or without the date line', () => {
    const notice = ['一、请各区认真落实。', '二、请及时报送情况。'];
    const plan = ['一、总体要求', '（一）指导思想', '二、主要任务'];
    for (const middle of [['北京市人民政府办公厅', '2016年1月9日'], ['北京市实施方案']]) {
      const { clauses } = parse([...notice, ...middle, ...plan]);
      expect(clauses.map((c) => c.label)).toEqual(['一、', '二、', '一、', '二、']);
      expect(new Set(clauses.map((c) => c.id)).size).toBe(4);
      expect(clauses[1].text).not.toContain('北京市人民政府办公厅');
      expect(clauses[2].children.map((c) => c.heading)).toEqual(['指导思想']);
    }
  });

  it('finishes a 10,000-line document fast', () => {
    const cn = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    const lines: string[] = [];
    for (let p = 0; p < 10; p++) {
      lines.push(`${cn[p]}、第${p + 1}部分`);
      for (let s = 0; s < 10; s++) {
        lines.push(`（${cn[s]}）第${s + 1}节`);
        for (let i = 1; i <= 98; i++) {
          lines.push(`${i}.任务${i}。投资2.5亿元，增长3.5%。(市发展改革委牵头,市财政局、各区政府负责)`);
        }
      }
    }
    const t = performance.now();
    const { clauses, flat } = parse(lines);
    expect(performance.now() - t).toBeLessThan(5000);
    expect(countByLevel(clauses)).toEqual({ 1: 10, 2: 100, 3: 9800 });
    expect(flat.filter((c) => c.responsibility?.lead[0] === '市发展改革委')).toHaveLength(9800);
  });

  it('does not throw on hostile input', () => {
    const junk = ['\u0000\u0001(((((', '1.'.repeat(50_000), '第'.repeat(10_000) + '条', '（一）'.repeat(10_000), ''];
    const { clauses } = parse(junk);
    expect(Array.isArray(clauses)).toBe(true);
    expect(extractClauses('', [])).toEqual([]);
  });
});
