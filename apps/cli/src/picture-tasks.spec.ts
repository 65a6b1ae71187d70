import { describe, expect, it } from 'vitest';
import { labelsAtOnce, PICTURE_BYTES_IN_FLIGHT, runPictureTasks } from './picture-tasks.js';

/** Tasks that each take a few event-loop turns and record how many ran at once. */
function tracked(labels: number, perLabel: number, fail?: { label: number; task: number }) {
  let running = 0;
  const seen = { maxRunning: 0, order: [] as string[], settled: 0 };
  const groups = Array.from({ length: labels }, (_, l) =>
    Array.from({ length: perLabel }, (_, t) => async () => {
      seen.order.push(`${l}.${t}`);
      if (fail && fail.label === l && fail.task === t) throw new Error(`picture ${l}.${t} failed`);
      running++;
      seen.maxRunning = Math.max(seen.maxRunning, running);
      for (let k = 0; k < 3; k++) await new Promise<void>((r) => setImmediate(r));
      running--;
      seen.settled++;
    }),
  );
  return { groups, seen };
}

describe('picture tasks', () => {
  it('fits every label of an ordinary photo in one round and one label of a 12-megapixel photo', () => {
    expect(labelsAtOnce(3, 320 * 240 * 3)).toBe(Math.floor(PICTURE_BYTES_IN_FLIGHT / (3 * 320 * 240 * 3)));
    expect(labelsAtOnce(3, 640 * 480 * 3)).toBeGreaterThanOrEqual(5);
    expect(labelsAtOnce(3, 4000 * 3000 * 3)).toBe(1);
    expect(labelsAtOnce(3, 100, 1)).toBe(1);
  });

  it('keeps the tasks of at most groupsAtOnce labels in flight, starting them in label order', async () => {
    const one = tracked(5, 3);
    await runPictureTasks(one.groups, 1);
    expect(one.seen.maxRunning).toBeLessThanOrEqual(3);
    expect(one.seen.maxRunning).toBeGreaterThan(1); // started before the previous one finished
    expect(one.seen.settled).toBe(15);
    const all = tracked(5, 3);
    await runPictureTasks(all.groups, 5);
    expect(all.seen.maxRunning).toBeGreaterThan(3);
    expect(all.seen.order).toEqual(Array.from({ length: 15 }, (_, i) => `${Math.floor(i / 3)}.${i % 3}`));
  });

  it('rejects with the failure once its round has settled, and starts no later round', async () => {
    const t = tracked(4, 3, { label: 1, task: 0 });
    await expect(runPictureTasks(t.groups, 2)).rejects.toThrow('picture 1.0 failed');
    // Round 1 (labels 0 and 1): the five other tasks ran to the end; labels 2 and 3 never started.
    expect(t.seen.settled).toBe(5);
    expect(t.seen.order.some((o) => o.startsWith('2.') || o.startsWith('3.'))).toBe(false);
  });

  it('turns a task that throws before its first await into a rejection', async () => {
    const groups = [[() => { throw new Error('render failed'); }] as unknown as (() => Promise<void>)[]];
    await expect(runPictureTasks(groups, 1)).rejects.toThrow('render failed');
  });
});
