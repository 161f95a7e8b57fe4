/**
 * Go's `text/tabwriter`, the aligner behind every table kubectl and kn print: text is cut
 * into cells at tabs, a line ends at a newline, and a column is as wide as its widest cell
 * plus the padding (at least `minWidth`) over each block of consecutive lines that have a
 * cell in that column. The last cell of a line is never part of a column, so it is written
 * as is; every other cell is padded, even before an empty last cell (which is why kubectl's
 * and kn's tables can end a line with spaces). A line with a single cell (no tab) ends every
 * column block: the writer flushes there.
 *
 * Mirrors Go's src/text/tabwriter/tabwriter.go (Write, format, writeLines, writePadding).
 * Fidelity: widths are counted in UTF-16 code units (Go counts runes; the same for the text
 * knsim prints); no escapes, no HTML filtering, no AlignRight or Debug flags.
 */
import { must } from '../engine/assert.js';

export interface TabWriterOptions {
  /** Minimal cell width including padding. */
  minWidth: number;
  /** Width of a tab, for padding with tabs. */
  tabWidth: number;
  /** Added to a cell's width to make its column's width. */
  padding: number;
  /** Pad with this character (a tab pads with tabs). */
  padChar: string;
  /** Pad leading empty cells with tabs (Go's TabIndent). */
  tabIndent?: boolean;
  /** Empty columns of soft cells get width 0 (Go's DiscardEmptyColumns). */
  discardEmptyColumns?: boolean;
}

interface Cell {
  text: string;
  /** Tab-terminated (Go's htab). */
  htab: boolean;
}

/** kubectl's printers (cli-runtime pkg/printers/tabwriter.go): min width 6, tab width 4, padding 3, spaces. */
export const KUBECTL_TABLE: TabWriterOptions = { minWidth: 6, tabWidth: 4, padding: 3, padChar: ' ' };
/** kn's list tables (knative/client pkg/printers/tabwriter.go): as kubectl's, with TabIndent. */
export const KN_TABLE: TabWriterOptions = { minWidth: 6, tabWidth: 4, padding: 3, padChar: ' ', tabIndent: true };
/** kn's describe pages (knative/client pkg/printers/prefixwriter.go): min width 0, tab width 8, padding 2, spaces. */
export const KN_DESCRIBE: TabWriterOptions = { minWidth: 0, tabWidth: 8, padding: 2, padChar: ' ' };

export class TabWriter {
  private lines: Cell[][] = [[]];
  private cell = '';
  private out = '';
  private widths: number[] = [];

  constructor(private readonly options: TabWriterOptions) {}

  /** Adds text; a newline that ends a line of one cell flushes what is buffered, as Go's Write does. */
  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n') continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const cells = this.terminateCell(ch === '\t');
      if (ch === '\n') {
        this.lines.push([]);
        if (cells === 1) this.flush();
      }
    }
    this.cell += text.slice(start);
  }

  /** Formats and emits everything buffered; the writer starts afresh (widths are not remembered). */
  flush(): void {
    if (this.cell.length > 0) this.terminateCell(false);
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.widths = [];
  }

  /** Flushes and returns everything written so far. */
  text(): string {
    this.flush();
    const out = this.out;
    this.out = '';
    return out;
  }

  private terminateCell(htab: boolean): number {
    const line = must(this.lines[this.lines.length - 1], 'the writer always has a current line');
    line.push({ text: this.cell, htab });
    this.cell = '';
    return line.length;
  }

  /** Go's format: the column blocks of column `widths.length` within lines [line0, line1), recursively. */
  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let at = line0; at < line1; at++) {
      if (column >= this.line(at).length - 1) continue;
      // A cell in this column: print the lines before the block, then measure the block.
      this.writeLines(line0, at);
      line0 = at;
      let width = this.options.minWidth;
      let discardable = true;
      for (; at < line1; at++) {
        const line = this.line(at);
        if (column >= line.length - 1) break;
        const c = must(line[column], 'a line with more cells than the column has a cell there');
        width = Math.max(width, c.text.length + this.options.padding);
        if (c.text.length > 0 || c.htab) discardable = false;
      }
      if (discardable && this.options.discardEmptyColumns === true) width = 0;
      this.widths.push(width);
      this.format(line0, at);
      this.widths.pop();
      line0 = at;
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.line(i);
      let useTabs = this.options.tabIndent === true;
      line.forEach((c, j) => {
        const width = this.widths[j];
        if (c.text.length === 0) {
          if (width !== undefined) this.pad(0, width, useTabs);
          return;
        }
        useTabs = false;
        this.out += c.text;
        if (width !== undefined) this.pad(c.text.length, width, false);
      });
      // The last line is the one still being written: it has no newline yet.
      if (i + 1 < this.lines.length) this.out += '\n';
    }
  }

  private pad(textWidth: number, cellWidth: number, useTabs: boolean): void {
    const { padChar, tabWidth } = this.options;
    if (padChar === '\t' || useTabs) {
      if (tabWidth === 0) return;
      const rounded = Math.ceil(cellWidth / tabWidth) * tabWidth;
      this.out += '\t'.repeat(Math.ceil((rounded - textWidth) / tabWidth));
      return;
    }
    this.out += padChar.repeat(cellWidth - textWidth);
  }

  private line(i: number): Cell[] {
    return must(this.lines[i], 'a line index within the buffered lines');
  }
}

/** Rows of cells through a tab writer, each row ended by a newline: what kubectl's and kn's table printers do. */
export function tabulate(rows: readonly (readonly string[])[], options: TabWriterOptions): string {
  const w = new TabWriter(options);
  for (const row of rows) w.write(`${row.join('\t')}\n`);
  return w.text();
}
