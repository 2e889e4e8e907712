// The small toolbar by a selection (four colour swatches: one click highlights) and, for a highlight that
// exists, its editor: colour, note, tags, delete. Positioned from a client rectangle, inside our shadow root.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Locale } from '../lib/i18n/messages';
import { HIGHLIGHT_COLORS, parseTags, type HighlightChanges, type HighlightColor } from '../lib/highlights/model';
import { colorName, ht } from './highlight-strings';

/** Viewport rectangle (client coordinates) the toolbar sits by. */
export interface AnchorRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface EditedHighlight {
  id: string;
  color: string;
  note: string;
  tags: string[];
  quote: string;
}

export interface HighlightToolbarProps {
  locale: Locale;
  rect: AnchorRect;
  /** create: swatches for the selection; edit: the editor of `highlight`. */
  mode: 'create' | 'edit';
  highlight?: EditedHighlight;
  busy?: boolean;
  /** create: highlight the selection in this colour; edit: recolour. */
  onPick(color: HighlightColor): void;
  onSave?(changes: HighlightChanges): void;
  onDelete?(): void;
  onClose(): void;
}

const GAP = 8;
const SIZE = { create: { width: 190, height: 40 }, edit: { width: 300, height: 250 } };

/** Where the box goes: below the rectangle, or above it when there is no room below; kept on screen. */
export function toolbarPosition(
  rect: AnchorRect,
  box: { width: number; height: number },
  viewport: { width: number; height: number },
): { left: number; top: number } {
  const left = Math.max(GAP, Math.min(rect.left, viewport.width - box.width - GAP));
  const below = rect.bottom + GAP;
  const top = below + box.height <= viewport.height - GAP ? below : Math.max(GAP, rect.top - box.height - GAP);
  return { left: Math.round(left), top: Math.round(top) };
}

function Swatches({ locale, current, onPick, disabled }: { locale: Locale; current?: string; onPick(c: HighlightColor): void; disabled?: boolean }) {
  return (
    <div class="pl-hl-swatches" role="group" aria-label={ht(locale, 'hl.filterColor')}>
      {HIGHLIGHT_COLORS.map((c) => (
        <button
          key={c}
          type="button"
          class={`pl-hl-swatch pl-hl-swatch-${c}`}
          data-testid="pl-hl-swatch"
          data-color={c}
          disabled={disabled}
          aria-pressed={current ? (current === c ? 'true' : 'false') : undefined}
          aria-label={ht(locale, 'hl.create', { color: colorName(locale, c) })}
          title={ht(locale, 'hl.create', { color: colorName(locale, c) })}
          onClick={() => onPick(c)}
        />
      ))}
    </div>
  );
}

export function HighlightToolbar(props: HighlightToolbarProps) {
  const { locale, rect, mode, highlight } = props;
  const [note, setNote] = useState(highlight?.note ?? '');
  const [tags, setTags] = useState((highlight?.tags ?? []).join(' '));
  const box = useRef<HTMLDivElement>(null);
  // Placed by its real size once drawn (the estimate is for the first frame).
  const [size, setSize] = useState(SIZE[mode]);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && el.offsetHeight && (el.offsetHeight !== size.height || el.offsetWidth !== size.width)) {
      setSize({ width: el.offsetWidth, height: el.offsetHeight });
    }
  });
  // A different highlight opened in the same editor: show its note and tags.
  useEffect(() => {
    setNote(highlight?.note ?? '');
    setTags((highlight?.tags ?? []).join(' '));
  }, [highlight?.id]);
  const vw = typeof innerWidth === 'number' ? innerWidth : 1024;
  const vh = typeof innerHeight === 'number' ? innerHeight : 768;
  const pos = toolbarPosition(rect, size, { width: vw, height: vh });
  const save = () => props.onSave?.({ note, tags: parseTags(tags) });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      props.onClose();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && mode === 'edit') {
      e.preventDefault();
      save();
    }
  };
  // Pressing a button must not take the page's selection away (it is what gets highlighted).
  const keepSelection = (e: MouseEvent) => {
    const el = e.target as HTMLElement | null;
    if (!el?.closest?.('textarea,input')) e.preventDefault();
  };
  const style = `left:${pos.left}px;top:${pos.top}px`;
  if (mode === 'create') {
    return (
      <div ref={box} class="pl-root pl-hl-toolbar" data-testid="pl-hl-toolbar" data-mode="create" role="toolbar" aria-label={ht(locale, 'hl.toolbar')} lang={locale} style={style} onMouseDown={keepSelection} onKeyDown={onKeyDown}>
        <button type="button" class="pl-hl-create" data-testid="pl-hl-create" disabled={props.busy} onClick={() => props.onPick(HIGHLIGHT_COLORS[0])}>
          <span class="pl-hl-dot pl-hl-swatch-yellow" aria-hidden="true" />
          {ht(locale, 'hl.tab')}
        </button>
        <Swatches locale={locale} onPick={props.onPick} disabled={props.busy} />
      </div>
    );
  }
  return (
    <div ref={box} class="pl-root pl-hl-toolbar pl-hl-editor" data-testid="pl-hl-editor" data-mode="edit" data-highlight-id={highlight?.id} role="dialog" aria-label={ht(locale, 'hl.edit')} lang={locale} style={style} onMouseDown={keepSelection} onKeyDown={onKeyDown}>
      <div class="pl-hl-editor-head">
        <Swatches locale={locale} current={highlight?.color} onPick={props.onPick} disabled={props.busy} />
        <button type="button" class="pl-icon-button pl-hl-close" data-testid="pl-hl-close" aria-label={ht(locale, 'hl.close')} title={ht(locale, 'hl.close')} onClick={props.onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {highlight && <p class="pl-hl-editor-quote">{highlight.quote}</p>}
      <label class="pl-hl-label">
        <span>{ht(locale, 'hl.note')}</span>
        <textarea
          class="pl-hl-note-input"
          data-testid="pl-hl-note"
          rows={3}
          maxLength={10_000}
          placeholder={ht(locale, 'hl.notePlaceholder')}
          value={note}
          onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
        />
      </label>
      <label class="pl-hl-label">
        <span>{ht(locale, 'hl.tags')}</span>
        <input
          class="pl-hl-tags-input"
          data-testid="pl-hl-tags"
          maxLength={500}
          placeholder={ht(locale, 'hl.tagsPlaceholder')}
          value={tags}
          onInput={(e) => setTags((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.isComposing) {
              e.preventDefault();
              save();
            }
          }}
        />
      </label>
      <div class="pl-hl-editor-actions">
        <button type="button" class="pl-hl-button pl-hl-delete" data-testid="pl-hl-delete" disabled={props.busy} onClick={props.onDelete}>
          {ht(locale, 'hl.delete')}
        </button>
        <button type="button" class="pl-hl-button pl-hl-button-primary" data-testid="pl-hl-save" disabled={props.busy} onClick={save}>
          {ht(locale, 'hl.save')}
        </button>
      </div>
    </div>
  );
}
