// Mutation score per folder from Stryker's JSON report (mutation-testing-report-schema), after
// `stryker run` in `npm run mutation`. Fails when a folder that has mutants scores under the minimum.
// Usage: node scripts/mutation-summary.mjs [report.json] [--min 80]
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

const FOLDERS = ['shared/calc', 'shared/ingest', 'server/calc', 'server/ingest', 'server/state', 'server/alarms'];

const args = process.argv.slice(2);
const minAt = args.indexOf('--min');
const min = minAt >= 0 ? Number(args[minAt + 1]) : 80;
const file = args.find((a, i) => !a.startsWith('--') && (minAt < 0 || i !== minAt + 1)) ?? 'reports/mutation/mutation.json';

if (!existsSync(file)) {
  console.error(`mutation-summary: no report at ${file} (run npx stryker run first)`);
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));

const rows = FOLDERS.map((folder) => ({ folder, files: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 }));
for (const [path, result] of Object.entries(report.files ?? {})) {
  const rel = (isAbsolute(path) ? relative(process.cwd(), path) : path).split('\\').join('/');
  const row = rows.find((r) => rel.startsWith(`${r.folder}/`));
  if (!row) continue;
  row.files++;
  for (const m of result.mutants ?? []) {
    if (m.status === 'Killed') row.killed++;
    else if (m.status === 'Timeout') row.timeout++;
    else if (m.status === 'Survived') row.survived++;
    else if (m.status === 'NoCoverage') row.noCoverage++;
    else row.other++; // CompileError, RuntimeError, Ignored, Pending: not part of the score
  }
}

const pct = (x) => (x === null ? '     -' : `${x.toFixed(2).padStart(6)}`);
let failed = false;
console.log(`mutation score per folder (minimum ${min} %): detected / (detected + survived + no coverage)`);
console.log('folder           score  killed timeout survived nocov  other');
for (const r of rows) {
  const detected = r.killed + r.timeout;
  const valid = detected + r.survived + r.noCoverage;
  const score = valid ? (100 * detected) / valid : null;
  let note = '';
  if (!r.files) note = existsSync(r.folder) ? '  (not in this report)' : '  (no such folder)';
  else if (score !== null && score < min) {
    note = `  UNDER ${min} %`;
    failed = true;
  }
  const n = (x, w = 6) => String(x).padStart(w);
  console.log(
    `${r.folder.padEnd(15)} ${pct(score)} ${n(r.killed)} ${n(r.timeout, 7)} ${n(r.survived, 8)} ${n(r.noCoverage, 5)} ${n(r.other)}${note}`,
  );
}
if (failed) {
  console.error(`mutation-summary: a folder scores under ${min} %`);
  process.exitCode = 1;
}
