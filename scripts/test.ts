// `npm test`: unit and integration suites (vitest), then the relay's tests again on PostgreSQL
// (PARLEY_TEST_STORE=postgres: a fresh database per test relay, server PARLEY_TEST_PG_URL), then
// the end-to-end journeys (Playwright in Chromium), then one plain summary line for CI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[];
}

/** One line per failed test (and per file that failed before its tests ran), for the summary. */
function failures(j: VitestJson, suite: string): string[] {
  const out: string[] = [];
  for (const f of j.testResults ?? []) {
    const file = f.name.replace(`${process.cwd()}/`, '');
    const failed = f.assertionResults.filter((a) => a.status === 'failed');
    // the first line that says something (vitest may put a placeholder such as STACK_TRACE_ERROR first)
    const said = (a: { failureMessages?: string[] }) => (a.failureMessages ?? []).join('\n').split('\n').find((l) => l.trim() && !/STACK_TRACE_ERROR/.test(l))?.trim().slice(0, 200) ?? '';
    for (const a of failed) out.push(`${suite}: ${file} › ${a.fullName}: ${said(a)}`);
    if (f.status === 'failed' && failed.length === 0) out.push(`${suite}: ${file}: ${(f.message ?? 'failed').split('\n')[0]?.slice(0, 200) ?? ''}`);
  }
  return out;
}

const out = mkdtempSync(join(tmpdir(), 'parley-test-'));
// Every temp dir the suites make (replicas, relay data, browser profiles) lands under one
// folder that is removed at the end, even when a test process is killed before its cleanup.
const scratch = mkdtempSync(join(tmpdir(), 'parley-scratch-'));
const suites: { name: string; args: string[]; env?: Record<string, string> }[] = [
  { name: 'unit', args: ['vitest', 'run'] },
  // the server's tests (or the files named on the command line) with their relays on PostgreSQL
  { name: 'relay-postgres', args: ['vitest', 'run', ...(process.argv.slice(2).some((a) => !a.startsWith('-')) ? [] : ['server'])], env: { PARLEY_TEST_STORE: 'postgres' } },
];
if (existsSync('e2e/vitest.config.ts')) suites.push({ name: 'e2e', args: ['vitest', 'run', '--config', 'e2e/vitest.config.ts'] });

let passed = 0;
let failed = 0;
let skipped = 0;
let exit = 0;
const failedLines: string[] = [];
for (const s of suites) {
  const file = join(out, `${s.name}.json`);
  const r = spawnSync('npx', [...s.args, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...s.env, TMPDIR: scratch },
  });
  if (r.status !== 0) exit = 1;
  if (existsSync(file)) {
    const j = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
    passed += j.numPassedTests;
    failed += j.numFailedTests;
    skipped += j.numPendingTests + j.numTodoTests;
    failedLines.push(...failures(j, s.name));
  } else {
    exit = 1;
    console.error(`${s.name}: vitest wrote no results`);
  }
}
rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
rmSync(out, { recursive: true, force: true, maxRetries: 5 });
// the failures again at the very end, where a CI log's tail shows them
for (const l of failedLines) console.log(`FAILED ${l}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exit);
