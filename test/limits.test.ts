// Size and depth: an expression nested 10,000 deep and one of 100,000 nodes go through parse, grad,
// simplify, print and evaluate, or are refused with a LimitError — never a stack overflow. Timings are
// measured by bench/limits.ts, not asserted here.
import { describe, expect, it } from 'vitest';
import { evaluate, grad, hessian, jacobian, simplify } from '../src/api.js';
import { type Io, main } from '../src/cli/main.js';
import { compile } from '../src/emit/js.js';
import { toLatex } from '../src/emit/latex.js';
import { MAX_PRINTED_LENGTH, toText, toTextLets } from '../src/emit/text.js';
import { LimitError } from '../src/ir/errors.js';
import { type Expr, topoOrder } from '../src/ir/expr.js';
import * as B from '../src/ops/build.js';
import { parseDecls, parseExpr } from '../src/parse/index.js';

const scope = parseDecls('x: scalar; w: n');
const x = scope.vars.get('x')!;
const DEPTH = 10_000;

/** Runs `f`; a LimitError is an accepted refusal, anything else thrown fails the test. */
function worksOrLimit<T>(f: () => T): { ok: true; value: T } | { ok: false; error: LimitError } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).not.toMatch(/call stack|internal/i);
    return { ok: false, error: e as LimitError };
  }
}

function chain(n: number, step: (e: Expr) => Expr): Expr {
  let e: Expr = x;
  for (let i = 0; i < n; i++) e = step(e);
  return e;
}

function capture(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t.endsWith('\n') ? t : `${t}\n`;
    },
    err(t: string) {
      io.stderr += t.endsWith('\n') ? t : `${t}\n`;
    },
    stdin: () => '',
    readFile: () => '',
  };
  return io;
}

describe('nested 10,000 deep, as text', () => {
  const deepExp = `${'exp('.repeat(DEPTH)}x${')'.repeat(DEPTH)}`;
  const deepPlus = `${'('.repeat(DEPTH)}x${' + 1)'.repeat(DEPTH)}`;

  it.each([
    ['exp(exp(…x…))', deepExp],
    ['((x + 1) + 1)…', deepPlus],
  ])('%s is refused by parse with a LimitError at 1:1', (_name, text) => {
    const r = worksOrLimit(() => parseExpr(text, scope));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/nested too deeply/);
      expect(r.error.pos).toMatchObject({ line: 1, column: 1 });
    }
  });

  it('the CLI says so in one message with a short caret picture, exit 2', async () => {
    const io = capture();
    const code = await main(['grad', deepExp, '--wrt', 'x', '--let', 'x: scalar'], io);
    expect(code).toBe(2);
    expect(io.stdout).toBe('');
    const lines = io.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^matcalc: error: expression nested too deeply at EXPR:1:1$/);
    // The caret picture shows a window of the 40,000-character line, not all of it.
    expect(lines).toHaveLength(3);
    expect(lines[1].length).toBeLessThan(120);
    expect(lines[2]).toBe('^');
  });
});

