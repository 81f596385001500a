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
    expect(dot).toContain('label="r = −\\nn×1"');
    expect(dot).toContain('label="matmul\\nn×1"');
    expect(dot).toContain('label="/\\n1×1"');
  });

  it('folds a constant subtree into one node', () => {
    const dot = graphDot(input);
    expect(dot).toContain('label="2*n"');
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
