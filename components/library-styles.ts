// Styles of the library page (import, export, the list of saved plans).
export const LIBRARY_CSS = `
html{background:#f6f5f2}
body{margin:0;font:14px/1.6 system-ui,"Noto Sans CJK SC","Noto Sans CJK TC",sans-serif;color:#222}
.pl-library{max-width:900px;margin:0 auto;padding:32px 24px}
.pl-library h1{font-size:22px;margin:0 0 4px;color:#b4232a}
.pl-library-actions{display:flex;flex-wrap:wrap;align-items:center;gap:12px;margin:16px 0;padding:16px;background:#fff;border:1px solid #e3e0da;border-radius:8px}
.pl-library-actions small{color:#666;flex:1 1 240px}
.pl-import input{margin-left:8px}
.pl-library button{font:inherit;cursor:pointer}
.pl-library-actions button{padding:6px 14px;border:1px solid #b4232a;background:#fff;color:#b4232a;border-radius:6px}
.pl-error{color:#b4232a;background:#fdecea;padding:8px 12px;border-radius:6px}
.pl-ok{color:#1b5e20;background:#e8f5e9;padding:8px 12px;border-radius:6px}
progress{width:240px;vertical-align:middle}
.pl-plan-list{list-style:none;margin:0;padding:0;background:#fff;border:1px solid #e3e0da;border-radius:8px}
.pl-plan-list li{display:flex;align-items:baseline;gap:12px;padding:10px 16px;border-top:1px solid #eee}
.pl-plan-list li:first-child{border-top:0}
.pl-link{border:0;background:none;padding:0;color:#0b57a4;text-align:left;flex:1 1 auto}
.pl-link:hover{text-decoration:underline}
.pl-plan-meta{color:#666;font-size:12px;white-space:nowrap}
.pl-delete{white-space:nowrap;border:1px solid #ccc;background:#fff;border-radius:4px;color:#666;font-size:12px;padding:2px 8px}
`;
