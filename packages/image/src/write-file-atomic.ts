import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that `path` holds either its previous content or the complete new content,
 * never a part of it. Every file limekit writes (explanations, reports, tables, pictures, study
 * summaries) goes through this function (decision 0011), or through {@link writeFileFlushed} inside a
 * staging folder that is moved into place whole (decision 0030).
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
    await writeFlushClose(fh, data);
    await rename(tmp, path);
    created = false;
  } catch (err) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncFolder(folder);
}

/**
 * Writes a file in place and flushes it to disk (`fsync`) before resolving — without
 * {@link writeFileAtomic}'s temporary name: for a file in a folder that is itself moved into place
 * once complete (the CLI's output staging), where a part-written file is never seen.
 */
export async function writeFileFlushed(path: string, data: string | Uint8Array): Promise<void> {
  await writeFlushClose(await open(path, 'w'), data);
}

/** Flushes a folder's entries (files created or renamed in it) to disk; a no-op on Windows, which cannot open folders. */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes through an open handle, flushes to disk and closes the handle (on failure too). */
async function writeFlushClose(fh: FileHandle, data: string | Uint8Array): Promise<void> {
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
