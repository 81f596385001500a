// A model is a loss written in the input language: declarations, named definitions (the layers) and the
// loss, parsed like a derivation file's block, plus the parameters to differentiate. `source` is that text.
import type { Expr } from '../ir/expr.js';
import { extendScope, parseDecls, parseExpr, type Scope } from '../parse/index.js';

export interface Model {
  /** What the model is, in one line: "MLP 784-256-10, relu, softmax cross-entropy, batch". */
  readonly title: string;
  /** The scalar loss. */
  readonly loss: Expr;
  /** Its declarations and definitions: every variable the loss may take. */
  readonly scope: Scope;
  /** The variables to differentiate with respect to, in order. */
  readonly params: readonly string[];
  /** The model as a matcalc block: `let …`, `NAME = EXPR` lines, the loss last (`L = …`). */
  readonly source: string;
}

/** A size: a positive integer, or a symbolic dim name. */
export type Size = number | string;

export interface ModelText {
  readonly title: string;
  /** Declarations, one per entry: `X: n x d`. */
  readonly decls: readonly string[];
  /** Definitions in order; the last one is the loss. */
  readonly defs: readonly (readonly [string, string])[];
  readonly params: readonly string[];
}

/** Parse a model's text as a derivation block would: declarations, then each definition in scope. */
export function buildModel(m: ModelText): Model {
  let scope = parseDecls(m.decls.join('; '));
  let loss: Expr | null = null;
  for (const [name, text] of m.defs) {
    loss = parseExpr(text, scope);
    scope = extendScope(scope, name, loss);
  }
  if (!loss) throw new RangeError(`internal: model ${m.title} has no loss`);
  const source = [`let ${m.decls.join('; ')}`, ...m.defs.map(([name, text]) => `${name} = ${text}`)].join(
    '\n',
  );
  return { title: m.title, loss, scope, params: m.params, source };
}

/** A size as declaration text; integers stay numbers, names must be identifiers. */
export function sizeText(s: Size): string {
  if (typeof s === 'number') {
    if (!Number.isInteger(s) || s < 1)
      throw new RangeError(`a layer size must be a positive integer, not ${s}`);
    return String(s);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s))
    throw new RangeError(`a layer size must be an integer or a name, not ${s}`);
  return s;
}

/** The derivation-file form of a model: prose, its block, and a `grad` request for its parameters. */
export function modelMarkdown(m: Model, exportTo?: 'ts' | 'numpy' | 'jax'): string {
  const lossName = /(?:^|\n)(\w+) = [^\n]*$/.exec(m.source)?.[1] ?? 'L';
  const lines = [
    `# ${m.title}`,
    '',
    '```matcalc',
    m.source,
    `grad ${lossName} wrt ${m.params.join(', ')}`,
    ...(exportTo ? [`export ${exportTo}`] : []),
    '```',
    '',
  ];
  return lines.join('\n');
}
