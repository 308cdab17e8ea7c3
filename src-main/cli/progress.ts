// One progress line on standard error, rewritten in place; ended with a newline before anything else prints.
let open = false;

export function showProgress(text: string): void {
  process.stderr.write(`\r${text}`);
  open = true;
}

/** Finishes a progress line so the next message starts on its own line. */
export function endProgress(): void {
  if (!open) return;
  process.stderr.write('\n');
  open = false;
}
