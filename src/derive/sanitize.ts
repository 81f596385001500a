// Derivation prose made safe for the generated Markdown, which a blog engine (kramdown, GitHub) renders
// with raw HTML enabled: outside code and math, tags become text (`&lt;script>`), HTML comments and
// http(s)/mailto autolinks stay, and link destinations with a script-capable scheme are replaced by `#`.

/** A link destination a renderer must not turn into a link (markdown-it's validateLink rule, plus entities). */
export function unsafeLink(dest: string): boolean {
  const decoded = dest
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16) % 0x110000))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d) % 0x110000))
    .replace(/&colon;?/gi, ':')
    .replace(/&tab;?|&newline;?/gi, '');
  let plain = [...decoded]
    .filter((c) => c.charCodeAt(0) > 32)
    .join('')
    .toLowerCase();
  try {
    plain = decodeURIComponent(plain);
  } catch {
    // Not percent-encoded text: checked as is.
  }
  if (/^data:image\/(gif|png|jpeg|webp);/.test(plain)) return false;
  return /^(javascript|vbscript|file|data):/.test(plain);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** One line outside fenced code: tags escaped, unsafe inline-link destinations replaced; `open` when an
 * HTML comment starts on it and does not end. */
function sanitizeLine(line: string): { text: string; open: boolean } {
  const ref = /^(\s{0,3}\[[^\]]+\]:\s*)(<[^>]*>|\S+)(.*)$/.exec(line);
  if (ref && unsafeLink(ref[2].replace(/^<|>$/g, ''))) return { text: `${ref[1]}#${ref[3]}`, open: false };
  let out = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(line.slice(i))![0];
      const close = line.indexOf(run, i + run.length);
      if (close > 0) {
        out += line.slice(i, close + run.length);
        i = close + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    if (c === '$') {
      const run = line.startsWith('$$', i) ? '$$' : '$';
      const close = line.indexOf(run, i + run.length);
      if (close > 0) {
        out += line.slice(i, close + run.length);
        i = close + run.length;
        continue;
      }
    }
    if (c === '<') {
      const rest = line.slice(i);
      const comment = /^<!--[\s\S]*?-->/.exec(rest);
      const auto = /^<(https?:\/\/|mailto:)[^\s<>]*>/i.exec(rest);
      const keep = comment ?? auto;
      if (keep) {
        out += keep[0];
        i += keep[0].length;
        continue;
      }
      if (rest.startsWith('<!--')) return { text: out + rest, open: true };
      if (/^<[A-Za-z/!?]/.test(rest)) {
        out += '&lt;';
        i++;
        continue;
      }
    }
    if (c === ']' && line[i + 1] === '(') {
      const m = /^\]\(\s*(<[^>]*>|[^\s)]*(?:\([^\s)]*\)[^\s)]*)*)/.exec(line.slice(i));
      if (m && unsafeLink(m[1].replace(/^<|>$/g, ''))) {
        out += '](#';
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return { text: out, open: false };
}

/** Prose with raw HTML and script links neutralised, fenced code untouched. */
export function sanitizeProse(text: string): string {
  let fence: string | undefined;
  let comment = false;
  const line = (l: string): string => {
    const r = sanitizeLine(l);
    comment = r.open;
    return r.text;
  };
  return text
    .split('\n')
    .map((l) => {
      if (comment) {
        const end = l.indexOf('-->');
        return end < 0 ? l : l.slice(0, end + 3) + line(l.slice(end + 3));
      }
      const open = FENCE.exec(l);
      if (fence) {
        if (open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = undefined;
        return l;
      }
      if (open) {
        fence = open[1];
        return l;
      }
      return line(l);
    })
    .join('\n');
}
