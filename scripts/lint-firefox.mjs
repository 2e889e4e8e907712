// Builds the Firefox (MV3) extension and runs `web-ext lint` on it; any lint error fails.
// Warnings are printed: Preact's runtime contains an innerHTML assignment (dangerouslySetInnerHTML support),
// which this project never uses.
import { execSync } from 'node:child_process';

execSync('npx wxt build -b firefox --mv3', { stdio: 'ignore' });
const out = execSync('npx web-ext lint --source-dir .output/firefox-mv3 --output json', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const report = JSON.parse(out.slice(out.indexOf('{')));
for (const kind of ['errors', 'warnings', 'notices']) {
  for (const m of report[kind]) console.log(`web-ext lint ${kind.slice(0, -1)}: ${m.code} ${m.file ?? ''} ${m.message}`);
}
console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
process.exit(report.summary.errors > 0 ? 1 : 0);
