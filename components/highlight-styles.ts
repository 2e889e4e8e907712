// CSS of the highlight UI (toolbar, editor, list, the drawer under the panel) and of highlight marks in the
// reader page. Uses the panel's and popup's custom properties (--pl-bg, --pl-line…) from their .pl-root.

const Z_MAX = 2147483647;
const PANEL_WIDTH = 380; // components/panel-styles.ts

/** Swatch and mark colours: the same as the page's ::highlight() colours (lib/page/page-marks.ts). */
export const HIGHLIGHT_FILLS: Record<string, string> = {
  yellow: 'rgba(255,213,0,.45)',
  green: 'rgba(76,175,80,.32)',
  blue: 'rgba(66,135,245,.30)',
  pink: 'rgba(236,72,153,.28)',
};
const SOLID: Record<string, string> = { yellow: '#f2c200', green: '#4caf50', blue: '#4287f5', pink: '#ec4899' };

const swatches = Object.keys(SOLID)
  .map((c) => `.pl-hl-swatch-${c} { background: ${SOLID[c]}; }`)
  .join('\n');

/** For the shadow roots (overlay, reader panel) and the popup document. */
export const HIGHLIGHT_UI_CSS = `
${swatches}
.pl-hl-swatches { display: inline-flex; gap: 6px; align-items: center; }
.pl-hl-swatch {
  width: 20px; height: 20px; border-radius: 50%; padding: 0; cursor: pointer;
  border: 2px solid rgba(0,0,0,.12); flex: none;
}
.pl-hl-swatch[aria-pressed="true"] { border-color: var(--pl-fg, #1f2328); box-shadow: 0 0 0 2px var(--pl-bg, #fff) inset; }
.pl-hl-swatch:disabled { opacity: .5; cursor: default; }
.pl-hl-dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; flex: none; }

.pl-hl-toolbar {
  position: fixed; z-index: ${Z_MAX};
  display: flex; align-items: center; gap: 8px;
  padding: 6px 8px;
  background: var(--pl-bg); color: var(--pl-fg);
  border: 1px solid var(--pl-line); border-radius: 8px;
  box-shadow: 0 4px 16px rgba(0,0,0,.18);
  font-size: 13px;
}
.pl-hl-create {
  display: inline-flex; align-items: center; gap: 6px;
  padding: 3px 10px; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--pl-line); background: var(--pl-soft); color: var(--pl-fg); font: inherit;
}
.pl-hl-create:hover:not(:disabled) { border-color: var(--pl-link); }
.pl-hl-editor { flex-direction: column; align-items: stretch; width: 300px; gap: 6px; padding: 8px 10px 10px; max-height: calc(100vh - 16px); overflow-y: auto; }
.pl-hl-editor-head { display: flex; justify-content: space-between; align-items: center; }
.pl-hl-close { border: 0; background: none; font-size: 18px; cursor: pointer; color: var(--pl-muted); }
.pl-hl-editor-quote {
  margin: 0; max-height: 4.8em; overflow: hidden; color: var(--pl-muted); font-size: 12px;
  border-left: 3px solid var(--pl-line); padding-left: 6px;
}
.pl-hl-label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--pl-muted); }
.pl-hl-note-input, .pl-hl-tags-input, .pl-hl-search, .pl-hl-select {
  font: inherit; font-size: 13px; color: var(--pl-fg); background: var(--pl-bg);
  border: 1px solid var(--pl-line); border-radius: 6px; padding: 4px 6px; width: 100%;
}
.pl-hl-note-input { resize: vertical; min-height: 3.6em; }
.pl-hl-select { width: auto; max-width: 160px; }
.pl-hl-editor-actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 2px; }
.pl-hl-button {
  font: inherit; font-size: 12px; padding: 3px 10px; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--pl-line); background: var(--pl-soft); color: var(--pl-fg);
}
.pl-hl-button-primary { background: var(--pl-accent); border-color: var(--pl-accent); color: var(--pl-accent-fg); }
.pl-hl-delete { margin-right: auto; color: var(--pl-accent); background: none; }
.pl-hl-button:disabled { opacity: .5; cursor: default; }

.pl-hl-list { display: flex; flex-direction: column; gap: 6px; }
.pl-hl-filters { display: flex; flex-direction: column; gap: 6px; }
.pl-hl-filter-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.pl-hl-items { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.pl-hl-item { border: 1px solid var(--pl-line); border-radius: 6px; padding: 6px 8px; background: var(--pl-bg); }
.pl-hl-item-main { display: flex; gap: 6px; align-items: baseline; }
.pl-hl-quote {
  flex: 1 1 auto; text-align: left; font: inherit; color: var(--pl-fg); quotes: none;
  background: none; border: 0; padding: 0; margin: 0;
}
button.pl-hl-quote { cursor: pointer; }
button.pl-hl-quote:hover { color: var(--pl-link); text-decoration: underline; }
.pl-hl-plan { margin: 2px 0 0 16px; font-size: 12px; color: var(--pl-muted); }
/* A long note is clamped in the list (the editor shows all of it), so one note cannot push the rest away. */
.pl-hl-note {
  margin: 4px 0 0 16px; white-space: pre-wrap; font-size: 13px;
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 6; line-clamp: 6; overflow: hidden;
}
.pl-hl-tags { margin: 4px 0 0 16px; display: flex; flex-wrap: wrap; gap: 4px; }
.pl-hl-tag { font-size: 12px; color: var(--pl-link); background: var(--pl-soft); border-radius: 4px; padding: 0 4px; }
.pl-hl-item-actions { display: flex; gap: 10px; margin: 2px 0 0 16px; }
.pl-hl-item-actions .pl-link { font: inherit; font-size: 12px; background: none; border: 0; padding: 0; cursor: pointer; color: var(--pl-link); }
.pl-hl-item-actions .pl-hl-item-delete { color: var(--pl-muted); }
.pl-hl-item-edit { display: flex; flex-direction: column; gap: 4px; margin-top: 4px; }
.pl-hl-empty { color: var(--pl-muted); margin: 4px 0; }
.pl-hl-orphans { margin-top: 8px; padding-top: 6px; border-top: 1px dashed var(--pl-line); }
.pl-hl-orphans-title { font-size: 13px; margin: 0; }
.pl-hl-orphans-hint { font-size: 12px; color: var(--pl-muted); margin: 2px 0 6px; }

/* The drawer under the side panel: a bar with the count, the list above it when open. */
.pl-hl-drawer {
  position: fixed; right: 0; bottom: 0; width: ${PANEL_WIDTH}px; max-width: 100vw; z-index: ${Z_MAX};
  display: flex; flex-direction: column-reverse;
  background: var(--pl-bg); color: var(--pl-fg); border-left: 1px solid var(--pl-line); border-top: 1px solid var(--pl-line);
  box-shadow: 0 -2px 10px rgba(0,0,0,.08);
}
.pl-hl-drawer-bar {
  display: flex; justify-content: space-between; align-items: center; gap: 8px;
  padding: 6px 16px; font: inherit; font-weight: 600; cursor: pointer;
  background: var(--pl-soft); color: var(--pl-fg); border: 0; width: 100%; text-align: left;
}
.pl-hl-drawer-body { max-height: 45vh; overflow-y: auto; overscroll-behavior: contain; padding: 8px 16px 12px; }
.pl-hl-drawer-status { font-weight: normal; font-size: 12px; color: var(--pl-muted); }
/* The panel's own list scrolls clear of the drawer bar. */
.pl-panel .pl-body { padding-bottom: 56px; }

/* Popup tabs */
.pl-tabs { display: flex; gap: 0; border-bottom: 1px solid var(--pl-line); padding: 0 12px; }
.pl-tabs button {
  font: inherit; background: none; border: 0; border-bottom: 2px solid transparent; padding: 6px 12px; cursor: pointer; color: var(--pl-muted);
}
.pl-tabs button[aria-selected="true"] { color: var(--pl-fg); border-bottom-color: var(--pl-accent); font-weight: 600; }
.pl-hl-popup { display: flex; flex-direction: column; gap: 8px; padding: 8px 12px 12px; overflow-y: auto; min-height: 0; flex: 1 1 auto; }
.pl-hl-popup-actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.pl-hl-popup-actions input[type=file] { display: none; }
.pl-hl-popup-note { margin: 0; font-size: 12px; color: var(--pl-muted); }
`;

/** For the reader page's document: highlights rendered as <mark class="pl-hl pl-hl-COLOR">. */
export const READER_HIGHLIGHT_CSS = `
${Object.keys(HIGHLIGHT_FILLS)
  .map((c) => `mark.pl-hl-${c} { background-color: ${HIGHLIGHT_FILLS[c]}; }`)
  .join('\n')}
mark.pl-hl { color: inherit; cursor: pointer; border-radius: 2px; }
mark.pl-hl.pl-flash { outline: 2px solid #f2c200; }
`;
