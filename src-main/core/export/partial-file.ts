// An export file that only appears under its final name when complete: bytes go to `<final>.partial`,
// which is renamed into place on success and deleted on cancel or failure.
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';

export type PartialFile = {
  stream: WriteStream;
  /** Flushes to disk and renames into place; call after the stream finished. */
  commit(): Promise<void>;
  /** Stops writing and removes the partial file. */
  discard(): Promise<void>;
};

export function partialPathOf(finalPath: string): string {
  return `${finalPath}.partial`;
}

/** `mode` applies to the file as created (the umask may narrow it further). */
export function openPartialFile(finalPath: string, mode = 0o666): PartialFile {
  const partial = partialPathOf(finalPath);
  const stream = createWriteStream(partial, { mode });
  // Waits for 'close' only: an error on the way (a failed write, a destroy by the pipeline) must not stop
  // the cleanup that follows.
  const closed = () => new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once('close', () => resolve())));
  return {
    stream,
    async commit() {
      await closed();
      // The rename must not land before the bytes do, or a crash could leave a short file under the final name.
      const handle = await open(partial, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(partial, finalPath);
    },
    async discard() {
      stream.destroy();
      // Windows cannot delete a file that is still open.
      await closed();
      await rm(partial, { force: true });
    },
  };
}
