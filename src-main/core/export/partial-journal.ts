// Remembers which export files are being written, so a crash mid-export leaves no `<file>.partial` behind:
// the next start deletes what the journal still lists. The save dialog lets a file go anywhere, so the
// files themselves cannot be found by scanning one folder.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { partialPathOf } from './partial-file';

const Journal = z.array(z.object({ path: z.string(), pid: z.number().int() }));
type Entry = z.infer<typeof Journal>[number];

export type PartialJournal = {
  add(finalPath: string): void;
  remove(finalPath: string): void;
  /** Deletes the partial files of exports whose process is gone; returns the paths it removed. */
  sweep(): string[];
};

/** Whether a process still runs; another instance (the CLI beside the app) may be mid-export. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createPartialJournal(file: string): PartialJournal {
  const read = (): Entry[] => {
    try {
      const parsed = Journal.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  };
  const write = (entries: Entry[]) => writeFileSync(file, JSON.stringify(entries), { mode: 0o600 });
  return {
    add(path) {
      write([...read().filter((e) => e.path !== path), { path, pid: process.pid }]);
    },
    remove(path) {
      write(read().filter((e) => e.path !== path));
    },
    sweep() {
      const removed: string[] = [];
      const kept: Entry[] = [];
      for (const entry of read()) {
        if (entry.pid !== process.pid && alive(entry.pid)) {
          kept.push(entry);
          continue;
        }
        // Only ever `<path>.partial`, a name the export itself made; never the finished file.
        const partial = partialPathOf(entry.path);
        try {
          rmSync(partial);
          removed.push(partial);
        } catch {
          // Already gone.
        }
      }
      write(kept);
      return removed;
    },
  };
}
