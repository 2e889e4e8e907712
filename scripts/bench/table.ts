// The benchmark's one table: a row per figure (what, value, unit, target or ratio), built from every section's figures.
import type { HighlightFigures } from './highlights';
import type { OverlayFigures } from './overlay';
import type { RelatedFigures } from './related';
import type { SearchBenchFigures, SizeFigures } from '../bench-search';

export interface FigureRow {
  /** Section of the issue the figure answers (pipeline, detector, overlay, related, search, highlights, library). */
  section: string;
  what: string;
  value: number | string | boolean | null;
  unit: string;
  /** Target and whether it is met, or the ratio the figure is read against. */
  note: string;
}

export interface PipelineFigure {
  seed: string;
  site: string;
  htmlBytes: number;
  pipelineMs: number;
  readabilityMs: number;
  ratio: number;
}

export interface DetectorFigure {
  page: string;
  detectMs: number;
  kind: string;
}

/** Every section's figures; null for a section that failed. */
export interface AllFigures {
  pipeline: PipelineFigure[] | null;
  detector: DetectorFigure | null;
  overlay: OverlayFigures | null;
  related: RelatedFigures | null;
  search: SearchBenchFigures | null;
  highlights: HighlightFigures | null;
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const thousands = (n: number) => n.toLocaleString('en-US');

function searchRows(s: SizeFigures): FigureRow[] {
  const at = `${thousands(s.plans)} plans`;
  const big = s.plans >= 10000;
  const q = s.queries;
  const rows: FigureRow[] = [
    { section: 'search', what: `index build, ${at}`, value: Math.round(s.buildMs), unit: 'ms', note: `${r1(s.chars / 1e6)} M chars, ${s.segments} segments; writing the plans took ${Math.round(s.writePlansMs)} ms` },
    { section: 'search', what: `index size as written, ${at}`, value: s.indexMB, unit: 'MB', note: s.diskIndexMB !== null ? `IndexedDB folder grew ${s.diskIndexMB} MB for it (plans alone ${s.diskPlansMB} MB)` : '' },
    { section: 'search', what: `query p50, ${at}`, value: q.p50, unit: 'ms', note: `plain scan p50 ${q.scanP50} ms → index ×${q.ratio} faster (scan match alone ${q.scanMatchP50} ms, ×${q.ratioMatchOnly})` },
    { section: 'search', what: `query p95, ${at}`, value: q.p95, unit: 'ms', note: `${big ? `target < 30: ${met(q.p95 < 30)}; ` : ''}postings read from IndexedDB each query; scan p95 ${q.scanP95} ms` },
    { section: 'search', what: `query p95 with postings cached, ${at}`, value: q.cachedP95, unit: 'ms', note: big ? `target < 30: ${met(q.cachedP95 < 30)} (p50 ${q.cachedP50} ms)` : `p50 ${q.cachedP50} ms` },
  ];
  if (s.cold) {
    rows.push({
      section: 'search',
      what: `first answer after a browser start, ${at}`,
      value: s.cold.firstAnswerMs,
      unit: 'ms',
      note: `${big ? `target < 300: ${met(s.cold.firstAnswerMs < 300)}; ` : ''}${s.cold.starts > 1 ? `median of ${s.cold.starts} starts (${s.cold.firstAnswersMs.join(', ')}; slowest ${s.cold.firstAnswerMaxMs}); ` : ''}open ${s.cold.openMs} + query ${s.cold.firstQueryMs} ms; next query ${s.cold.secondQueryMs} ms`,
    });
  }
  const mem = Math.max(s.memory.heapDeltaMB ?? 0, s.memory.cacheMB ?? 0, s.cold?.heapDeltaMB ?? 0);
  rows.push(
    { section: 'search', what: `index memory, ${at}`, value: mem, unit: 'MB', note: `${big ? `target < 100: ${met(mem < 100)}; ` : ''}JS heap grown by queries (GC forced) ${s.memory.heapDeltaMB ?? 'n/a'} MB, cache ${s.memory.cacheMB} MB` },
    { section: 'search', what: `queries differing from the scan, ${at}`, value: q.mismatches, unit: `of ${q.queries.length}`, note: `must be 0: ${met(q.mismatches === 0)} (rank order differs in ${q.orderMismatches})` },
  );
  return rows;
}

export function figureRows(f: AllFigures, failures: Array<{ section: string; error: string }> = []): FigureRow[] {
  const rows: FigureRow[] = [];
  for (const p of f.pipeline ?? []) {
    rows.push({ section: 'pipeline', what: `pipeline, ${p.seed.replace(/\.txt$/, '')}`, value: p.pipelineMs, unit: 'ms', note: `×${p.ratio} Readability's parse (${p.readabilityMs} ms); ${thousands(p.htmlBytes)} B of HTML` });
  }
  if (f.detector) rows.push({ section: 'detector', what: `detector on a non-policy page (${f.detector.page})`, value: f.detector.detectMs, unit: 'ms', note: `says '${f.detector.kind}'` });
  const o = f.overlay;
  if (o) {
    rows.push(
      { section: 'overlay', what: `page load to panel (${o.page})`, value: o.loadToPanelMsMedian, unit: 'ms', note: `median of ${o.runs}; the overlay's own work ${o.overlayWorkMsMedian} ms` },
      { section: 'overlay', what: 'content script a non-policy page loads', value: r1(o.contentScriptBytesNonPolicy / 1024), unit: 'KB', note: `a policy page: ${r1(o.contentScriptBytesPolicy / 1024)} KB` },
    );
  }
  const r = f.related;
  if (r) rows.push({ section: 'related', what: `related-clause lookup, ${thousands(r.plans)} plans`, value: r.lookupMsMedian, unit: 'ms', note: `median of ${r.lookupRuns}; index build ${r.indexBuildMs} ms; finds seed 003: ${r.finds003}` });
  const search = f.search;
  for (const s of search ? [...search.chromium, ...search.node] : []) {
    rows.push(...searchRows(s).map((x) => (s.env === 'node' ? { ...x, what: `${x.what} (Node, fake-indexeddb)` } : x)));
  }
  if (search?.chromiumSkipped) rows.push({ section: 'search', what: 'search in Chromium', value: null, unit: '', note: `skipped: ${search.chromiumSkipped}` });
  const h = f.highlights;
  if (h) {
    rows.push(
      { section: 'highlights', what: `re-anchor ${h.highlights} highlights (${thousands(h.textChars)} chars, page changed)`, value: h.reanchorMsMedian, unit: 'ms', note: `${h.reanchored}/${h.highlights} found` },
      { section: 'highlights', what: 'perturbation suite re-anchored right', value: r1(h.suiteShare * 100), unit: '%', note: `${h.suiteCorrect}/${h.suiteCases}; wrong ${h.suiteWrong}, orphaned ${h.suiteOrphaned}` },
    );
  }
  // Library size: the largest Chromium run's IndexedDB folder growth (LevelDB files, compressed), scaled to 1,000 plans.
  const disk = [...(search?.chromium ?? [])].filter((s) => s.diskPlansMB !== null).sort((a, b) => b.plans - a.plans)[0];
  if (disk) {
    const per = (mb: number) => r1((mb * 1000) / disk.plans);
    const total = (disk.diskPlansMB ?? 0) + (disk.diskIndexMB ?? 0);
    rows.push({
      section: 'library',
      what: 'library size on disk per 1,000 plans',
      value: per(total),
      unit: 'MB',
      note: `Chromium IndexedDB folder growth at ${thousands(disk.plans)} plans (~${Math.round(disk.chars / disk.plans / 1000)}k chars each): plans ${per(disk.diskPlansMB ?? 0)} + search index ${per(disk.diskIndexMB ?? 0)} MB`,
    });
  }
  for (const x of failures) rows.push({ section: x.section, what: `${x.section} section`, value: null, unit: '', note: `FAILED: ${x.error.slice(0, 160)}` });
  return rows;
}

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}

/** The rows as one plain-text table (a header line, a rule, a line per figure). */
export function formatTable(rows: FigureRow[]): string {
  const cells = rows.map((r) => [r.section, r.what, r.value === null ? '—' : String(r.value), r.unit, r.note]);
  const head = ['section', 'what', 'value', 'unit', 'target / ratio'];
  const widths = head.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]))));
  const pad = (s: string, i: number) => (i === 2 ? ' '.repeat(widths[i] - width(s)) + s : s + ' '.repeat(widths[i] - width(s)));
  const line = (c: string[]) => c.map((s, i) => (i === c.length - 1 ? s : pad(s, i))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
