// The panel's state on a live page or in the reader: cross-references load, saving, collapse, current clause,
// and the reader's highlights: re-anchored on this text, painted, listed (orphans apart), made and edited.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Panel } from './Panel';
import type { CitationView, RelatedView } from './view-model';
import type { ExtractedDoc } from '../lib/types';
import type { Locale } from '../lib/i18n/messages';
import { t } from '../lib/i18n/messages';
import type { HighlightRow } from '../lib/library/db';
import type { CreateHighlightRequest } from '../lib/messages/protocol';
import type { Selector } from '../lib/highlights/selectors';
import { anchorAll } from '../lib/highlights/anchor';
import { clauseIdAt, DEFAULT_COLOR, type HighlightChanges, type HighlightColor } from '../lib/highlights/model';
import { HighlightToolbar, type AnchorRect } from './HighlightToolbar';
import { HighlightList } from './HighlightList';
import { ht } from './highlight-strings';

export interface Lookup {
  savedPlanId: string | null;
  citations: CitationView[];
  related: Record<string, RelatedView[]>;
}

/** A highlight placed in this document's text, to paint. */
export interface PlacedHighlight {
  id: string;
  color: string;
  start: number;
  end: number;
}

/** What is selected, as a selector in this document's text, and where it is on screen. */
export interface SelectionInfo {
  selector: Selector;
  rect: AnchorRect;
}

/** Highlights' side of the surroundings: the library (through messages) and the page or reader DOM. */
export interface HighlightBridge {
  /** The plan's live highlights. */
  list(planId: string): Promise<HighlightRow[]>;
  /** planId null: the background saves `doc` first and says so (savedPlan). */
  create(req: Omit<CreateHighlightRequest, 'type' | 'note' | 'tags'>): Promise<{ highlight: HighlightRow; planId: string; savedPlan: boolean }>;
  update(id: string, changes: HighlightChanges): Promise<unknown>;
  remove(id: string): Promise<unknown>;
  /** Paints the placed highlights (replacing earlier paint); returns the ids it found no text for. */
  paint(items: PlacedHighlight[]): { missing: string[] } | void;
  scrollTo(id: string): void;
  /** Where a painted highlight is on screen now. */
  rectOf(id: string): AnchorRect | null;
  /** The current selection in the document text, or null (nothing selected, or outside the text). */
  currentSelection(): SelectionInfo | null;
  clearSelection(): void;
  /** Calls back as the selection changes (null: none); returns an unsubscribe function. */
  watchSelection(cb: (s: SelectionInfo | null) => void): () => void;
  /** A painted highlight was clicked. */
  watchClick(cb: (id: string, rect: AnchorRect) => void): () => void;
  /** Highlights of a plan changed elsewhere (another tab, the popup). */
  watchChanges(cb: (planId: string) => void): () => void;
  /** The context menu or keyboard shortcut asked to highlight the selection. */
  watchCommand(cb: () => void): () => void;
  /** The mouse went down outside our UI (the editor closes). */
  watchOutside?(cb: () => void): () => void;
  /** The page scrolled or resized (positions of the toolbar move). */
  watchViewport?(cb: () => void): () => void;
  /** Reports what is painted (the overlay exposes counts on its host element). */
  reportPainted?(painted: number, orphaned: number): void;
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
  /** Absent: no highlights here. */
  highlights?: HighlightBridge;
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
  /** A standing note shown in the status line when nothing else is (e.g. only the start of a giant page was read). */
  notice?: string | null;
}

