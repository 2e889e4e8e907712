// Styles of the reader page's document column (the panel brings its own, in its shadow root).
export const READER_CSS = `
html{background:#f6f5f2}
body{margin:0;font:16px/1.9 system-ui,"Noto Serif CJK SC","Noto Sans CJK SC",serif;color:#222}
#app{max-width:760px;margin:0 auto;padding:40px 420px 80px 40px}
.pl-reader-doc h1{font-size:22px;line-height:1.5;margin:0 0 24px}
.pl-reader-doc p{margin:0 0 12px;text-align:justify}
.pl-reader-doc p[data-clause-id]{scroll-margin-top:80px}
.pl-cite{background:none;color:inherit;text-underline-offset:3px}
.pl-cite-resolved{text-decoration:underline 2px #2e7d32;cursor:pointer;background:rgba(46,125,50,.08)}
.pl-cite-unresolved{text-decoration:underline dotted 2px #b4232a}
.pl-cite-self{text-decoration:underline dotted 1px #777}
.pl-flash{background:rgba(255,214,0,.45);transition:background .6s}
.pl-reader-message{color:#666}
@media (max-width:1100px){#app{padding-right:40px}}
`;
