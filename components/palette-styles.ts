// The colours and type shared by the side panel and the popup, as CSS fragments their stylesheets embed.

/** Custom properties of `.pl-root` in the light scheme (--pl-mark marks matched words in search results). */
export const LIGHT_PALETTE = `
  --pl-bg: #ffffff;
  --pl-fg: #1f2328;
  --pl-muted: #5b636e;
  --pl-line: #d8dde3;
  --pl-soft: #f4f6f8;
  --pl-accent: #b4232a;
  --pl-accent-fg: #ffffff;
  --pl-link: #0b57a4;
  --pl-current: #fff4d6;
  --pl-focus: #1a73e8;
  --pl-mark: #ffe58f;`;

/** The font stack for Chinese UI text in either script, then Latin fallbacks. */
export const FONT_FAMILY = `system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans CJK TC", "PingFang SC",
    "Hiragino Sans GB", "Microsoft YaHei", "Microsoft JhengHei", sans-serif`;

/** Border-box sizing inside the root, and the dark-scheme overrides of the palette. */
export const ROOT_RULES = `
.pl-root *, .pl-root *::before, .pl-root *::after { box-sizing: border-box; }
@media (prefers-color-scheme: dark) {
  .pl-root {
    --pl-bg: #1c1f23;
    --pl-fg: #e6e8eb;
    --pl-muted: #a0a8b3;
    --pl-line: #363b42;
    --pl-soft: #262a30;
    --pl-link: #8cb8ff;
    --pl-current: #3d3521;
    --pl-focus: #8cb8ff;
    --pl-mark: #6b5a1e;
  }
}`;
