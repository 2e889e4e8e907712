// The popup's CSS (same palette and type as the side panel), put in the popup document by entrypoints/popup/main.tsx.
import { FONT_FAMILY, LIGHT_PALETTE, ROOT_RULES } from './palette-styles';

const POPUP_WIDTH = 420;
/** Browsers cap an action popup at 600px high; the result list scrolls inside that. */
const POPUP_MAX_HEIGHT = 600;

export const POPUP_CSS = `
html, body { margin: 0; padding: 0; }
body { width: ${POPUP_WIDTH}px; }
.pl-root {${LIGHT_PALETTE}
  font-family: ${FONT_FAMILY};
  font-size: 13px;
  line-height: 1.5;
  color: var(--pl-fg);
  background: var(--pl-bg);
  overflow-wrap: anywhere;
  -webkit-font-smoothing: antialiased;
}${ROOT_RULES}

.pl-popup {
  width: ${POPUP_WIDTH}px;
  max-height: ${POPUP_MAX_HEIGHT}px;
  display: flex;
  flex-direction: column;
}
.pl-popup :focus-visible { outline: 2px solid var(--pl-focus); outline-offset: 1px; }

/* Header: the active tab and its actions */
.pl-popup-header {
  display: flex;
  flex-direction: column;
  gap: 6px;
  padding: 8px 12px;
  border-bottom: 1px solid var(--pl-line);
}
.pl-tab-status { margin: 0; color: var(--pl-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pl-tab-status[data-state="page"] { color: var(--pl-fg); }
.pl-popup-actions { display: flex; gap: 6px; flex-wrap: wrap; }
.pl-button {
  font: inherit;
  font-size: 12px;
  padding: 2px 10px;
  border-radius: 4px;
  border: 1px solid var(--pl-line);
  background: var(--pl-bg);
  color: var(--pl-fg);
  cursor: pointer;
}
.pl-button:hover:not(:disabled) { border-color: var(--pl-link); }
.pl-button:disabled { opacity: 0.5; cursor: default; }
.pl-button-primary { background: var(--pl-accent); border-color: var(--pl-accent); color: var(--pl-accent-fg); }
.pl-popup-note { margin: 0; padding: 4px 12px; background: var(--pl-soft); border-bottom: 1px solid var(--pl-line); }

/* Search box */
.pl-search { padding: 8px 12px 4px; }
.pl-search-input {
  width: 100%;
  font: inherit;
  font-size: 14px;
  padding: 6px 10px;
  border: 1px solid var(--pl-line);
  border-radius: 6px;
  background: var(--pl-bg);
  color: var(--pl-fg);
}
.pl-search-input:focus { outline: none; border-color: var(--pl-focus); box-shadow: 0 0 0 2px color-mix(in srgb, var(--pl-focus) 25%, transparent); }

/* Filter chips */
.pl-filters { padding: 2px 12px 6px; display: flex; flex-direction: column; gap: 3px; border-bottom: 1px solid var(--pl-line); }
.pl-filter-row { display: flex; flex-wrap: wrap; align-items: center; gap: 3px 4px; }
.pl-filter-label { flex: none; min-width: 2.8em; white-space: nowrap; font-size: 12px; color: var(--pl-muted); }
.pl-filter-label-year { width: auto; margin-left: 8px; }
.pl-chip {
  font: inherit;
  font-size: 12px;
  line-height: 18px;
  max-width: 12em;
  padding: 0 7px;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
  border-radius: 10px;
  border: 1px solid var(--pl-line);
  background: var(--pl-soft);
  color: var(--pl-muted);
  cursor: pointer;
}
.pl-chip[aria-pressed="true"] { background: var(--pl-accent); border-color: var(--pl-accent); color: var(--pl-accent-fg); }
.pl-year, .pl-issuer-input {
  font: inherit;
  font-size: 12px;
  padding: 0 4px;
  height: 20px;
  border: 1px solid var(--pl-line);
  border-radius: 4px;
  background: var(--pl-bg);
  color: var(--pl-fg);
}
.pl-year { width: 4.2em; text-align: center; }
.pl-issuer-input { width: 7em; }
.pl-link {
  padding: 0;
  border: 0;
  background: transparent;
  color: var(--pl-link);
  font: inherit;
  font-size: 12px;
  text-decoration: underline;
  text-underline-offset: 2px;
  cursor: pointer;
}

/* Results */
.pl-popup-body { flex: 1 1 auto; min-height: 0; overflow-y: auto; overscroll-behavior: contain; padding: 4px 0 8px; }
.pl-total { margin: 0; padding: 2px 12px 4px; font-size: 12px; color: var(--pl-muted); }
.pl-empty, .pl-note, .pl-error { margin: 0; padding: 4px 12px; color: var(--pl-muted); }
.pl-error { color: var(--pl-accent); }
.pl-hit { padding: 2px 0 4px; border-bottom: 1px solid var(--pl-line); }
.pl-hit:last-child { border-bottom: 0; }
.pl-option { display: block; padding: 4px 12px; cursor: pointer; }
.pl-option:hover { background: var(--pl-soft); }
.pl-option[aria-selected="true"] { background: var(--pl-current); box-shadow: inset 3px 0 0 var(--pl-accent); }
.pl-hit-title { display: block; font-size: 14px; font-weight: 600; color: var(--pl-link); line-height: 1.4; }
.pl-hit-meta { display: flex; flex-wrap: wrap; gap: 0 8px; font-size: 12px; color: var(--pl-muted); }
.pl-hit-kind { color: var(--pl-accent); }
.pl-snippet { display: block; font-size: 12px; color: var(--pl-fg); }
.pl-hit-clause { padding: 2px 12px 2px 24px; }
/* Clause snippets stay short: two lines each, so several results fit. */
.pl-hit-clause .pl-snippet { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
.pl-clause-path { display: block; font-size: 12px; color: var(--pl-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pl-mark { background: var(--pl-mark); color: inherit; padding: 0; border-radius: 2px; }
.pl-more { display: block; margin: 6px auto 0; }
.pl-recent-group + .pl-recent-group { margin-top: 6px; }
.pl-recent-title { margin: 4px 0 0; padding: 2px 12px; font-size: 12px; font-weight: 600; color: var(--pl-muted); }
.pl-recent-item .pl-hit-title { font-size: 13px; font-weight: 500; }
`;
