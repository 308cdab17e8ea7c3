import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeHostname, normalizeMac, normalizeSerial } from './match-keys';

describe('normalizeSerial', () => {
  it.each([
    ['C02XK1ZZJG5J', 'C02XK1ZZJG5J'],
    ['  c02xk1zzjg5j\n', 'C02XK1ZZJG5J'],
    ['PF3K-9XQ2', 'PF3K9XQ2'],
    ['PF3K 9XQ2', 'PF3K9XQ2'],
    ['PF3K\u20139XQ2', 'PF3K9XQ2'],
    ['PF3K9XQ2\u0000', 'PF3K9XQ2'],
    ['\uFEFFPF3K9XQ2\u200B', 'PF3K9XQ2'],
    ['ＰＦ３Ｋ９ＸＱ２', 'PF3K9XQ2'],
    ['VMware-56 4d 2e 1f 3a 7b 9c 0d-1e 2f 3a 4b 5c 6d 7e 8f', 'VMWARE564D2E1F3A7B9C0D1E2F3A4B5C6D7E8F'],
    ['ec2a1b2c3d4e5f60718293a4b5c6d7e8', 'EC2A1B2C3D4E5F60718293A4B5C6D7E8'],
    ['5CG1234ABC', '5CG1234ABC'],
  ])('%j is the key %s', (raw, key) => {
    expect(normalizeSerial(raw)).toEqual({ status: 'valid', key });
  });

  it.each([null, undefined, '', '   ', '\u0000', '\t\n'])('%j is missing', (raw) => {
    expect(normalizeSerial(raw)).toEqual({ status: 'missing' });
  });

  it.each([
    'To Be Filled By O.E.M.',
    'to be filled by o.e.m.',
    'System Serial Number',
    'Default string',
    'Default String',
    'None',
    'N/A',
    'n/a',
    'NA',
    'null',
    'Unknown',
    'Not Specified',
    'Not Applicable',
    'Chassis Serial Number',
    'Base Board Serial Number',
    'O.E.M.',
    '123456789',
    '1234567890',
    '--',
    '...',
  ])('%j is a placeholder', (raw) => {
    expect(normalizeSerial(raw)).toMatchObject({ status: 'junk', why: 'placeholder', raw: raw.trim() });
  });

  it.each(['0', '00000000', 'XXXXXXXX', 'xxxxxxxx', '1111-1111', 'A', '0 0 0 0'])('%j is one character repeated', (raw) => {
    expect(normalizeSerial(raw)).toMatchObject({ status: 'junk', why: 'repeated' });
  });

  it('keeps the raw text of a junk serial for the reason, trimmed', () => {
    expect(normalizeSerial('  To Be Filled By O.E.M.  ')).toEqual({ status: 'junk', raw: 'To Be Filled By O.E.M.', why: 'placeholder' });
  });

  it('is idempotent and ignores case, spaces and dashes for every valid serial', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 24 }), (raw) => {
        const verdict = normalizeSerial(raw);
        if (verdict.status !== 'valid') return;
        expect(normalizeSerial(verdict.key)).toEqual(verdict);
        expect(normalizeSerial(` ${raw.toLowerCase()} `)).toEqual(normalizeSerial(raw.toLowerCase()));
        expect(normalizeSerial(raw.replace(/-/g, ' '))).toEqual(normalizeSerial(raw));
      }),
    );
  });
});

describe('normalizeMac', () => {
  it.each([
    ['08-00-27-51-56-D8', '0800275156d8'],
    ['08:00:27:51:56:d8', '0800275156d8'],
    ['0800.2751.56d8', '0800275156d8'],
  ])('%s → %s', (raw, key) => {
    expect(normalizeMac(raw)).toBe(key);
  });

  it.each([null, '', '00:00:00:00:00:00', 'ff-ff-ff-ff-ff-ff', '08:00:27', 'not a mac'])('%j is no identity', (raw) => {
    expect(normalizeMac(raw)).toBeNull();
  });
});

describe('normalizeHostname', () => {
  it.each([
    ['FIN-LT-0142', 'fin-lt-0142'],
    ['fin-lt-0142.corp.example', 'fin-lt-0142'],
    ['  Web-Prod-01 ', 'web-prod-01'],
    ['10.20.4.17', '10.20.4.17'],
  ])('%s → %s', (raw, key) => {
    expect(normalizeHostname(raw)).toBe(key);
  });

  it.each([null, '', 'localhost', 'LOCALHOST.localdomain', 'unknown'])('%j is no name', (raw) => {
    expect(normalizeHostname(raw)).toBeNull();
  });
});
