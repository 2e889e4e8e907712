// Tests for responsibility notes: (X牵头,Y负责), (责任部门:…;配合部门:…), 牵头单位：… lines, in both scripts.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { findResponsibilities, parseResponsibility } from '../lib/extract/responsibility';
import { GOVCN_DIR, SEEDS_DIR } from './support/paths';

const seed = (prefix: string) => {
  const name = readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix))!;
  return readFileSync(path.join(SEEDS_DIR, name), 'utf8');
};

describe('parseResponsibility: forms', () => {
  it('reads 牵头 then 负责, dropping the 等相关部门 tail', () => {
    const r = parseResponsibility('推进平台建设。(市金融局牵头,市发展改革委、市经济信息化委等相关部门负责)');
    expect(r).not.toBeNull();
    expect(r!.lead).toEqual(['市金融局']);
    expect(r!.responsible).toEqual(['市发展改革委', '市经济信息化委']);
    expect(r!.cooperating).toEqual([]);
    expect(r!.raw).toBe('(市金融局牵头,市发展改革委、市经济信息化委等相关部门负责)');
  });

  it('reads 责任部门 / 配合部门 with half- and full-width punctuation', () => {
    for (const note of [
      '(责任部门:市经济信息化委、市发展改革委;配合部门:市大数据局)',
      '（责任部门：市经济信息化委、市发展改革委；配合部门：市大数据局）',
    ]) {
      const r = parseResponsibility('加强数据共享。' + note);
      expect(r, note).not.toBeNull();
      expect(r!.responsible).toEqual(['市经济信息化委', '市发展改革委']);
      expect(r!.cooperating).toEqual(['市大数据局']);
      expect(r!.lead).toEqual(['市经济信息化委']); // no explicit 牵头: the first named leads
    }
  });

  it('without 牵头 the first office named leads and all named are responsible', () => {
    const r = parseResponsibility('优化通关流程。（海关总署、商务部负责）');
    expect(r!.lead).toEqual(['海关总署']);
    expect(r!.responsible).toEqual(['海关总署', '商务部']);
    const g = parseResponsibility('确保取得实效。(各有关部门、各区政府负责)');
    expect(g!.responsible).toEqual(['各有关部门', '各区政府']);
    expect(g!.lead).toEqual(['各有关部门']);
  });

  it('reads Traditional script and returns names as written', () => {
    const r = parseResponsibility('推動應用。（市經濟信息化委牽頭，市發展改革委、市財政局負責）');
    expect(r!.lead).toEqual(['市經濟信息化委']);
    expect(r!.responsible).toEqual(['市發展改革委', '市財政局']);
    const t = parseResponsibility('建設平臺。（責任部門：市大數據局；配合部門：市政府辦公廳、市統計局等相關部門）');
    expect(t!.responsible).toEqual(['市大數據局']);
    expect(t!.cooperating).toEqual(['市政府辦公廳', '市統計局']);
  });

  it('reads 会同: the first office leads, the others cooperate', () => {
    const r = parseResponsibility('形成优势产业集群。（国家发展改革委会同有关部门负责）');
    expect(r!.lead).toEqual(['国家发展改革委']);
    expect(r!.responsible).toEqual(['国家发展改革委']);
    expect(r!.cooperating).toEqual(['有关部门']);
  });

  it('reads 牵头 / 参与 and 指导 (gov.cn 无废城市 style)', () => {
    const r = parseResponsibility('建立指标体系。（生态环境部牵头，国家发展改革委、工业和信息化部参与）');
    expect(r!.lead).toEqual(['生态环境部']);
    expect(r!.cooperating).toEqual(['国家发展改革委', '工业和信息化部']);
    const g = parseResponsibility('推动综合利用。（自然资源部、工业和信息化部指导）');
    expect(g!.responsible).toEqual(['自然资源部', '工业和信息化部']);
  });

  it('keeps 各区、县(市)政府 whole inside a note with nested brackets', () => {
    const r = parseResponsibility('提高针对性。(责任部门:市发展改革委;配合部门:市直各相关部门及各区、县(市)政府)');
    expect(r!.responsible).toEqual(['市发展改革委']);
    expect(r!.cooperating).toEqual(['市直各相关部门', '各区、县(市)政府']);
  });

  it('reads 牵头单位：… lines closing a text', () => {
    const text = '加强统筹协调，建立工作机制。\n牵头单位：市发展改革委\n责任单位：市经济信息化委、各区政府\n配合单位：市财政局';
    const r = parseResponsibility(text, 100);
    expect(r).not.toBeNull();
    expect(r!.lead).toEqual(['市发展改革委']);
    expect(r!.responsible).toEqual(['市经济信息化委', '各区政府']);
    expect(r!.cooperating).toEqual(['市财政局']);
    expect(r!.start).toBe(100 + text.indexOf('牵头单位'));
    expect(r!.end).toBe(100 + text.length);
    const one = parseResponsibility('推进试点工作。牵头单位：市商务委；责任单位：各区政府。');
    expect(one!.lead).toEqual(['市商务委']);
    expect(one!.responsible).toEqual(['各区政府']);
  });

  it('allows a trailing full stop and reports offsets', () => {
    const text = '深化试点。(市商务委牵头,市财政局负责)。';
    const r = parseResponsibility(text, 50)!;
    expect(r.start).toBe(50 + text.indexOf('('));
    expect(r.end).toBe(50 + text.lastIndexOf(')') + 1);
    expect(text.slice(r.start - 50, r.end - 50)).toBe(r.raw);
  });
});

