// bench/cli.ts — what a user waits for: the installed CLI's start-up (dist/cli/main.js, as `npm ci` builds
// it) and the library import, interleaved with `node -e 0` round by round so machine load hits all alike.
// Prints median wall and CPU (user + system, from /usr/bin/time) per case, ratios to `node -e 0`, and the
// goals: `--version` within 1.5× and a small `grad` within 3× of `node -e 0` (judged on CPU time).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 7);
const CLI = 'dist/cli/main.js';
const TIME = '/usr/bin/time';

if (!existsSync(CLI)) {
  console.log(`bench/cli: ${CLI} is missing; run npm run build first`);
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), 'matcalc-bench-cli-'));
const node = process.execPath;
const CASES: readonly { readonly name: string; readonly argv: readonly string[] }[] = [
  { name: 'node -e 0', argv: [node, '-e', '0'] },
  { name: 'matcalc --version', argv: [node, CLI, '--version'] },
  {
    name: 'matcalc grad (small)',
    argv: [node, CLI, 'grad', 'trace(A*X*B)', '--wrt', 'X', '--let', 'A: m x n; X: n x p; B: p x m'],
  },
  { name: 'matcalc verify FILE.md', argv: [node, CLI, 'verify', 'derivations/least-squares.md'] },
  {
    name: 'matcalc derive FILE.md',
    argv: [node, CLI, 'derive', 'derivations/least-squares.md', '--out', out],
  },
  {
    name: "import('matcalc')",
    argv: [node, '--input-type=module', '-e', "await import('matcalc')"],
  },
];

const hasTime = existsSync(TIME);
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

function runOnce(argv: readonly string[]): Sample {
  const t0 = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync(TIME, ['-f', '@@%U %S', ...argv], { encoding: 'utf8' })
    : spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /@@([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : Number.NaN };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Whether a plain node takes the V8 code caches of dist/script/ (scripts/script-bundles.ts) in this environment. */
function cacheStatus(loader: string): string {
  const r = spawnSync(
    node,
    ['--input-type=module', '-e', `console.log((await import('./${loader}')).cacheStatus)`],
    {
      encoding: 'utf8',
    },
  );
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

const samples = CASES.map(() => [] as Sample[]);
for (let round = 0; round < ROUNDS; round++) {
  CASES.forEach((c, i) => {
    samples[i].push(runOnce(c.argv));
  });
}
rmSync(out, { recursive: true, force: true });

const wall = samples.map((s) => median(s.map((x) => x.wall)));
const cpu = samples.map((s) => median(s.map((x) => x.cpu)));
console.log(
  `median of ${ROUNDS} interleaved rounds${hasTime ? '' : ' (no /usr/bin/time: CPU not measured)'}; load average ${loadavg()[0].toFixed(1)}; ` +
    `code cache: CLI ${cacheStatus('dist/script/cli-load.js')}, library ${cacheStatus('dist/script/load.js')}`,
);
console.log('case                      wall s   CPU s   wall ×node  CPU ×node');
CASES.forEach((c, i) => {
  console.log(
    `${c.name.padEnd(24)} ${wall[i].toFixed(3).padStart(7)} ${cpu[i].toFixed(3).padStart(7)} ${(wall[i] / wall[0]).toFixed(2).padStart(11)} ${(cpu[i] / cpu[0]).toFixed(2).padStart(10)}`,
  );
});

function goal(label: string, index: number, limit: number): void {
  const judged = hasTime ? cpu : wall;
  const ratio = judged[index] / judged[0];
  console.log(
    `goal: ${label} within ${limit}× of node -e 0 (${hasTime ? 'CPU' : 'wall'}): ${ratio.toFixed(2)}× (wall ${(wall[index] / wall[0]).toFixed(2)}×) — ${ratio <= limit ? 'MET' : 'NOT MET'}`,
  );
}
goal('matcalc --version', 1, 1.5);
goal('a small matcalc grad', 2, 3);
