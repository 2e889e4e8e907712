// The panel's state on a live page or in the reader: cross-references load, saving, collapse, current clause.
import { useEffect, useState } from 'preact/hooks';
import { Panel } from './Panel';
import type { CitationView, RelatedView } from './view-model';
import type { ExtractedDoc } from '../lib/types';
import type { Locale } from '../lib/i18n/messages';
import { t } from '../lib/i18n/messages';

export interface Lookup {
  savedPlanId: string | null;
  citations: CitationView[];
  related: Record<string, RelatedView[]>;
}

/** What the panel needs from its surroundings (messaging, page scrolling, storage): injected, so it tests without a browser. */
export interface OverlayBridge {
  lookup(doc: ExtractedDoc): Promise<Lookup>;
  save?(doc: ExtractedDoc): Promise<{ planId: string }>;
  openPlan(planId: string, clauseId?: string): void;
  scrollToClause(clauseId: string): void;
  scrollToCitation(index: number): void;
  loadCollapsed(): Promise<boolean>;
  storeCollapsed(collapsed: boolean): void;
  /** Calls back with the clause being read; returns an unsubscribe function. */
  watchCurrentClause(cb: (clauseId: string | null) => void): () => void;
  /** Calls back when the toolbar/shortcut toggle arrives; returns an unsubscribe function. */
  watchToggle(cb: () => void): () => void;
}

export interface OverlayAppProps {
  doc: ExtractedDoc;
  bridge: OverlayBridge;
  locale: Locale;
  mode: 'page' | 'reader';
  /** Known lookup (the reader page gets it with the plan). */
  initial?: Lookup;
  /** Called once the lookup is known (the page marks citations from it). */
  onLookup?(lookup: Lookup): void;
  /** Receives the save action, so the popup's Save button does what the panel's does. */
  registerSave?(save: () => Promise<void>): void;
}

export function OverlayApp({ doc, bridge, locale, mode, initial, onLookup, registerSave }: OverlayAppProps) {
  const [lookup, setLookup] = useState<Lookup>(initial ?? { savedPlanId: null, citations: [], related: {} });
  const [collapsed, setCollapsed] = useState(false);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [current, setCurrent] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void bridge.loadCollapsed().then((c) => live && setCollapsed(c));
    if (!initial) {
      bridge
        .lookup(doc)
        .then((l) => {
          if (!live) return;
          setLookup(l);
          onLookup?.(l);
        })
        .catch(() => live && setStatus(t(locale, 'status.lookupFailed')));
    } else onLookup?.(initial);
    const offClause = bridge.watchCurrentClause(setCurrent);
    const offToggle = bridge.watchToggle(() =>
      setCollapsed((c) => {
        bridge.storeCollapsed(!c);
        return !c;
      }),
    );
    return () => {
      live = false;
      offClause();
      offToggle();
    };
  }, [doc]);

  const onSave = async () => {
    if (!bridge.save) return;
    setSaving(true);
    setStatus(null);
    try {
      const { planId } = await bridge.save(doc);
      // Saving can resolve citations of other plans to this one, and this one's own: look again.
      const fresh = await bridge.lookup(doc);
      setLookup({ ...fresh, savedPlanId: planId });
      onLookup?.({ ...fresh, savedPlanId: planId });
      setStatus(t(locale, 'status.saved'));
    } catch {
      setStatus(t(locale, 'status.saveFailed'));
    } finally {
      setSaving(false);
    }
  };

  registerSave?.(onSave);

  return (
    <Panel
      doc={doc}
      citations={lookup.citations}
      related={lookup.related}
      locale={locale}
      savedPlanId={lookup.savedPlanId}
      saving={saving}
      currentClauseId={current}
      collapsed={collapsed}
      mode={mode}
      status={status}
      onToggle={() => {
        bridge.storeCollapsed(!collapsed);
        setCollapsed(!collapsed);
      }}
      onSave={onSave}
      onSelectClause={(id) => {
        setCurrent(id);
        bridge.scrollToClause(id);
      }}
      onOpenPlan={(planId, clauseId) => bridge.openPlan(planId, clauseId)}
      onSelectCitation={(i) => bridge.scrollToCitation(i)}
    />
  );
}
