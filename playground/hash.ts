// The URL hash (contract): #let=…&expr=…&wrt=…[&claim=…][&mode=grad|jacobian|hessian], values URI-encoded.
import type { Inputs } from './compute.js';

const MODES = ['grad', 'jacobian', 'hessian'] as const;

/** The inputs a hash names, or null when it names no expression. */
export function readHash(hash: string): Inputs | null {
  const params = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      params.set(part.slice(0, eq), decodeURIComponent(part.slice(eq + 1).replace(/\+/g, '%20')));
    } catch {
      params.set(part.slice(0, eq), part.slice(eq + 1));
    }
  }
  const expr = params.get('expr');
  if (expr === undefined) return null;
  const mode = params.get('mode');
  return {
    let: params.get('let') ?? '',
    expr,
    wrt: params.get('wrt') ?? '',
    claim: params.get('claim') ?? '',
    mode: MODES.find((m) => m === mode) ?? 'grad',
  };
}

export function writeHash(inputs: Inputs): string {
  const parts = [`let=${encodeURIComponent(inputs.let)}`, `expr=${encodeURIComponent(inputs.expr)}`];
  parts.push(`wrt=${encodeURIComponent(inputs.wrt)}`);
  if (inputs.claim.trim()) parts.push(`claim=${encodeURIComponent(inputs.claim)}`);
  if (inputs.mode !== 'grad') parts.push(`mode=${inputs.mode}`);
  return `#${parts.join('&')}`;
}
