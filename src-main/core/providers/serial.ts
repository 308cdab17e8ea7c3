// A serial number as a provider reports it: its normal form, and junk recognised as junk. The one home of the
// rule: the matcher (posture/match.ts) and every provider Test's coverage step judge serials with it.

export type SerialVerdict = { status: 'valid'; key: string } | { status: 'missing' } | { status: 'junk'; raw: string; why: 'placeholder' | 'repeated' };

/**
 * Firmware placeholders, compared with everything but letters and digits removed, so "N/A", "n.a." and
 * "To Be Filled By O.E.M." all hit their entry.
 */
const PLACEHOLDERS = new Set([
  'TOBEFILLEDBYOEM',
  'SYSTEMSERIALNUMBER',
  'CHASSISSERIALNUMBER',
  'BASEBOARDSERIALNUMBER',
  'SERIALNUMBER',
  'SERIAL',
  'DEFAULTSTRING',
  'DEFAULT',
  'OEM',
  'NONE',
  'NA',
  'NULL',
  'NIL',
  'UNKNOWN',
  'UNDEFINED',
  'INVALID',
  'EMPTY',
  'NOTAPPLICABLE',
  'NOTAVAILABLE',
  'NOTSPECIFIED',
  'NOTSET',
  '0123456789',
  '123456789',
  '1234567890',
  '12345678',
]);

// Invisible characters SMBIOS strings sometimes carry (NULs, zero-width spaces, BOMs).
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
// Whitespace and every kind of dash: the same VMware serial arrives as "VMware-56 4d …" and "VMware-564d…".
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/gu;

/**
 * Serial normal form: Unicode NFKC, invisible characters removed, trimmed, upper-cased, whitespace and dashes
 * removed. Missing: null/undefined or nothing left. Junk: a firmware placeholder, or one character repeated
 * ("0", "00000000", "XXXXXXX"), or no letter or digit at all.
 */
export function normalizeSerial(raw: string | null | undefined): SerialVerdict {
  if (raw === null || raw === undefined) return { status: 'missing' };
  const trimmed = raw.normalize('NFKC').replace(INVISIBLE, '').trim();
  if (trimmed === '') return { status: 'missing' };
  const key = trimmed.toUpperCase().replace(SEPARATORS, '');
  const alnum = key.replace(/[^\p{L}\p{N}]/gu, '');
  if (alnum === '' || PLACEHOLDERS.has(alnum)) return { status: 'junk', raw: trimmed, why: 'placeholder' };
  if (/^(.)\1*$/u.test(alnum)) return { status: 'junk', raw: trimmed, why: 'repeated' };
  return { status: 'valid', key };
}

/** A serial that can identify a machine (neither missing nor junk). */
export function isUsableSerial(raw: string | null | undefined): boolean {
  return normalizeSerial(raw).status === 'valid';
}
