import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that `path` holds either its previous content or the complete new content,
 * never a part of it. Every file limekit writes (explanations, reports, tables, pictures, study
 * summaries) goes through this function (decision 0011).
 *
 * How: the data goes to a temporary file `.<name>.<pid>.<random>.tmp` in the same folder (the same
 * file system, so the rename is atomic), which is flushed to disk (`fsync`), closed and renamed over
 * `path`; then, on POSIX systems, the folder itself is flushed so that the rename survives a power
 * loss. On any failure the temporary file is removed and the error is rethrown; `path` is untouched.
 *
 * @param path the destination. Its folder must exist (this function creates no folders).
 * @param data the content; a string is written as UTF-8.
 * @throws the file system's error, e.g. `ENOENT` when the folder does not exist, `EISDIR` or
 *   `ENOTEMPTY` when `path` is a folder.
 * @remarks Durability: once the promise resolves, the new content is on disk (file data flushed
 *   before the rename, folder entry flushed after it; on Windows, where a folder cannot be opened,
 *   only the file data is flushed). Readers that open `path` while the write is under way see the
 *   old file; a crash leaves the old file (plus, at worst, a stray `.tmp` file beside it).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const folder = dirname(path);
  const tmp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const fh = await open(tmp, 'wx');
    created = true;
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    created = false;
  } catch (err) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw err;
  }
  if (process.platform !== 'win32') {
    const dir = await open(folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
