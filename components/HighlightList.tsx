// A list of highlights: search, filters (colour, tag, plan), jump, edit the note and tags, delete; and an
// "orphaned" section for highlights that could not be placed in the text, shown with their text and note.
// Everything page-derived is rendered as text. Also the sync status line shown above such a list.
import { useEffect, useState } from 'preact/hooks';
import type { Locale } from '../lib/i18n/messages';
import type { HighlightRow } from '../lib/library/db';
import type { SyncReport } from '../lib/sync/types';
import {
  HIGHLIGHT_COLORS,
  isHighlightColor,
  matchesFilter,
  parseTags,
  tagsOf,
  type HighlightChanges,
  type HighlightColor,
  type HighlightFilter,
} from '../lib/highlights/model';
import { colorName, ht } from './highlight-strings';

/** What the reader set in the list's filter row. Empty strings: no filter. */
export interface ListFilter {
  text: string;
  color: HighlightColor | '';
  tag: string;
  planId: string;
}

export const emptyListFilter = (): ListFilter => ({ text: '', color: '', tag: '', planId: '' });

/** The library filter a list filter stands for. */
export function toHighlightFilter(f: ListFilter): HighlightFilter {
  return {
    ...(f.text.trim() ? { text: f.text } : {}),
    ...(f.color ? { color: f.color } : {}),
    ...(f.tag ? { tag: f.tag } : {}),
    ...(f.planId ? { planId: f.planId } : {}),
  };
}

export interface HighlightListProps {
  locale: Locale;
  rows: readonly HighlightRow[];
  /** Ids of rows that could not be placed in the text (listed apart, never dropped). */
  orphanedIds?: ReadonlySet<string>;
  /** Plan titles by id: given, the list shows each row's plan and a plan filter. */
  plans?: Readonly<Record<string, { title: string | null }>>;
  /** Rows are already filtered by the caller (the library searched them): do not filter again. */
  prefiltered?: boolean;
  /** Tags to offer in the filter (default: the rows' own). */
  tags?: readonly string[];
  onFilterChange?(f: ListFilter): void;
  onJump?(row: HighlightRow): void;
  onUpdate?(row: HighlightRow, changes: HighlightChanges): void;
  onDelete?(row: HighlightRow): void;
  /** A label for the jump action (default: go to). */
  jumpLabel?: string;
}

/** At most `max` code points of a string, with … when cut. */
function clip(s: string, max: number): string {
  const cps = [...s];
  return cps.length > max ? `${cps.slice(0, max).join('')}…` : s;
}

