// Serial numbers, MAC addresses and hostnames as matching keys: one normal form each, and junk recognised as junk.
// The serial rule lives with the providers (providers/serial.ts) so their Tests count serials the way matching does.
export { normalizeSerial, type SerialVerdict } from '../providers/serial';

/** MAC normal form: 12 lower-case hex digits; all-zero and broadcast addresses are not identities. */
export function normalizeMac(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const hex = raw
    .trim()
    .toLowerCase()
    .replace(/[-:.\s]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex) || hex === '000000000000' || hex === 'ffffffffffff') return null;
  return hex;
}

const GENERIC_HOSTNAMES = new Set(['localhost', 'unknown', 'none', 'n/a']);

/** Hostname normal form: lower case, domain suffix dropped (Falcon and S1 disagree on whether to send it). */
export function normalizeHostname(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const full = raw.trim().toLowerCase();
  // An IP address is not a name with a domain suffix.
  const host = /^\d+(\.\d+){3}$/.test(full) ? full : (full.split('.')[0] ?? '');
  return host === '' || GENERIC_HOSTNAMES.has(host) ? null : host;
}
