// Where the math of a Markdown post or a .tex file is: display blocks (`$$…$$`, `\[…\]`, and the
// equation/align/gather environments) with their offsets, and the `matcalc let` declarations in
// `<!-- … -->` or `% …` comments. Code fences, inline code and other HTML comments are not math.

/** A display block: its text (delimiters removed, environments kept) and where it starts in the file. */
export interface DisplayMath {
  readonly text: string;
  /** 0-based offset of `text` in the file. */
  readonly offset: number;
}

export interface DeclComment {
  readonly text: string;
  readonly offset: number;
}

export interface MathSource {
  readonly blocks: readonly DisplayMath[];
  /** Inline math (`$…$`, `\(…\)`) that states a membership `\in`: where prose declares shapes. */
  readonly inline: readonly DisplayMath[];
  readonly decls: readonly DeclComment[];
  /** Display blocks inside HTML comments (not rendered, so not read), by offset. */
  readonly commented: readonly number[];
  /** Fences that look like a mistyped ```matcalc: their offset and info string. */
  readonly suspectFences: readonly { readonly offset: number; readonly info: string }[];
}

const ENVIRONMENTS = ['equation', 'equation*', 'align', 'align*', 'aligned', 'gather', 'gather*', 'multline'];
const DECL = /^\s*matcalc\s+let\b/;
/** A statement of the matcalc language, as a ```math block holding one would start. */
const MATCALC_LINE = /^\s*(let\s+\w+\s*:|claim\s|chain\b|grad\s+\S.*\swrt\s)/m;

function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/** The file with code (fences, indented blocks are left alone, inline `code`) blanked out, offsets kept. */
function withoutCode(src: string, suspects: { offset: number; info: string }[]): string {
  const lines = src.split('\n');
  let offset = 0;
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) {
      out += `${lines[i].replace(/`[^`\n]*`/g, blank)}\n`;
      offset += lines[i].length + 1;
      continue;
    }
    const close = new RegExp(`^ {0,3}${open[1][0] === '`' ? '`' : '~'}{${open[1].length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j])) j++;
    const body = lines.slice(i + 1, j).join('\n');
    const info = open[2];
    const typo = info !== 'matcalc' && info.toLowerCase().replace(/[^a-z]/g, '') === 'matcalc';
    if (typo || (info.toLowerCase() === 'math' && MATCALC_LINE.test(body))) suspects.push({ offset, info });
    for (let k = i; k <= Math.min(j, lines.length - 1); k++) {
      out += `${blank(lines[k])}\n`;
      offset += lines[k].length + 1;
    }
    i = j;
  }
  return out.slice(0, src.length);
}

/** Display math and declaration comments of a Markdown post (`tex` false) or a LaTeX file. */
export function findMath(src: string, tex: boolean): MathSource {
  const suspectFences: { offset: number; info: string }[] = [];
  let text = tex ? src : withoutCode(src, suspectFences);
  const decls: DeclComment[] = [];
  const commented: number[] = [];
  if (tex) {
    text = text.replace(/(^|[^\\])%([^\n]*)/g, (_m, pre: string, body: string, at: number) => {
      if (DECL.test(body)) {
        const k = body.indexOf('let');
        decls.push({ text: body.slice(k + 3), offset: at + pre.length + 1 + k + 3 });
      }
      return pre + blank(`%${body}`);
    });
  } else {
    text = text.replace(/<!--([\s\S]*?)-->/g, (m, body: string, at: number) => {
      if (DECL.test(body)) {
        const k = body.indexOf('let');
        decls.push({ text: body.slice(k + 3).replace(/-+$/, ''), offset: at + 4 + k + 3 });
      } else if (/\$\$|\\\[|\\begin\{/.test(body)) commented.push(at);
      return blank(m);
    });
  }
  const blocks: DisplayMath[] = [];
  const envs = ENVIRONMENTS.map((e) => e.replace('*', '\\*')).join('|');
  const display = new RegExp(
    `\\$\\$([\\s\\S]*?)\\$\\$|\\\\\\[([\\s\\S]*?)\\\\\\]|(\\\\begin\\{(${envs})\\}[\\s\\S]*?\\\\end\\{\\4\\})`,
    'g',
  );
  for (const m of text.matchAll(display)) {
    const at = m.index ?? 0;
    if (m[1] !== undefined) blocks.push({ text: m[1], offset: at + 2 });
    else if (m[2] !== undefined) blocks.push({ text: m[2], offset: at + 2 });
    else blocks.push({ text: m[3], offset: at });
  }
  const inline = inlineMath(text.replace(display, blank)).filter((m) => /\\in\b/.test(m.text));
  return { blocks, inline, decls, commented, suspectFences };
}

/** `$…$` and `\(…\)` spans within one paragraph (an escaped `\$` is a dollar sign); display math is blanked first. */
function inlineMath(text: string): DisplayMath[] {
  const out: DisplayMath[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '(') {
      const end = text.indexOf('\\)', i + 2);
      if (end < 0) break;
      out.push({ text: text.slice(i + 2, end), offset: i + 2 });
      i = end + 1;
    } else if (c === '\\') i++;
    else if (c === '$') {
      let j = i + 1;
      while (j < text.length && text[j] !== '$' && !/^\n[ \t]*\n/.test(text.slice(j, j + 64)))
        j += text[j] === '\\' ? 2 : 1;
      if (text[j] !== '$') continue;
      if (j > i + 1) out.push({ text: text.slice(i + 1, j), offset: i + 1 });
      i = j;
    }
  }
  return out;
}

/** 1-based line and column of an offset. */
export function lineColumn(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src[i] === '\n') {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}
