import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './core/csp';
import { isAppUrl, isDocumentationUrl, isTrustedSender } from './window-policy';

describe('content security policy', () => {
  it('allows only the app itself and never eval', () => {
    const directives = Object.fromEntries(
      contentSecurityPolicy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('navigation and sender policy', () => {
  const fileApp = 'file:///opt/pc/out/renderer/index.html';
  it('accepts only the app page for file: apps', () => {
    expect(isAppUrl('file:///opt/pc/out/renderer/index.html#/status', fileApp)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', fileApp)).toBe(false);
    expect(isAppUrl('https://example.com/', fileApp)).toBe(false);
  });

  it('accepts only the dev server origin in development', () => {
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });

  it('trusts only a top-level frame of the app', () => {
    expect(isTrustedSender({ url: fileApp, parent: null }, fileApp)).toBe(true);
    expect(isTrustedSender({ url: fileApp, parent: {} }, fileApp)).toBe(false);
    expect(isTrustedSender(null, fileApp)).toBe(false);
  });
});

describe('documentation links', () => {
  it('hands only https vendor documentation to the browser', () => {
    expect(isDocumentationUrl('https://falcon.crowdstrike.com/documentation/1')).toBe(true);
    expect(isDocumentationUrl('https://usea1.sentinelone.net/docs')).toBe(true);
    expect(isDocumentationUrl('http://falcon.crowdstrike.com/')).toBe(false);
    expect(isDocumentationUrl('https://crowdstrike.com.evil.example/')).toBe(false);
    expect(isDocumentationUrl('file:///etc/passwd')).toBe(false);
  });
});
