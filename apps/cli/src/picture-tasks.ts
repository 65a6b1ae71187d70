/**
 * Raw picture bytes allowed in flight at once when an explanation's pictures are written: every
 * picture of a photo of ordinary size (a 640×480 original: 15 pictures, 14 MB), one label's at a
 * time for a 12-megapixel one.
 */
export const PICTURE_BYTES_IN_FLIGHT = 48 * 2 ** 20;

/** How many labels' pictures to render and encode at once: as many as fit in `budget` bytes, at least one. */
export function labelsAtOnce(picturesPerLabel: number, bytesPerPicture: number, budget = PICTURE_BYTES_IN_FLIGHT): number {
  return Math.max(1, Math.floor(budget / (picturesPerLabel * bytesPerPicture)));
}

/**
 * Runs picture tasks (render, then encode and stage) label by label, `groupsAtOnce` labels at a
 * time. Within a round each task is started, then the thread yields once so that an encoder
 * working on libuv's threads (sharp) is running before the next picture is rendered here.
 *
 * @param groups one array of tasks per label.
 * @param groupsAtOnce labels per round, ≥ 1.
 * @throws the first task's failure, once every task of its round has settled (none is left
 *   unobserved, no later round starts).
 */
export async function runPictureTasks(groups: readonly (readonly (() => Promise<void>)[])[], groupsAtOnce: number): Promise<void> {
  for (let first = 0; first < groups.length; first += groupsAtOnce) {
    const started: Promise<void>[] = [];
    for (const group of groups.slice(first, first + groupsAtOnce)) {
      for (const task of group) {
        const run = Promise.resolve().then(task);
        // Observed now: a failure while later tasks are still starting must not count as unhandled.
        run.catch(() => undefined);
        started.push(run);
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    const results = await Promise.allSettled(started);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
