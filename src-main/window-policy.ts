// Navigation and sender predicates for the Electron shell, testable without Electron.

/** The renderer may only ever show the app itself: same origin for http(s), same file for file:. */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  let url: URL;
  let app: URL;
  try {
    url = new URL(candidate);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return url.protocol === 'file:' && url.pathname === app.pathname;
  return url.origin === app.origin;
}

const DOCUMENTATION_HOSTS = [/^falcon\.([a-z0-9-]+\.)*crowdstrike\.com$/, /^([a-z0-9-]+\.)*sentinelone\.(net|com)$/, /^developers\.cloudflare\.com$/];

/** Links the app may hand to the system browser: https vendor documentation only. */
export function isDocumentationUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' && !url.username && DOCUMENTATION_HOSTS.some((h) => h.test(url.hostname));
  } catch {
    return false;
  }
}

interface FrameLike {
  url: string;
  parent: unknown;
}

/** IPC is answered only for the app's own top-level frame (VS Code's validated-sender rule). */
export function isTrustedSender(frame: FrameLike | null | undefined, appUrl: string): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url, appUrl);
}
