// The posture log's plain values, without zod: the renderer reads the URL's filters and builds the first page's
// query with these before any schema has loaded. posture-log.ts builds its enums from the same lists.

export const postureResults = ['pass', 'fail', 'unknown'] as const;
export type PostureResultValue = (typeof postureResults)[number];

export const logViews = ['changes', 'evaluations', 'latest'] as const;
export type LogViewValue = (typeof logViews)[number];

export function isPostureResult(value: unknown): value is PostureResultValue {
  return (postureResults as readonly unknown[]).includes(value);
}

export function isLogView(value: unknown): value is LogViewValue {
  return (logViews as readonly unknown[]).includes(value);
}

/**
 * What a text filter looks for in `name \n match key` (lower case): the text, and the text without the spaces
 * and dashes a match key drops, so a serial typed as the provider shows it ("SN-00002") finds "sn00002".
 */
export function searchNeedles(text: string): string[] {
  const needle = text.toLowerCase();
  const keyNeedle = needle.replace(/[\s\-\u2010-\u2015\u2212]/gu, '');
  return keyNeedle === '' || keyNeedle === needle ? [needle] : [needle, keyNeedle];
}
