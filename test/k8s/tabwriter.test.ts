// Go's text/tabwriter as kubectl and kn use it: the column rules a golden table depends on.
import { describe, expect, it } from 'vitest';
import { KN_DESCRIBE, KN_TABLE, KUBECTL_TABLE, TabWriter, tabulate } from '../../src/k8s/tabwriter.js';

function written(text: string, options = KN_DESCRIBE): string {
  const w = new TabWriter(options);
  w.write(text);
  return w.text();
}

describe('TabWriter', () => {
  it('pads every tab-terminated cell to its column: widest + padding, at least the min width', () => {
    expect(
      tabulate(
        [
          ['NAME', 'AGE'],
          ['a', '5s'],
        ],
        KUBECTL_TABLE,
      ),
    ).toBe('NAME   AGE\na      5s\n');
    // min width 6 wins over 2 + 3
    expect(
      tabulate(
        [
          ['ID', 'X'],
          ['1', 'y'],
        ],
        KUBECTL_TABLE,
      ),
    ).toBe('ID    X\n1     y\n');
  });

  it('pads a cell before an empty last cell, leaving trailing spaces (kubectl READY before an empty REASON)', () => {
    expect(
      tabulate(
        [
          ['READY', 'REASON'],
          ['True', ''],
        ],
        KUBECTL_TABLE,
      ),
    ).toBe('READY   REASON\nTrue    \n');
  });

  it('never pads the last cell of a line, however long', () => {
    expect(written('a:\tb\nlonger:\tc\n')).toBe('a:       b\nlonger:  c\n');
  });

  it('ends a column block at a line with fewer cells', () => {
    // The third line has no cell in column 1, so lines 1-2 and 4 align separately.
    expect(written('x\ty\tz\nxxxx\tyy\tz\nq\tlast\nx\tyyyyyy\tz\n')).toBe('x     y   z\nxxxx  yy  z\nq     last\nx     yyyyyy  z\n');
  });

  it('flushes at a line of one cell: what came before aligns on its own', () => {
    expect(written('a:\t1\n\nlonger:\t2\n')).toBe('a:  1\n\nlonger:  2\n');
  });

  it('pads leading empty cells with tabs under TabIndent (to a multiple of the tab width), spaces otherwise', () => {
    expect(written('\tx\ty\nab\tc\td\n', KN_TABLE)).toBe('\t\tx     y\nab    c     d\n');
    expect(written('\tx\ty\nab\tc\td\n', KUBECTL_TABLE)).toBe('      x     y\nab    c     d\n');
  });

  it('writes an unterminated last line without a newline', () => {
    expect(written('a\tb\nc')).toBe('a  b\nc');
  });
});