function Item({ row, props, orphaned }: { row: HighlightRow; props: HighlightListProps; orphaned: boolean }) {
  const { locale } = props;
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState(row.note);
  const [tags, setTags] = useState(row.tags.join(' '));
  useEffect(() => {
    setNote(row.note);
    setTags(row.tags.join(' '));
  }, [row.note, row.tags.join('\u0000')]);
  const color = isHighlightColor(row.color) ? row.color : 'yellow';
  const planTitle = props.plans ? (props.plans[row.planId]?.title ?? ht(locale, 'hl.untitled')) : null;
  const save = () => {
    props.onUpdate?.(row, { note, tags: parseTags(tags) });
    setEditing(false);
  };
  return (
    <li class={`pl-hl-item pl-hl-item-${color}`} data-testid="pl-hl-item" data-highlight-id={row.id} data-color={color} data-orphaned={orphaned ? 'true' : 'false'}>
      <div class="pl-hl-item-main">
        <span class={`pl-hl-dot pl-hl-swatch-${color}`} title={colorName(locale, color)} aria-label={colorName(locale, color)} />
        {orphaned || !props.onJump ? (
          <q class="pl-hl-quote" data-testid="pl-hl-quote">{orphaned ? row.quote : clip(row.quote, 160)}</q>
        ) : (
          <button type="button" class="pl-hl-quote pl-hl-jump" data-testid="pl-hl-jump" title={props.jumpLabel ?? ht(locale, 'hl.jump')} onClick={() => props.onJump!(row)}>
            {clip(row.quote, 160)}
          </button>
        )}
      </div>
      {planTitle !== null && <p class="pl-hl-plan" data-testid="pl-hl-plan">{planTitle}</p>}
      {!editing && row.note && <p class="pl-hl-note" data-testid="pl-hl-item-note">{row.note}</p>}
      {!editing && row.tags.length > 0 && (
        <p class="pl-hl-tags">
          {row.tags.map((t) => (
            <span key={t} class="pl-hl-tag">
              #{t}
            </span>
          ))}
        </p>
      )}
      {editing ? (
        <div class="pl-hl-item-edit">
          <textarea
            class="pl-hl-note-input"
            data-testid="pl-hl-item-note-input"
            rows={3}
            maxLength={10_000}
            aria-label={ht(locale, 'hl.note')}
            placeholder={ht(locale, 'hl.notePlaceholder')}
            value={note}
            onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
          />
          <input
            class="pl-hl-tags-input"
            data-testid="pl-hl-item-tags-input"
            maxLength={500}
            aria-label={ht(locale, 'hl.tags')}
            placeholder={ht(locale, 'hl.tagsPlaceholder')}
            value={tags}
            onInput={(e) => setTags((e.currentTarget as HTMLInputElement).value)}
          />
          <div class="pl-hl-editor-actions">
            <button type="button" class="pl-hl-button" onClick={() => setEditing(false)}>
              {ht(locale, 'hl.close')}
            </button>
            <button type="button" class="pl-hl-button pl-hl-button-primary" data-testid="pl-hl-item-save" onClick={save}>
              {ht(locale, 'hl.save')}
            </button>
          </div>
        </div>
      ) : (
        <div class="pl-hl-item-actions">
          {props.onUpdate && (
            <button type="button" class="pl-link" data-testid="pl-hl-item-edit" onClick={() => setEditing(true)}>
              {ht(locale, 'hl.edit')}
            </button>
          )}
          {props.onDelete && (
            <button type="button" class="pl-link pl-hl-item-delete" data-testid="pl-hl-item-delete" onClick={() => props.onDelete!(row)}>
              {ht(locale, 'hl.delete')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

export function HighlightList(props: HighlightListProps) {
  const { locale, rows } = props;
  const [filter, setFilter] = useState<ListFilter>(emptyListFilter);
  const update = (f: Partial<ListFilter>) => {
    const next = { ...filter, ...f };
    setFilter(next);
    props.onFilterChange?.(next);
  };
  const orphanedIds = props.orphanedIds ?? new Set<string>();
  const shown = props.prefiltered ? rows : rows.filter((h) => matchesFilter(h, toHighlightFilter(filter)));
  const placed = shown.filter((h) => !orphanedIds.has(h.id));
  const orphaned = shown.filter((h) => orphanedIds.has(h.id));
  const tags = props.tags ?? tagsOf(rows);
  const planIds = props.plans ? Object.keys(props.plans) : [];
  const filtering = !!(filter.text.trim() || filter.color || filter.tag || filter.planId);
  return (
    <div class="pl-hl-list" data-testid="pl-hl-list" data-count={shown.length}>
      <div class="pl-hl-filters" role="group">
        <input
          type="search"
          class="pl-hl-search"
          data-testid="pl-hl-search"
          maxLength={500}
          aria-label={ht(locale, 'hl.search')}
          placeholder={ht(locale, 'hl.search')}
          value={filter.text}
          onInput={(e) => update({ text: (e.currentTarget as HTMLInputElement).value })}
        />
        <div class="pl-hl-filter-row">
          <div class="pl-hl-swatches" role="group" aria-label={ht(locale, 'hl.filterColor')}>
            {HIGHLIGHT_COLORS.map((c) => (
              <button
                key={c}
                type="button"
                class={`pl-hl-swatch pl-hl-swatch-${c}`}
                data-testid="pl-hl-filter-color"
                data-color={c}
                aria-pressed={filter.color === c ? 'true' : 'false'}
                aria-label={colorName(locale, c)}
                title={colorName(locale, c)}
                onClick={() => update({ color: filter.color === c ? '' : c })}
              />
            ))}
          </div>
          {tags.length > 0 && (
            <select class="pl-hl-select" data-testid="pl-hl-filter-tag" aria-label={ht(locale, 'hl.filterTag')} value={filter.tag} onChange={(e) => update({ tag: (e.currentTarget as HTMLSelectElement).value })}>
              <option value="">{ht(locale, 'hl.allTags')}</option>
              {tags.map((t) => (
                <option key={t} value={t}>
                  #{t}
                </option>
              ))}
            </select>
          )}
          {planIds.length > 1 && (
            <select class="pl-hl-select" data-testid="pl-hl-filter-plan" aria-label={ht(locale, 'hl.filterPlan')} value={filter.planId} onChange={(e) => update({ planId: (e.currentTarget as HTMLSelectElement).value })}>
              <option value="">{ht(locale, 'hl.allPlans')}</option>
              {planIds.map((id) => (
                <option key={id} value={id}>
                  {clip(props.plans![id].title ?? ht(locale, 'hl.untitled'), 40)}
                </option>
              ))}
            </select>
          )}
        </div>
      </div>
      {rows.length === 0 && !filtering && <p class="pl-hl-empty" data-testid="pl-hl-empty">{ht(locale, 'hl.empty')}</p>}
      {shown.length === 0 && (rows.length > 0 || filtering) && <p class="pl-hl-empty">{ht(locale, 'hl.noMatch')}</p>}
      {placed.length > 0 && (
        <ul class="pl-hl-items">
          {placed.map((h) => (
            <Item key={h.id} row={h} props={props} orphaned={false} />
          ))}
        </ul>
      )}
      {orphaned.length > 0 && (
        <section class="pl-hl-orphans" data-testid="pl-hl-orphans">
          <h3 class="pl-hl-orphans-title">{ht(locale, 'hl.orphaned', { count: orphaned.length })}</h3>
          <p class="pl-hl-orphans-hint">{ht(locale, 'hl.orphanedHint')}</p>
          <ul class="pl-hl-items">
            {orphaned.map((h) => (
              <Item key={h.id} row={h} props={props} orphaned />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** A time as the status line shows it: HH:MM today, else the local date and time. */
export function syncTimeText(t: number, now: number = Date.now()): string {
  const d = new Date(t);
  const n = new Date(now);
  const p = (x: number) => String(x).padStart(2, '0');
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}`;
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? hm : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${hm}`;
}

/** The sync status line's text: what the state means for the reader, and when it last synced. */
export function syncStatusText(locale: Locale, r: SyncReport, now: number = Date.now()): { main: string; detail: string | null } {
  const last = r.lastSyncAt !== null ? ht(locale, 'hl.sync.last', { time: syncTimeText(r.lastSyncAt, now) }) : ht(locale, 'hl.sync.never');
  switch (r.state) {
    case 'ok':
      return { main: ht(locale, 'hl.sync.ok'), detail: last };
    case 'quota-full':
      return { main: ht(locale, 'hl.sync.quotaFull', { count: r.unsynced }), detail: `${ht(locale, 'hl.sync.quotaHint')} ${last}` };
    case 'rate-limited':
      return { main: ht(locale, 'hl.sync.rateLimited', { count: r.unsynced }), detail: last };
    case 'error':
      return { main: ht(locale, 'hl.sync.error', { reason: clip(r.message, 120) }), detail: last };
    case 'pending':
      return { main: ht(locale, 'hl.sync.pending'), detail: r.lastSyncAt !== null ? last : null };
    default:
      return { main: ht(locale, 'hl.sync.off'), detail: null };
  }
}

/** One line on highlight sync; a full quota or an error is shown as a warning (role=alert). */
export function SyncStatusLine({ locale, report, now }: { locale: Locale; report: SyncReport; now?: number }) {
  const { main, detail } = syncStatusText(locale, report, now);
  const warn = report.state === 'quota-full' || report.state === 'error';
  // Inline: the line is small and lives in the popup only (the shared stylesheets belong to other views).
  const box = warn
    ? 'margin:0;padding:6px 8px;border-radius:6px;font-size:12px;background:#fdecea;color:#8a1c13;border:1px solid #f3b7b0'
    : 'margin:0;font-size:12px;color:var(--pl-muted)';
  return (
    <div
      style={box}
      class={`pl-hl-sync pl-hl-sync-${report.state}`}
      data-testid="pl-hl-sync"
      data-state={report.state}
      data-unsynced={report.unsynced}
      role={warn ? 'alert' : 'status'}
      title={report.message || undefined}
    >
      <p style={warn ? 'margin:0;font-weight:600' : 'margin:0'} class="pl-hl-sync-main" data-testid="pl-hl-sync-main">{main}</p>
      {detail && <p style="margin:2px 0 0" class="pl-hl-sync-detail" data-testid="pl-hl-sync-detail">{detail}</p>}
    </div>
  );
}
