import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCaret, parseDecls, parseExpr, posAt, relocate } from '../../src/parse/index.js';
import { quote } from '../../src/parse/position.js';
import { errorOf } from './helpers.js';

describe('positions', () => {
  it('posAt turns offsets into 1-based line and column', () => {
    const src = 'ab\ncde\n\nf';
    expect(posAt(src, 0)).toEqual({ line: 1, column: 1, source: src, length: 1 });
    expect(posAt(src, 2)).toMatchObject({ line: 1, column: 3 });
    expect(posAt(src, 3)).toMatchObject({ line: 2, column: 1 });
    expect(posAt(src, 5, 2)).toMatchObject({ line: 2, column: 3, length: 2 });
    expect(posAt(src, 7)).toMatchObject({ line: 3, column: 1 });
    expect(posAt(src, 8)).toMatchObject({ line: 4, column: 1 });
    expect(posAt(src, 99)).toMatchObject({ line: 4, column: 2 });
  });

  it('quote collapses whitespace and elides long spans', () => {
    expect(quote('a +\n   b', 0, 8)).toBe('a + b');
    const long = 'x'.repeat(100);
    const q = quote(long, 0, 100);
    expect(q.length).toBeLessThanOrEqual(60);
    expect(q).toContain(' … ');
  });
});

describe('relocate', () => {
  it('maps a position in a snippet to the file it was cut from', () => {
    const file = '# notes\n```matcalc\nL = sum(X * W)\n```\n';
    const snippet = 'sum(X * W)';
    const e = errorOf(() => parseExpr(snippet, parseDecls('X: n x d; W: k x h')));
    const pos = relocate(e.pos!, { line: 3, column: 5, source: file, file: 'd.md' });
    expect(pos).toMatchObject({ line: 3, column: 11, file: 'd.md', length: 1 });
    expect(formatCaret(pos)).toBe('L = sum(X * W)\n          ^');
    expect(relocate({ line: 2, column: 4 }, { line: 10, column: 7, source: file })).toMatchObject({
      line: 11,
      column: 4,
    });
  });
});

describe('formatCaret', () => {
  it('draws the source line and carets under the span', () => {
    expect(formatCaret({ line: 1, column: 2, source: 'X*W + b', length: 1 })).toBe('X*W + b\n ^');
    expect(formatCaret({ line: 2, column: 3, source: 'w: d\nX: n x', length: 3 })).toBe('X: n x\n  ^^^');
  });

  it('clips to the line, defaults to one caret, reaches past the end, keeps tabs', () => {
    expect(formatCaret({ line: 1, column: 3, source: 'abcd', length: 10 })).toBe('abcd\n  ^^');
    expect(formatCaret({ line: 1, column: 1, source: 'abcd' })).toBe('abcd\n^');
    expect(formatCaret({ line: 1, column: 5, source: 'w + ' })).toBe('w + \n    ^');
    expect(formatCaret({ line: 1, column: 3, source: '\tx y' })).toBe('\tx y\n\t ^');
    expect(formatCaret({ line: 1, column: 1 })).toBe('');
  });

  it('renders the errors of the parser', () => {
    const scope = parseDecls('X: n x d; W: k x h');
    expect(formatCaret(errorOf(() => parseExpr('sum(X * W)', scope)).pos!)).toBe('sum(X * W)\n      ^');
    expect(formatCaret(errorOf(() => parseDecls('w: d\nX: n x')).pos!)).toBe('X: n x\n      ^');
  });
});

describe('the mathjs boundary', () => {
  it('in parse/, only mathjs.ts imports mathjs, and only its factories (the parser, not the instance)', () => {
    const root = join(import.meta.dirname, '../../src/parse');
    const importers: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && /from 'mathjs'/.test(readFileSync(path, 'utf8')))
          importers.push(path);
      }
    };
    walk(root);
    expect(importers.map((f) => f.slice(root.length + 1))).toEqual(['mathjs.ts']);
    const text = readFileSync(join(root, 'mathjs.ts'), 'utf8');
    const imported = /import \{([^}]*)\} from 'mathjs';/
      .exec(text)?.[1]
      .split(',')
      .map((n) => n.trim());
    expect(imported).toContain('createParse');
    expect(imported?.filter((n) => n !== '' && !/^create[A-Z]\w*$/.test(n))).toEqual([]);
  });
});