export function OverlayApp({ doc, bridge, locale, mode, initial, onLookup, registerSave, notice }: OverlayAppProps) {
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

  /** Saving can resolve citations of other plans to this one, and this one's own: look again. */
  const afterSaved = async (planId: string) => {
    setLookup((l) => ({ ...l, savedPlanId: planId }));
    const fresh = await bridge.lookup(doc);
    setLookup({ ...fresh, savedPlanId: planId });
    onLookup?.({ ...fresh, savedPlanId: planId });
  };

  const onSave = async () => {
    if (!bridge.save) return;
    setSaving(true);
    setStatus(null);
    try {
      const { planId } = await bridge.save(doc);
      await afterSaved(planId);
      setStatus(t(locale, 'status.saved'));
    } catch {
      setStatus(t(locale, 'status.saveFailed'));
    } finally {
      setSaving(false);
    }
  };

  registerSave?.(onSave);

  const hl = useHighlights(doc, bridge.highlights, lookup.savedPlanId, locale, afterSaved, setStatus);

  const panel = (
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
      status={status ?? notice ?? null}
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
  if (!bridge.highlights) return panel;
  return (
    <>
      {panel}
      {!collapsed && hl.drawer}
      {hl.toolbar}
    </>
  );
}

/** Offsets of each highlight in this text (null: could not be placed), recomputed when either changes. */
function placeAll(text: string, rows: HighlightRow[]): { placed: PlacedHighlight[]; unplaced: string[] } {
  const anchors = rows.length ? anchorAll(text, rows) : [];
  const placed: PlacedHighlight[] = [];
  const unplaced: string[] = [];
  rows.forEach((h, i) => {
    const a = anchors[i];
    if (a) placed.push({ id: h.id, color: h.color, start: a.start, end: a.end });
    else unplaced.push(h.id);
  });
  return { placed, unplaced };
}

/**
 * The highlights of the plan shown: fetched (again when they change anywhere), placed and painted, the
 * selection toolbar, the editor of a clicked highlight, and the list drawer.
 */
function useHighlights(
  doc: ExtractedDoc,
  hb: HighlightBridge | undefined,
  planId: string | null,
  locale: Locale,
  afterSaved: (planId: string) => Promise<void>,
  setStatus: (s: string | null) => void,
) {
  const [rows, setRows] = useState<HighlightRow[]>([]);
  const [missing, setMissing] = useState<string[]>([]);
  const [selection, setSelection] = useState<SelectionInfo | null>(null);
  const [editing, setEditing] = useState<{ id: string; rect: AnchorRect } | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const planRef = useRef(planId);
  planRef.current = planId;
  // The latest handlers for subscriptions made once.
  const createRef = useRef<(color: HighlightColor, sel: SelectionInfo | null) => Promise<void>>(async () => undefined);

  const refresh = async (id: string | null = planRef.current) => {
    if (!hb || !id) return;
    try {
      const list = await hb.list(id);
      if (planRef.current === id || planRef.current === null) setRows(list);
    } catch {
      // The library is unreachable for now: what is painted stays.
    }
  };

  const shownPlan = useRef(planId);
  useEffect(() => {
    if (!hb) return undefined;
    // Another plan (the reader followed a link): its highlights, not the last one's. Saving keeps them.
    if (shownPlan.current && shownPlan.current !== planId) setRows([]);
    shownPlan.current = planId;
    void refresh(planId);
    return hb.watchChanges((changed) => {
      if (changed === planRef.current) void refresh(changed);
    });
  }, [hb, planId]);

  const { placed, unplaced } = useMemo(() => placeAll(doc.text, rows), [doc.text, rows]);
  useEffect(() => {
    if (!hb) return;
    const result = hb.paint(placed);
    const gone = result ? result.missing : [];
    setMissing(gone);
    hb.reportPainted?.(placed.length - gone.length, unplaced.length + gone.length);
  }, [hb, placed]);

  createRef.current = async (color, sel) => {
    if (!hb) return;
    if (!sel) {
      setStatus(ht(locale, 'hl.noSelection'));
      return;
    }
    setBusy(true);
    try {
      const current = planRef.current;
      const res = await hb.create({
        planId: current,
        doc: current ? null : doc,
        url: doc.url,
        selector: sel.selector,
        clauseId: clauseIdAt(doc.clauses ?? [], sel.selector.start),
        color,
      });
      hb.clearSelection();
      setSelection(null);
      planRef.current = res.planId;
      setRows((r) => [...r.filter((h) => h.id !== res.highlight.id), res.highlight]);
      setEditing({ id: res.highlight.id, rect: sel.rect });
      setStatus(ht(locale, 'hl.saved'));
      if (res.savedPlan) await afterSaved(res.planId);
    } catch {
      setStatus(ht(locale, 'hl.failed'));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!hb) return undefined;
    const offs = [
      hb.watchSelection((s) => {
        setSelection(s);
        if (s) setEditing(null);
      }),
      hb.watchClick((id, rect) => {
        setSelection(null);
        setEditing({ id, rect });
      }),
      hb.watchCommand(() => void createRef.current(DEFAULT_COLOR, hb.currentSelection())),
      hb.watchOutside?.(() => setEditing(null)) ?? (() => undefined),
      hb.watchViewport?.(() => {
        setEditing((e) => {
          const rect = e && hb.rectOf(e.id);
          return e && rect ? { ...e, rect } : e;
        });
      }) ?? (() => undefined),
    ];
    return () => offs.forEach((off) => off());
  }, [hb]);

  if (!hb) return { toolbar: null, drawer: null };

  const edit = async (id: string, changes: HighlightChanges) => {
    setRows((r) => r.map((h) => (h.id === id ? { ...h, ...changes } : h)));
    try {
      await hb.update(id, changes);
    } catch {
      setStatus(ht(locale, 'hl.failed'));
    }
    void refresh();
  };
  const remove = async (id: string) => {
    setRows((r) => r.filter((h) => h.id !== id));
    setEditing((e) => (e?.id === id ? null : e));
    try {
      await hb.remove(id);
    } catch {
      setStatus(ht(locale, 'hl.failed'));
    }
    void refresh();
  };

  const edited = editing ? rows.find((h) => h.id === editing.id) : undefined;
  let toolbar = null;
  if (edited && editing) {
    toolbar = (
      <HighlightToolbar
        locale={locale}
        rect={editing.rect}
        mode="edit"
        highlight={edited}
        busy={busy}
        onPick={(color) => void edit(edited.id, { color })}
        onSave={(changes) => {
          void edit(edited.id, changes);
          setEditing(null);
        }}
        onDelete={() => void remove(edited.id)}
        onClose={() => setEditing(null)}
      />
    );
  } else if (selection) {
    toolbar = (
      <HighlightToolbar
        locale={locale}
        rect={selection.rect}
        mode="create"
        busy={busy}
        onPick={(color) => void createRef.current(color, selection)}
        onClose={() => setSelection(null)}
      />
    );
  }

  const orphanedIds = new Set([...unplaced, ...missing]);
  const drawer = (
    <div class="pl-root pl-hl-drawer" data-testid="pl-hl-drawer" data-open={open ? 'true' : 'false'} data-count={rows.length} data-orphaned={orphanedIds.size} lang={locale}>
      <button type="button" class="pl-hl-drawer-bar" data-testid="pl-hl-drawer-toggle" aria-expanded={open ? 'true' : 'false'} onClick={() => setOpen(!open)}>
        <span>{ht(locale, 'hl.show', { count: rows.length })}</span>
        {orphanedIds.size > 0 && <span class="pl-hl-drawer-status">{ht(locale, 'hl.orphaned', { count: orphanedIds.size })}</span>}
        <span aria-hidden="true">{open ? '▾' : '▴'}</span>
      </button>
      {open && (
        <div class="pl-hl-drawer-body">
          <HighlightList
            locale={locale}
            rows={rows}
            orphanedIds={orphanedIds}
            onJump={(h) => hb.scrollTo(h.id)}
            onUpdate={(h, changes) => void edit(h.id, changes)}
            onDelete={(h) => void remove(h.id)}
          />
        </div>
      )}
    </div>
  );
  return { toolbar, drawer };
}
