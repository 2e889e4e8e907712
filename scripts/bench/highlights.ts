// Benchmark section: re-anchoring highlights (100 on the largest seed page after it changed) and the
// perturbation suite's share of highlights re-anchored to the right text.
import fs from 'node:fs';
import path from 'node:path';
import { extractFromText } from '../../lib/extract/pipeline';
import { describe as describeSelection } from '../../lib/highlights/selectors';
import { anchorAll } from '../../lib/highlights/anchor';
import { mulberry32, perturbationSuite, runSuite } from '../../tests/support/perturb';

export interface HighlightFigures {
  page: string;
  textChars: number;
  highlights: number;
  /** 100 highlights re-anchored on the page after text was inserted near each of them (median of runs). */
  reanchorMsMedian: number;
  reanchored: number;
  suiteCases: number;
  suiteCorrect: number;
  suiteWrong: number;
  suiteOrphaned: number;
  suiteShare: number;
}

export function benchHighlights(root: string, runs = 7): HighlightFigures {
  const dir = path.join(root, 'seeds');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  const texts = files.map((f) => extractFromText(fs.readFileSync(path.join(dir, f), 'utf8'), null).text);
  const largest = texts.reduce((a, b, i) => (b.length > texts[a].length ? i : a), 0);
  const text = texts[largest];
  const rnd = mulberry32(42);
  const selectors = Array.from({ length: 100 }, () => {
    const len = 8 + Math.floor(rnd() * 40);
    const start = Math.floor(rnd() * (text.length - len));
    return describeSelection(text, start, start + len);
  });
  // The page changed: a sentence inserted every ~2,000 characters shifts every later offset.
  let changed = '';
  for (let i = 0; i < text.length; i += 2000) changed += text.slice(i, i + 2000) + '（本段为页面更新时插入的说明文字。）';
  const times: number[] = [];
  let found = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const anchors = anchorAll(changed + ' '.repeat(r), selectors); // a fresh text each run: no cached key
    times.push(performance.now() - t0);
    found = anchors.filter(Boolean).length;
  }
  times.sort((a, b) => a - b);
  const suite = runSuite(perturbationSuite(texts, 300, 7));
  return {
    page: files[largest],
    textChars: text.length,
    highlights: selectors.length,
    reanchorMsMedian: Math.round(times[Math.floor(runs / 2)] * 10) / 10,
    reanchored: found,
    suiteCases: suite.total,
    suiteCorrect: suite.correct,
    suiteWrong: suite.wrong,
    suiteOrphaned: suite.orphaned,
    suiteShare: Math.round(suite.share * 10000) / 10000,
  };
}
