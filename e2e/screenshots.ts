// The README's screenshots are written only when asked (`npm run screenshots`, or SCREENSHOTS=1): a plain
// `npm run e2e` still takes each one (so its page state is exercised) but keeps the tracked files untouched.
import { join } from 'node:path';

export const writeScreenshots = process.env.SCREENSHOTS === '1';

/** Where to write a screenshot named like `dashboard.png` or `dark/devices.png`; undefined: do not write it. */
export function screenshotPath(name: string): string | undefined {
  return writeScreenshots ? join('docs/screenshots', name) : undefined;
}
