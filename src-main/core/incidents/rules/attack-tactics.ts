// Tactic names and ids an alert's `tactic` / `tactic_id` can carry: MITRE ATT&CK Enterprise plus Falcon's own.

export interface Tactic {
  readonly id: string;
  readonly name: string;
}

/** ATT&CK Enterprise tactics in kill-chain order. */
export const attackTactics: readonly Tactic[] = [
  { id: 'TA0043', name: 'Reconnaissance' },
  { id: 'TA0042', name: 'Resource Development' },
  { id: 'TA0001', name: 'Initial Access' },
  { id: 'TA0002', name: 'Execution' },
  { id: 'TA0003', name: 'Persistence' },
  { id: 'TA0004', name: 'Privilege Escalation' },
  { id: 'TA0005', name: 'Defense Evasion' },
  { id: 'TA0006', name: 'Credential Access' },
  { id: 'TA0007', name: 'Discovery' },
  { id: 'TA0008', name: 'Lateral Movement' },
  { id: 'TA0009', name: 'Collection' },
  { id: 'TA0011', name: 'Command and Control' },
  { id: 'TA0010', name: 'Exfiltration' },
  { id: 'TA0040', name: 'Impact' },
];

/** Falcon's detection-method "tactics" (CSTA ids), as seen in published alert samples; there may be more. */
export const falconTactics: readonly Tactic[] = [
  { id: 'CSTA0001', name: 'Malware' },
  { id: 'CSTA0004', name: 'Machine Learning' },
  { id: 'CSTA0005', name: 'Custom Intelligence' },
  { id: 'CSTA0006', name: 'Falcon Overwatch' },
];
