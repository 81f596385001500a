// bench/derive.ts — expression swell check: the loss of an L-layer tanh MLP (batch n, width h),
// differentiated with respect to every weight matrix, simplified and printed (shared subterms named once).
// Prints, per L: time to differentiate, simplify, print; the DAG node count of the gradients; and the
// per-layer cost, which must stay flat (linear growth) — the target is L = 1000 in under one second.

import { gradRaw } from '../src/diff/grad.js';
import { toTextLetsMany } from '../src/emit/text.js';
import { dimSym, ONE } from '../src/ir/dim.js';
import { type Expr, topoOrder, type VarExpr, variable } from '../src/ir/expr.js';
import { shape } from '../src/ir/shape.js';
import { add, dimExpr, div, matmul, num, pow, sub, sum, tanh, transpose } from '../src/ops/build.js';
import { simplifyMany } from '../src/simplify/engine.js';

function mlpLoss(layers: number): { loss: Expr; weights: VarExpr[] } {
  const n = dimSym('n');
  const d = dimSym('d');
  const h = dimSym('h');
  const k = dimSym('k');
  const X = variable('X', shape(n, d));
  const Y = variable('Y', shape(n, k));
  const weights: VarExpr[] = [];
  let H: Expr = X;
  for (let l = 1; l <= layers; l++) {
    const W = variable(`W${l}`, shape(l === 1 ? d : h, h));
    const b = variable(`b${l}`, shape(h, ONE));
    weights.push(W, b);
    H = tanh(add(matmul(H, W), transpose(b)));
  }
  const V = variable('V', shape(h, k));
  weights.push(V);
  const loss = div(sum(pow(sub(matmul(H, V), Y), num(2))), dimExpr(n));
  return { loss, weights };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

console.log('L      grad ms  simplify ms  print ms   total ms  gradient DAG nodes  nodes/L  chars printed');
const sizes = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const rows: [number, number, number][] = [];
for (const L of sizes) {
  const { loss, weights } = mlpLoss(L);
  let t = process.hrtime.bigint();
  const raw = gradRaw(loss, weights);
  const tGrad = ms(t);
  t = process.hrtime.bigint();
  const simple = simplifyMany(raw);
  const tSimp = ms(t);
  t = process.hrtime.bigint();
  const { lets, results } = toTextLetsMany(simple);
  const chars =
    results.reduce((s, r) => s + r.length, 0) +
    lets.reduce((s, [name, text]) => s + name.length + text.length + 3, 0);
  const tPrint = ms(t);
  const nodes = topoOrder(simple).length;
  const total = tGrad + tSimp + tPrint;
  rows.push([L, total, nodes]);
  console.log(
    `${String(L).padEnd(6)} ${tGrad.toFixed(1).padStart(8)} ${tSimp.toFixed(1).padStart(12)} ${tPrint.toFixed(1).padStart(9)} ${total
      .toFixed(1)
      .padStart(
        10,
      )} ${String(nodes).padStart(19)} ${(nodes / L).toFixed(1).padStart(8)} ${String(chars).padStart(14)}`,
  );
}
const [L1, t1, n1] = rows[rows.length - 2];
const [L2, t2, n2] = rows[rows.length - 1];
console.log(
  `growth from L=${L1} to L=${L2} (×${L2 / L1}): time ×${(t2 / t1).toFixed(2)}, nodes ×${(n2 / n1).toFixed(2)}; ` +
    `L=${L2} total ${t2.toFixed(0)} ms (target < 1000 ms)`,
);