describe('nested 10,000 deep, built through the API', () => {
  it('exp(exp(…x…)): grad, simplify, evaluate work; printing works or is a LimitError', () => {
    const f = chain(DEPTH, B.exp);
    expect(simplify(f)).toBe(f);
    const [g] = grad(f, ['x']);
    // ∂f/∂x = Π exp^k(x): each factor is shared, so the DAG is linear in the depth …
    expect(topoOrder([g]).length).toBeLessThan(4 * DEPTH);
    // Iterated exp overflows after six steps from any start: evaluation runs to Infinity, it does not fail.
    expect(evaluate(f, { x: -30 }).data[0]).toBe(Number.POSITIVE_INFINITY);
    expect(evaluate(g, { x: -30 }).data[0]).toBe(Number.POSITIVE_INFINITY);
    // … but its text is a tree of quadratic size: refused rather than half-built.
    const text = worksOrLimit(() => toText(g));
    expect(text.ok).toBe(false);
    expect(worksOrLimit(() => toLatex(g)).ok).toBe(false);
    // Named intermediates print it in linear size.
    const lets = toTextLets(g);
    expect(lets.lets.length).toBeGreaterThan(100);
    // f itself prints (10,000 calls deep) and that text is refused by parse with a LimitError.
    const ft = toText(f);
    expect(ft.length).toBe(DEPTH * 5 + 1);
    expect(worksOrLimit(() => parseExpr(ft, scope)).ok).toBe(false);
    expect(worksOrLimit(() => toLatex(f)).ok).toBe(true);
    // Compiled code for the gradient: one temporary per shared node, no recursion.
    const compiled = worksOrLimit(() => compile(g)({ x: -30 }).data[0]);
    if (compiled.ok) expect(compiled.value).toBe(Number.POSITIVE_INFINITY);
  });

  // The Jacobian is the gradient; the Hessian's second sweep runs over a product of 10,000 shared factors,
  // which the ⊙-chain rules must visit in constant time per node (they once walked the whole chain: n³).
  it('exp(exp(…x…)): jacobian and hessian', () => {
    const f = chain(DEPTH, B.exp);
    const J = jacobian(f, 'x');
    const H = hessian(f, 'x');
    expect(J.shape).toBe(f.shape);
    expect(evaluate(J, { x: -30 }).data[0]).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(evaluate(H, { x: -30 }).data[0])).toBe(false);
  });

  it('((x + 1) + 1)…: simplify folds it, grad is 1, every pass works', () => {
    const f = chain(DEPTH, (e) => B.add(e, B.num(1)));
    expect(toText(simplify(f))).toBe(`x + ${DEPTH}`);
    const [g] = grad(f, ['x']);
    expect(toText(g)).toBe('1');
    expect(evaluate(f, { x: 0.5 }).data[0]).toBe(DEPTH + 0.5);
    const text = toText(f);
    expect(text.startsWith('x + 1 + 1')).toBe(true);
    // Left-nested sums print without parentheses, so the text parses back (mathjs folds the chain).
    const back = worksOrLimit(() => parseExpr(text, scope));
    if (back.ok) expect(back.value).toBe(f);
    expect(toLatex(f).length).toBeGreaterThan(4 * DEPTH);
  });

  it('(1 + (1 + …x)): right-nested, printed with 10,000 parentheses, parse refuses with a LimitError', () => {
    const f = chain(DEPTH, (e) => B.add(B.num(1), e));
    const text = toText(f);
    expect(text).toMatch(/^1 \+ \(1 \+ \(/);
    expect(worksOrLimit(() => parseExpr(text, scope)).ok).toBe(false);
    expect(toText(grad(f, ['x'])[0])).toBe('1');
    expect(evaluate(f, { x: 1 }).data[0]).toBe(DEPTH + 1);
  });
});

describe('100,000 nodes', () => {
  const TERMS = 35_000;
  // x*1 + x*2 + … : each term holds a distinct constant, so nothing is shared: three nodes a term.
  const text = Array.from({ length: TERMS }, (_, i) => `x*${i + 1}`).join(' + ');

  it('parse, grad, simplify, print and evaluate a flat sum', () => {
    const f = parseExpr(text, scope);
    expect(topoOrder([f]).length).toBeGreaterThanOrEqual(100_000);
    const [g] = grad(f, ['x']);
    expect(toText(g)).toBe(String((TERMS * (TERMS + 1)) / 2));
    const s = simplify(f);
    const want = (0.5 * TERMS * (TERMS + 1)) / 2;
    expect(evaluate(f, { x: 0.5 }).data[0]).toBe(want);
    expect(evaluate(s, { x: 0.5 }).data[0]).toBe(want);
    const printed = toText(f);
    expect(printed.length).toBeLessThan(MAX_PRINTED_LENGTH);
    expect(parseExpr(printed, scope)).toBe(f);
    expect(toLatex(f).length).toBeGreaterThan(printed.length);
    // a guard, not a timing: a 100,000-node parse, gradient and simplification on a loaded machine
  }, 240_000);

  it('a balanced tree built through the API: the raw gradient, printing and evaluation', () => {
    // A balanced sum of 2^15 leaves sin(x * k): about 130,000 nodes, depth 16. (Simplifying it works but
    // takes minutes, the collect rule normalising every sub-sum of up to 300 nodes: see bench/limits.ts.)
    let level: Expr[] = Array.from({ length: 1 << 15 }, (_, i) => B.sin(B.mul(x, B.num(i + 1))));
    while (level.length > 1) {
      const next: Expr[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(B.add(level[i], level[i + 1]));
      level = next;
    }
    const f = level[0];
    expect(topoOrder([f]).length).toBeGreaterThanOrEqual(100_000);
    const [g] = grad(f, ['x'], { raw: true });
    expect(evaluate(g, { x: 0 }).data[0]).toBe(((1 << 15) * ((1 << 15) + 1)) / 2);
    expect(parseExpr(toText(f), scope)).toBe(f);
    expect(toLatex(g).length).toBeGreaterThan(100_000);
  });
});