describe('parseResponsibility: ordinary parentheticals are not notes', () => {
  for (const text of [
    '制定本计划(以下简称《行动计划》)',
    '北京市大数据和云计算发展行动计划(2016-2020年)',
    '根据《国务院关于积极推进“互联网+”行动的指导意见》(国发〔2015〕40号)',
    '（此件公开发布）',
    '建设企业法人信用库、非企业法人信用库(包括政府部门、机关事业单位信息等)',
    '稳妥推进个人对个人(P2P)',
    '设立专门机构(以下简称“负责部门”)',
    '明确分工(由市政府统一负责解释)',
    '',
    '负责',
  ]) {
    it(text || '(empty)', () => {
      expect(parseResponsibility(text)).toBeNull();
    });
  }

  it('a note in the middle of a text is not the closing note, but findResponsibilities sees it', () => {
    const text = '营造准入环境。（市场监管总局负责）加强创新创业教育服务。';
    expect(parseResponsibility(text)).toBeNull();
    const all = findResponsibilities(text);
    expect(all).toHaveLength(1);
    expect(all[0].lead).toEqual(['市场监管总局']);
    expect(text.slice(all[0].start, all[0].end)).toBe('（市场监管总局负责）');
  });
});

describe('findResponsibilities on real documents', () => {
  it('seed 001: 24 notes, 14 with an explicit 牵头, each with a lead', () => {
    const text = seed('001');
    const notes = findResponsibilities(text);
    expect(notes).toHaveLength(24);
    expect(notes.filter((n) => n.raw.includes('牵头'))).toHaveLength(14);
    for (const n of notes) {
      expect(n.lead.length).toBeGreaterThan(0);
      expect(text.slice(n.start, n.end)).toBe(n.raw);
    }
    const finance = notes.find((n) => n.lead[0] === '市金融局')!;
    expect(finance.responsible).toEqual([
      '人民银行营业管理部', '北京银监局', '北京证监局', '北京保监局', '市发展改革委',
      '市科委', '市经济信息化委', '中关村管委会', '市工商局', '市网信办',
    ]);
  });

  it('seed 004: 36 (责任部门:…) notes, 19 naming 配合部门', () => {
    const notes = findResponsibilities(seed('004'));
    expect(notes).toHaveLength(36);
    expect(notes.filter((n) => n.cooperating.length > 0)).toHaveLength(19);
    for (const n of notes) expect(n.responsible.length).toBeGreaterThan(0);
  });

  it('label lines across blocks merge into one note', () => {
    const text = '1.加强统筹。建立机制。\n牵头单位：市发展改革委\n责任单位：各区政府\n2.下一项';
    const notes = findResponsibilities(text);
    expect(notes).toHaveLength(1);
    expect(notes[0].lead).toEqual(['市发展改革委']);
    expect(notes[0].responsible).toEqual(['各区政府']);
    expect(notes[0].raw).toBe('牵头单位：市发展改革委\n责任单位：各区政府');
  });

  it('survives hostile input quickly', () => {
    const hostile = '('.repeat(100_000) + ')'.repeat(100_000) + '\u0000\u0007' + '牵头单位：'.repeat(5_000);
    const t = performance.now();
    expect(() => findResponsibilities(hostile)).not.toThrow();
    expect(() => parseResponsibility(hostile)).not.toThrow();
    expect(performance.now() - t).toBeLessThan(3000);
  });
});

describe.skipIf(!existsSync(GOVCN_DIR))('gov.cn fixtures (skipped: ../shared/fixtures/govcn absent)', () => {
  it('govcn-5347465: each of the 30 measures closes with a note naming who answers for it', () => {
    const html = readFileSync(path.join(GOVCN_DIR, 'govcn-5347465.html'), 'utf8');
    const notes = findResponsibilities(html);
    expect(notes).toHaveLength(30);
    expect(notes[0].lead).toEqual(['市场监管总局']);
    const joint = notes.find((n) => n.raw === '（国家发展改革委、财政部会同有关部门负责）')!;
    expect(joint.lead).toEqual(['国家发展改革委', '财政部']);
    expect(joint.cooperating).toEqual(['有关部门']);
    const three = notes.find((n) => n.raw === '（人民银行、银保监会、证监会负责）')!;
    expect(three.lead).toEqual(['人民银行']);
    expect(three.responsible).toEqual(['人民银行', '银保监会', '证监会']);
  });
});
