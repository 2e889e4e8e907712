// The library page: import many files with progress (all-or-nothing), export everything, list and delete plans.
import { useEffect, useState } from 'preact/hooks';
import type { ExtractedDoc } from '../lib/types';
import type { Locale } from '../lib/i18n/messages';
import { t } from '../lib/i18n/messages';

interface PlanSummary {
  id: string;
  title: string | null;
  docNumberKey: string | null;
  issuers: string[];
  published: string | null;
  written: string | null;
}

export interface LibraryPageProps {
  locale: Locale;
  ask<T>(message: unknown): Promise<T>;
  extract(name: string, bytes: Uint8Array): ExtractedDoc;
  openPlan(planId: string): void;
}

type ImportItem = { name: string; doc: ExtractedDoc } | { name: string; library: unknown };

/** Reads and extracts every file before anything is written; the first bad file stops the import, named. */
export async function prepareImport(
  files: Array<{ name: string; bytes(): Promise<Uint8Array> }>,
  extract: LibraryPageProps['extract'],
  onProgress: (done: number, total: number) => void,
): Promise<ImportItem[]> {
  const items: ImportItem[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    const bytes = await f.bytes();
    if (/\.json$/i.test(f.name)) {
      let data: unknown;
      try {
        data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch (e) {
        throw new Error(`${f.name}: not a valid JSON file (${(e as Error).message})`);
      }
      items.push({ name: f.name, library: data });
    } else {
      try {
        items.push({ name: f.name, doc: extract(f.name, bytes) });
      } catch (e) {
        const message = (e as Error).message;
        throw new Error(message.startsWith(f.name) ? message : `${f.name}: ${message}`);
      }
    }
    onProgress(i + 1, files.length);
    // Let the progress bar paint between files.
    await new Promise((r) => setTimeout(r, 0));
  }
  return items;
}

export function LibraryPage({ locale, ask, extract, openPlan }: LibraryPageProps) {
  const [plans, setPlans] = useState<PlanSummary[] | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const reload = () => ask<PlanSummary[]>({ type: 'listPlans', orderBy: 'savedAt', limit: 500 }).then(setPlans);
  useEffect(() => void reload(), []);

  const onFiles = async (list: FileList | null) => {
    if (!list || !list.length) return;
    setMessage(null);
    const files = Array.from(list).map((f) => ({ name: f.name, bytes: async () => new Uint8Array(await f.arrayBuffer()) }));
    try {
      setProgress({ done: 0, total: files.length });
      const items = await prepareImport(files, extract, (done, total) => setProgress({ done, total }));
      const counts = await ask<{ plans: number; highlights: number }>({ type: 'importItems', items });
      setMessage({ text: t(locale, 'library.imported', { plans: counts.plans, highlights: counts.highlights }), error: false });
      await reload();
    } catch (e) {
      setMessage({ text: t(locale, 'library.importFailed', { reason: (e as Error).message }), error: true });
    } finally {
      setProgress(null);
    }
  };

  const onExport = async () => {
    const data = await ask<unknown>({ type: 'exportLibrary' });
    const blob = new Blob([JSON.stringify(data)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `policy-lens-library-${new Date().toISOString().slice(0, 10)}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const onDelete = async (id: string) => {
    await ask({ type: 'deletePlan', planId: id });
    await reload();
  };

  return (
    <main class="pl-library" data-testid="pl-library">
      <h1>{t(locale, 'library.title')}</h1>
      <p>{plans ? t(locale, 'library.count', { count: plans.length }) : ''}</p>
      <section class="pl-library-actions">
        <label class="pl-import">
          <span>{t(locale, 'library.import')}</span>
          <input
            type="file"
            multiple
            accept=".html,.htm,.txt,.json"
            data-testid="pl-import-input"
            onChange={(e) => void onFiles((e.currentTarget as HTMLInputElement).files)}
          />
        </label>
        <small>{t(locale, 'library.importHint')}</small>
        <button type="button" onClick={() => void onExport()} data-testid="pl-export">
          {t(locale, 'library.export')}
        </button>
      </section>
      {progress && (
        <p>
          <progress value={progress.done} max={progress.total} data-testid="pl-import-progress" />{' '}
          {t(locale, 'library.reading', progress)}
        </p>
      )}
      {message && (
        <p role="status" class={message.error ? 'pl-error' : 'pl-ok'} data-testid="pl-import-message">
          {message.text}
        </p>
      )}
      {plans && !plans.length && <p>{t(locale, 'library.empty')}</p>}
      <ul class="pl-plan-list">
        {(plans ?? []).map((p) => (
          <li key={p.id} data-testid="pl-plan" data-plan-id={p.id}>
            <button type="button" class="pl-link" onClick={() => openPlan(p.id)}>
              {p.title ?? p.id}
            </button>
            <span class="pl-plan-meta">
              {[p.docNumberKey, p.issuers.join('、'), p.published ?? p.written].filter(Boolean).join(' · ')}
            </span>
            <button type="button" class="pl-delete" onClick={() => void onDelete(p.id)}>
              {t(locale, 'library.delete')}
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
