// The computation-graph picture: DOT built from the DAG alone (positional ids, so it does not depend on
// what else was built before), the differentiated variables highlighted, constants folded, and Graphviz SVG.
import { describe, expect, it } from 'vitest';
import { graphDot, graphSvg } from '../../src/derive/graph.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

const scope = parseDecls('X: n x d; w: d; y: n');
const r = parseExpr('X*w - y', scope);
const loss = parseExpr('sum((X*w - y).^2)/(2*n)', scope);
const w = scope.vars.get('w')!;
const input = { roots: [loss], names: new Map([[r.id, 'r']]), wrt: new Set([w.id]) };

describe('graphDot', () => {
  it('labels nodes with their shapes and names, highlighting the variables differentiated', () => {
    const dot = graphDot(input);
    expect(dot).toMatch(/label="w\\nd×1", fillcolor="#fde68a"/);
    expect(dot).toMatch(/label="X\\nn×d", fillcolor="#f3f4f6"/);
    expect(dot).toContain('label="r = X w − y\\nn×1"');
    expect(dot).toContain('label="X w\\nn×1"');
    expect(dot).toContain('label="/\\n1×1"');
  });

  it('writes names and ops as math: subscripts, Greek letters, ⊙ and ᵀ', async () => {
    const { unicodeName } = await import('../../src/derive/graph.js');
    expect(['W1', 'delta2', 'lambda', 'W_q', 'x_c', 'Yhat', 'b_12'].map(unicodeName)).toEqual([
      'W₁',
      'δ₂',
      'λ',
      'W_q',
      'x_c',
      'Yhat',
      'b₁₂',
    ]);
    const sc = parseDecls('X: n x d; W1: d x h');
    const dot = graphDot({
      roots: [parseExpr("sum((X*W1).^2) + sum(W1')", sc)],
      names: new Map(),
      wrt: new Set(),
    });
    expect(dot).toContain('(X W₁) ⊙ (X W₁)');
    expect(dot).toContain('W₁ᵀ');
    expect(dot).toContain('label="W₁\\nd×h"');
  });

  it('folds a constant subtree into one node, drawn in a dashed box', () => {
    const dot = graphDot(input);
    expect(dot).toMatch(/label="2\*n", [^\]]*dashed/);
    expect(dot).not.toMatch(/label="n"/);
  });

  it('numbers nodes by position, so equal graphs give equal text', () => {
    const again = parseExpr('sum((X*w - y).^2)/(2*n)', parseDecls('X: n x d; w: d; y: n'));
    expect(graphDot({ ...input, roots: [again] })).toBe(graphDot(input));
    expect(graphDot(input)).toMatch(/n0 \[/);
  });

  it('renders to SVG with Graphviz', async () => {
    const svg = await graphSvg(input);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('class="node"');
    expect(await graphSvg(input)).toBe(svg);
  });
});
