// Shared option handling for the commands: parseArgs wrappers, --let / --wrt resolution, formats.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DeclarationError, type MatcalcError, UsageError } from '../ir/errors.js';
import type { VarExpr } from '../ir/expr.js';
import { parseDecls, type Scope } from '../parse/index.js';
import { didYouMean } from '../parse/suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** parseArgs over string and boolean options, with its errors turned into UsageError. */
export function parse(argv: readonly string[], options: Options): Parsed {
  // An expression may start with '-' (`-sum(...)`): anything that does not look like an option name is
  // passed through as a positional, as is everything after `--`.
  const hidden: string[] = [];
  const args = argv.map((a) => {
    if (a.length < 2 || !a.startsWith('-') || /^--?[A-Za-z][\w-]*(=.*)?$/s.test(a)) return a;
    hidden.push(a);
    return `\uE000${hidden.length - 1}`;
  });
  const restore = (p: string) => (p.startsWith('\uE000') ? hidden[Number(p.slice(1))] : p);
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    const values = Object.fromEntries(
      Object.entries(r.values).map(([k, v]) => [k, typeof v === 'string' ? restore(v) : v]),
    ) as Parsed['values'];
    return { values, positionals: r.positionals.map(restore) };
  } catch (e) {
    const message = (e as Error).message;
    const ambiguous = /^Option '(-[^']*)' argument is ambiguous/.exec(message);
    if (ambiguous) {
      const [, option] = ambiguous;
      throw new UsageError(
        `${option} needs a value, and the next argument starts with a dash; write ${option}=VALUE to pass such a value`,
      );
    }
    throw new UsageError(message.replace(/\. To specify a positional.*$/s, '').replace(/\s*\n\s*/g, ' '));
  }
}

/** A string option's value (undefined when absent). */
export function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Attach the option name to errors in a piece of option text (so the caret shows which one). */
export function inOption<T>(option: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const err = e as MatcalcError;
    if (err.pos && !err.pos.file) err.pos = { ...err.pos, file: option };
    throw e;
  }
}

export function scopeOf(decls: string | undefined): Scope {
  return inOption('--let', () => parseDecls(decls ?? ''));
}

/** The variables named by --wrt (comma-separated), which must be declared. */
export function wrtVars(scope: Scope, wrt: string | undefined): VarExpr[] {
  if (!wrt) throw new UsageError('missing --wrt (the variable(s) to differentiate with respect to)');
  const names = wrt.split(',').map((raw) => raw.trim());
  return names.map((name, i) => {
    if (name === '') throw new UsageError(`--wrt has an empty name in ${JSON.stringify(wrt)}`);
    if (names.indexOf(name) !== i) throw new UsageError(`--wrt names ${name} twice`);
    const v = scope.vars.get(name);
    if (!v) {
      const hint = didYouMean(name, [...scope.vars.keys()]);
      throw new DeclarationError(`--wrt ${name} is not a declared variable${hint}`);
    }
    return v;
  });
}

export function oneOf<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${option} must be one of ${allowed.join(', ')}, not ${value}`);
  }
  return value as T;
}

export function positiveInt(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new UsageError(`${option} must be a positive integer, not ${value}`);
  return n;
}
