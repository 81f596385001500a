// Derivation files: prose and ```matcalc blocks, statements with their lines, errors pointing into the file.
import { describe, expect, it } from 'vitest';
import { DeclarationError, ParseError, ShapeError } from '../../src/ir/errors.js';
import { EMPTY_SCOPE } from '../../src/parse/decls.js';
import { exprIn, parseDocument, statementsOf } from '../../src/parse/document.js';
import { verifyDocument } from '../../src/verify/claims.js';
import { errorOf } from '../parse/helpers.js';

const DOC = [
  '# Title', //                                         1
  '', //                                                2
  'Some prose.', //                                     3
  '```matcalc', //                                      4
  'let X: n x d; w: d', //                              5
  '  y: n   # targets', //                              6
  'r = X*w - y', //                                     7
  'grad sum(r.^2) wrt w, y', //                         8
  "claim grad(sum(r.^2), w) = 2*X'*r  # the rule", //  9
  'chain', //                                           10
  'sum(r.^2)', //                                       11
  '', //                                                12
  "= r'*r            # a sum of squares", //            13
  "= (X*w - y)'*r", //                                  14
  'export numpy', //                                    15
  '```', //                                             16
  'More prose.', //                                     17
  '```python', //                                       18
  '```matcalc', //                                      19
  '```', //                                             20
].join('\n');

describe('parseDocument', () => {
  const doc = parseDocument(DOC, 'doc.md');

  it('splits prose from matcalc blocks; other fences stay prose', () => {
    expect(doc.chunks.map((c) => [c.kind, c.line])).toEqual([
      ['prose', 1],
      ['block', 4],
      ['prose', 17],
    ]);
    const last = doc.chunks[2];
    expect(last.kind === 'prose' && last.text).toBe('More prose.\n```python\n```matcalc\n```');
  });

  it('reads every kind of statement with its line', () => {
    const sts = statementsOf(doc);
    expect(sts.map((s) => [s.kind, s.line])).toEqual([
      ['let', 5],
      ['def', 7],
      ['grad', 8],
      ['claim', 9],
      ['chain', 10],
      ['export', 15],
    ]);
    const [lets, def, grad, claim, chain, exp] = sts;
    expect(lets.kind === 'let' && lets.decls.text).toBe(' X: n x d; w: d\n  y: n   # targets');
    expect(def.kind === 'def' && [def.name.text, def.expr.text, def.expr.column]).toEqual([
      'r',
      'X*w - y',
      5,
    ]);
    expect(grad.kind === 'grad' && [grad.f.text, grad.wrt.map((w) => [w.text, w.column])]).toEqual([
      'sum(r.^2)',
      [
        ['w', 20],
        ['y', 23],
      ],
    ]);
    expect(claim.kind === 'claim' && [claim.lhs.text, claim.rhs.text, claim.rhs.column]).toEqual([
      'grad(sum(r.^2), w)',
      "2*X'*r",
      28,
    ]);
    expect(chain.kind === 'chain' && chain.steps.map((s) => [s.line, s.expr.text, s.reason])).toEqual([
      [11, 'sum(r.^2)', undefined],
      [13, "r'*r", 'a sum of squares'],
      [14, "(X*w - y)'*r", undefined],
    ]);
    expect(exp.kind === 'export' && exp.target).toBe('numpy');
  });

  it('a chain may start on the `chain` line itself', () => {
    const sts = statementsOf(parseDocument('```matcalc\nlet x: n\nchain sum(x)\n= sum(x, 1)\n```'));
    const chain = sts[1];
    expect(chain.kind === 'chain' && chain.steps.map((s) => s.expr.text)).toEqual(['sum(x)', 'sum(x, 1)']);
  });

  it('splits a claim at the top-level = only', () => {
    const [, c] = statementsOf(parseDocument('```matcalc\nlet x: n\nclaim sum(x) = sum(x .* (x == x))\n```'));
    expect(c.kind === 'claim' && [c.lhs.text, c.rhs.text]).toEqual(['sum(x)', 'sum(x .* (x == x))']);
  });
});

describe('parseDocument errors point at file, line and column', () => {
  const at = (src: string) => errorOf(() => parseDocument(src, 'f.md'));

  it('unknown statement', () => {
    const e = at('text\n```matcalc\nlet x: n\n  frobnicate x\n```');
    expect(e).toBeInstanceOf(ParseError);
    expect(e.pos).toMatchObject({ file: 'f.md', line: 4, column: 3, length: 10 });
    expect(e.message).toMatch(/unknown statement/);
  });

  it('a claim without =, or with two', () => {
    expect(at('```matcalc\nclaim x\n```').pos).toMatchObject({ line: 2, column: 1 });
    const two = at('```matcalc\nclaim a = b = c\n```');
    expect(two.message).toMatch(/chain/);
    expect(two.pos).toMatchObject({ line: 2, column: 13 });
  });

  it('a chain with one expression, a stray = line, an unclosed block, a bad export', () => {
    expect(at('```matcalc\nchain\nx\n```').message).toMatch(/at least one `= EXPR`/);
    expect(at('```matcalc\n= x\n```').message).toMatch(/continues a chain/);
    expect(at('x\n```matcalc\nlet x: n\n').pos).toMatchObject({ file: 'f.md', line: 2 });
    expect(at('```matcalc\nexport rust\n```').pos).toMatchObject({ line: 2, column: 8, length: 4 });
    expect(at('```matcalc\ngrad f\n```').message).toMatch(/grad L wrt X/);
  });

  it('expression errors are mapped into the file', () => {
    const doc = parseDocument('```matcalc\nclaim   sum(x) = x +* 2\n```', 'f.md');
    const [c] = statementsOf(doc);
    if (c.kind !== 'claim') throw new Error('expected a claim');
    const e = errorOf(() => exprIn(doc, c.rhs, EMPTY_SCOPE));
    expect(e.pos).toMatchObject({ file: 'f.md', line: 2 });
    expect(e.pos!.column).toBeGreaterThanOrEqual(18);
    expect(e.pos!.source).toBe(doc.source);
  });

  it('declaration and shape errors of a whole file carry file positions', () => {
    const decl = errorOf(() => verifyDocument('```matcalc\nlet x: n\n  y: n x\n```', 'g.md'));
    expect(decl).toBeInstanceOf(DeclarationError);
    expect(decl.pos).toMatchObject({ file: 'g.md', line: 3 });
    const shape = errorOf(() => verifyDocument('```matcalc\nlet X: n x d; w: n\nZ = X*w\n```', 'g.md'));
    expect(shape).toBeInstanceOf(ShapeError);
    expect(shape.pos).toMatchObject({ file: 'g.md', line: 3, column: 6 });
    const wrt = errorOf(() => verifyDocument('```matcalc\nlet x: n\ngrad sum(x) wrt z\n```', 'g.md'));
    expect(wrt.pos).toMatchObject({ line: 3, column: 17 });
  });
});
