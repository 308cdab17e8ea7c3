// The one number formatter: every count on every screen reads the same way ("253,331", never "253331").
let counts: Intl.NumberFormat | undefined;

export function formatCount(n: number): string {
  counts ??= new Intl.NumberFormat(); // built on first use: its locale data costs time at start
  return counts.format(n);
}

/** "1 device", "108,587 devices". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
