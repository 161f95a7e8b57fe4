/**
 * Splits a command line into words the way a POSIX shell would for kn: whitespace
 * separates words, single quotes keep everything literally, double quotes keep spaces
 * and honour backslash escapes of `"`, `\`, `$` and `` ` ``, a bare backslash escapes
 * the next character. No expansion of variables, globs or substitutions.
 */
type ShellWords = { ok: true; words: string[] } | { ok: false; error: string };

export function splitShellWords(line: string): ShellWords {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line.charAt(i + 1))) word += line.charAt(++i);
      else word += ch;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\' && i + 1 < line.length) word += line.charAt(++i);
    else word += ch;
  }
  if (quote !== undefined) return { ok: false, error: `unterminated ${quote === '"' ? 'double' : 'single'} quote in command line` };
  if (inWord) words.push(word);
  return { ok: true, words };
}
