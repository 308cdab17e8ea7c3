// Who a reported user name stands for. The providers spell one person several ways (Falcon `CORP\alice` or
// `alice@corp.example`, SentinelOne `CORP\alice` or a bare `alice`, alert `user_name` bare); this reconciles them.
//
// The rule:
//  1. Case never matters. Surrounding space is dropped; empty values, placeholders and service/system accounts are
//     ignored (not a person: see `isServiceAccount`).
//  2. `DOMAIN\user` names domain DOMAIN; a UPN `user@corp.example.com` names the domain of its first DNS label
//     (`corp`), the NetBIOS name Active Directory gives such a domain by default. Both become the id `corp\user`.
//  3. A bare `user` joins the one domain identity with that account name when exactly one exists among all names
//     seen; with none or several (`CORP\sam` and `LAB\sam`) the data cannot say, so it stays its own id `sam`.
// Where a NetBIOS name differs from its DNS label (`EXAMPLE\alice` vs `alice@corp.example`), the two stay apart:
// nothing in the providers' data links them.
import { runToEnd } from '../time-slice';

export interface ParsedAccount {
  /** Lower-case account name (sAMAccountName or UPN prefix). */
  account: string;
  /** Lower-case NetBIOS-style domain, or null for a bare name. */
  domain: string | null;
  /** The name as reported, trimmed. */
  raw: string;
  upn: boolean;
}

const PLACEHOLDERS = new Set(['', '-', '--', 'n/a', 'na', 'none', 'null', 'unknown', '(unknown)', 'undefined', 'no user', 'not available']);

/** Built-in and well-known shared accounts: nobody's personal risk. */
const SERVICE_ACCOUNTS = new Set([
  'root',
  'administrator',
  'admin',
  'guest',
  'system',
  'localsystem',
  'local service',
  'localservice',
  'network service',
  'networkservice',
  'defaultaccount',
  'wdagutilityaccount',
  'krbtgt',
  'nobody',
  'daemon',
  'ubuntu',
  'ec2-user',
  'centos',
  'debian',
  'azureuser',
  'vagrant',
  'oracle',
  'postgres',
  'mysql',
  'www-data',
  '_mbsetupuser',
  'sshd',
]);

/** Windows service identities live in these pseudo-domains. */
const SERVICE_DOMAINS = new Set(['nt authority', 'nt service', 'window manager', 'font driver host', 'iis apppool', 'nt virtual machine']);

/** Session-bound accounts (DWM-1, UMFD-0), machine accounts (HOST$) and the `svc` naming convention. */
const SERVICE_PATTERN = /^(dwm-\d+|umfd-\d+|svc[-_.].*|.*\$)$/;

export function isServiceAccount(account: string, domain: string | null): boolean {
  return SERVICE_ACCOUNTS.has(account) || SERVICE_PATTERN.test(account) || (domain !== null && SERVICE_DOMAINS.has(domain));
}

/** A reported name as account + domain, or null when it names no person. */
export function parseAccount(reported: string | null | undefined): ParsedAccount | null {
  const raw = reported?.trim() ?? '';
  if (PLACEHOLDERS.has(raw.toLowerCase())) return null;
  let account: string;
  let domain: string | null = null;
  let upn = false;
  const slash = raw.lastIndexOf('\\');
  const at = raw.lastIndexOf('@');
  if (slash >= 0) {
    account = raw.slice(slash + 1);
    domain = raw.slice(0, slash);
    // `.\user` and `\user` are local to the machine: no domain to reconcile with.
    if (domain === '.' || domain === '') domain = null;
  } else if (at > 0 && at < raw.length - 1) {
    account = raw.slice(0, at);
    domain = raw.slice(at + 1).split('.')[0] ?? null;
    upn = true;
  } else account = raw;
  account = account.trim().toLowerCase();
  domain = domain?.trim().toLowerCase() || null;
  if (PLACEHOLDERS.has(account) || isServiceAccount(account, domain)) return null;
  return { account, domain, raw, upn };
}

const idOf = (account: string, domain: string | null) => (domain === null ? account : `${domain}\\${account}`);

/** Resolves names to identities once every name in view is known (bare names need the full picture). */
export interface IdentityResolver {
  /** The identity id for a reported name, or null when it names no person. */
  resolve(reported: string | null | undefined): string | null;
}

export function createIdentityResolver(names: Iterable<string | null | undefined>): IdentityResolver {
  return runToEnd(identityResolverSteps(names));
}

/** createIdentityResolver as steps, one a name: a large fleet reports ~100k names, too many for one slice. */
export function* identityResolverSteps(names: Iterable<string | null | undefined>): Generator<void, IdentityResolver> {
  /** Account → its one domain, or null once a second domain has that account too. */
  const domainOf = new Map<string, string | null>();
  for (const name of names) {
    yield;
    const parsed = parseAccount(name);
    if (!parsed?.domain) continue;
    const known = domainOf.get(parsed.account);
    if (known === undefined) domainOf.set(parsed.account, parsed.domain);
    else if (known !== parsed.domain) domainOf.set(parsed.account, null);
  }
  return {
    resolve(reported) {
      const parsed = parseAccount(reported);
      if (!parsed) return null;
      return idOf(parsed.account, parsed.domain ?? domainOf.get(parsed.account) ?? null);
    },
  };
}

/** The fullest spelling among a user's aliases: a UPN, else DOMAIN\user, else the bare name (ties: first seen). */
export function displayNameOf(aliases: readonly string[]): string {
  const rank = (alias: string) => {
    const parsed = parseAccount(alias);
    return parsed?.upn ? 2 : parsed?.domain ? 1 : 0;
  };
  let best = aliases[0] ?? '';
  for (const alias of aliases) if (rank(alias) > rank(best)) best = alias;
  return best;
}
