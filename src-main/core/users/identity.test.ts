import { describe, expect, it } from 'vitest';
import { createIdentityResolver, displayNameOf, parseAccount } from './identity';

describe('user normalization', () => {
  it('reconciles DOMAIN\\user and user@domain.tld to one identity, whatever the case', () => {
    const resolver = createIdentityResolver([]);
    expect(resolver.resolve('CORP\\Alice.Smith')).toBe('corp\\alice.smith');
    expect(resolver.resolve('alice.smith@corp.example')).toBe('corp\\alice.smith');
    expect(resolver.resolve('  ALICE.SMITH@Corp.Example.COM ')).toBe('corp\\alice.smith');
  });

  it('joins a bare name to the only domain identity with that account', () => {
    const resolver = createIdentityResolver(['CORP\\alice', 'bob@corp.example']);
    expect(resolver.resolve('alice')).toBe('corp\\alice');
    expect(resolver.resolve('Bob')).toBe('corp\\bob');
  });

  it('keeps a bare name apart when two domains have that account, or none does', () => {
    const resolver = createIdentityResolver(['CORP\\sam', 'LAB\\sam']);
    expect(resolver.resolve('sam')).toBe('sam');
    expect(resolver.resolve('CORP\\sam')).not.toBe(resolver.resolve('LAB\\sam'));
    expect(resolver.resolve('carol')).toBe('carol');
  });

  it('does not guess that a NetBIOS name and a different DNS label are one domain', () => {
    const resolver = createIdentityResolver([]);
    expect(resolver.resolve('EXAMPLE\\dana')).not.toBe(resolver.resolve('dana@corp.example'));
  });

  it('treats .\\user as a local account without a domain', () => {
    expect(parseAccount('.\\erin')).toMatchObject({ account: 'erin', domain: null });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['N/A', 'placeholder'],
    ['unknown', 'placeholder'],
    ['root', 'Unix superuser'],
    ['ec2-user', 'cloud image default'],
    ['ubuntu', 'cloud image default'],
    ['Administrator', 'built-in administrator'],
    ['CORP\\Administrator', 'built-in administrator in a domain'],
    ['NT AUTHORITY\\SYSTEM', 'system account'],
    ['NT AUTHORITY\\NETWORK SERVICE', 'service account'],
    ['Window Manager\\DWM-1', 'desktop window manager session'],
    ['CORP\\WS-0042$', 'machine account'],
    ['svc_backup@corp.example', 'svc naming convention'],
  ])('ignores %j (%s)', (name) => {
    expect(parseAccount(name)).toBeNull();
    expect(createIdentityResolver([name]).resolve(name)).toBeNull();
  });

  it('ignores null and undefined', () => {
    expect(parseAccount(null)).toBeNull();
    expect(parseAccount(undefined)).toBeNull();
  });

  it('shows the fullest spelling: a UPN over DOMAIN\\user over a bare name', () => {
    expect(displayNameOf(['alice', 'CORP\\alice', 'alice@corp.example'])).toBe('alice@corp.example');
    expect(displayNameOf(['alice', 'CORP\\alice'])).toBe('CORP\\alice');
    expect(displayNameOf(['alice'])).toBe('alice');
  });
});
