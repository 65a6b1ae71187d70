import { describe, expect, it } from 'vitest';
import { rowByRowSession } from './row-session.js';

describe('rowByRowSession', () => {
  const drawn: number[] = [];
  const spec = (total: number, firstRowIsInstance: boolean, weighted = false) =>
    rowByRowSession({
      total,
      numFeatures: 3,
      firstRowIsInstance,
      weighted,
      drawRow(row, index) {
        drawn.push(index);
        row[index % 3] = 1;
        return weighted ? index / 10 : undefined;
      },
      summary: () => ({ extra: 'x' }),
    });

  it('writes the instance row itself, draws the others by index, and cuts blocks at maxRows', () => {
    drawn.length = 0;
    const s = spec(5, true);
    expect(s.firstRowIsInstance).toBe(true);
    expect(s.needsObservations).toBe(false);
    const a = s.next(2)!, b = s.next(2)!, c = s.next(2)!;
    expect([a.count, b.count, c.count]).toEqual([2, 2, 1]);
    expect(Array.from(a.rows)).toEqual([1, 1, 1, 0, 1, 0]);
    expect(Array.from(b.rows)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(c.rows)).toEqual([0, 1, 0]);
    expect(a.weights).toBeUndefined();
    expect(drawn).toEqual([1, 2, 3, 4]);
    expect(s.next(2)).toBeNull();
    expect(s.summary!()).toEqual({ samples: 5, extra: 'x' });
  });

  it('gives the same rows at any block size', () => {
    const all = (maxRows: number) => {
      const s = spec(7, false, true);
      const rows: number[] = [], weights: number[] = [];
      for (let b = s.next(maxRows); b; b = s.next(maxRows)) {
        rows.push(...b.rows);
        weights.push(...b.weights!);
      }
      return { rows, weights };
    };
    expect(all(1)).toEqual(all(64));
    expect(all(3).weights).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  });

  it('weighs the instance row 1 in a weighted session, and stops at once when total is 0', () => {
    expect(Array.from(spec(2, true, true).next(8)!.weights!)).toEqual([1, 0.1]);
    expect(spec(0, true).next(8)).toBeNull();
  });
});
