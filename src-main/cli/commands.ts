// The top-level commands, and how to load each one: `posture-console --help` reads only this table, and a
// command's code (the core, the web host, the simulator) is imported only when that command runs.
import type { Command } from 'commander';

export interface CommandEntry {
  /** As in the help: name and arguments. */
  term: string;
  description: string;
  register: () => Promise<(program: Command, rendererDir: string) => void>;
}

// Descriptions repeat the modules' own; cli.test.ts checks that the two agree.
export const commands: Record<string, CommandEntry> = {
  serve: {
    term: 'serve',
    description: 'serve the console on 127.0.0.1 and print the URL to open (Ctrl+C to stop)',
    register: async () => (await import('./serve')).registerServe,
  },
  providers: {
    term: 'providers',
    description: 'add, list, test and remove provider connections',
    register: async () => (await import('./providers')).registerProviders,
  },
  simulate: {
    term: 'simulate',
    description: 'run the CrowdStrike Falcon + SentinelOne simulator on 127.0.0.1 (Ctrl+C to stop)',
    register: async () => (await import('./simulate')).registerSimulate,
  },
  checks: {
    term: 'checks',
    description: 'add, list, remove and try posture checks (one rule on one provider)',
    register: async () => (await import('./checks')).registerChecks,
  },
  poll: {
    term: 'poll [provider]',
    description: 'poll one provider (or all) now: posture providers evaluate their checks, detection integrations create incidents',
    register: async () => (await import('./poll')).registerPoll,
  },
  export: {
    term: 'export',
    description: 'export the posture log to a CSV file (written as FILE.partial, renamed when complete)',
    register: async () => (await import('./export')).registerExport,
  },
  coverage: {
    term: 'coverage',
    description: 'poll the posture sources and list the devices present in one and missing from another (--csv FILE writes them)',
    register: async () => (await import('./coverage')).registerCoverage,
  },
  rules: {
    term: 'rules',
    description: 'validate, import and export detection rules ({"detection_rules": [...]})',
    register: async () => (await import('./rules')).registerRules,
  },
  sinks: {
    term: 'sinks',
    description: 'add, list, test and remove forwarding sinks (syslog, Splunk HEC, OTLP) and see their lag',
    register: async () => (await import('./sinks')).registerSinks,
  },
  audit: {
    term: 'audit',
    description: 'verify the audit trail of admin actions and list or export it',
    register: async () => (await import('./audit')).registerAudit,
  },
  iocs: {
    term: 'iocs',
    description: 'push and list indicators of compromise in Falcon',
    register: async () => (await import('./iocs')).registerIocs,
  },
};

/** The command a command line names: directly (`export …`) or through help (`help export`). */
export function commandNamed(argv: readonly string[]): CommandEntry | undefined {
  const [first, second] = argv.slice(2);
  const name = first === 'help' ? second : first;
  return name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;
}
