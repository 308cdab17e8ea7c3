// Where a bound web host can be reached: a wildcard bind (0.0.0.0, ::) is reachable at each of the
// machine's own addresses, which are what the admin opens and what the Host guard must accept.
import { networkInterfaces } from 'node:os';

const WILDCARD_V4 = new Set(['0.0.0.0']);
const WILDCARD_V6 = new Set(['::', '[::]']);

/** How an address is written in a URL's host part. */
export function hostForUrl(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** The addresses behind a bind host: itself, or for a wildcard every interface address (loopback last). */
export function reachableAddresses(bindHost: string, interfaces = networkInterfaces()): string[] {
  const v4 = WILDCARD_V4.has(bindHost);
  const v6 = WILDCARD_V6.has(bindHost);
  if (!v4 && !v6) return [bindHost];
  const found = Object.values(interfaces)
    .flat()
    .filter((a) => a !== undefined)
    // Link-local IPv6 needs a zone id that browsers do not take in a URL.
    .filter((a) => (a.family === 'IPv4' ? true : v6 && !a.address.toLowerCase().startsWith('fe80')))
    .sort((a, b) => Number(a.internal) - Number(b.internal));
  const addresses = found.map((a) => a.address);
  if (!addresses.includes('127.0.0.1')) addresses.push('127.0.0.1');
  return [...new Set(addresses)];
}
