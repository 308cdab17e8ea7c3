// The vocabulary the fleet generator draws from: operating systems, hardware, people, sites, signals.

export type Platform = 'Windows' | 'Mac' | 'Linux';
export type ProductType = 'Workstation' | 'Server' | 'Domain Controller';
export type Chassis = 'Laptop' | 'Desktop' | 'Virtual';

export interface OsProfile {
  platform: Platform;
  os_version: string;
  os_product_name: string;
  build: string;
  kernel_version?: string;
  /** SentinelOne's view of the same OS. */
  s1OsName: string;
  s1OsType: 'windows' | 'macos' | 'linux';
}

export const workstationOs: Record<Platform, readonly (readonly [OsProfile, number])[]> = {
  Windows: [
    [
      {
        platform: 'Windows',
        os_version: 'Windows 11',
        os_product_name: 'Windows 11 Enterprise',
        build: '22631',
        s1OsName: 'Windows 11 Enterprise',
        s1OsType: 'windows',
      },
      50,
    ],
    [{ platform: 'Windows', os_version: 'Windows 11', os_product_name: 'Windows 11 Pro', build: '26100', s1OsName: 'Windows 11 Pro', s1OsType: 'windows' }, 15],
    [
      {
        platform: 'Windows',
        os_version: 'Windows 10',
        os_product_name: 'Windows 10 Enterprise',
        build: '19045',
        s1OsName: 'Windows 10 Enterprise',
        s1OsType: 'windows',
      },
      30,
    ],
    [{ platform: 'Windows', os_version: 'Windows 10', os_product_name: 'Windows 10 Pro', build: '19044', s1OsName: 'Windows 10 Pro', s1OsType: 'windows' }, 5],
  ],
  Mac: [
    [{ platform: 'Mac', os_version: 'Sequoia (15)', os_product_name: 'macOS', build: '24G84', s1OsName: 'macOS Sequoia 15.6', s1OsType: 'macos' }, 45],
    [{ platform: 'Mac', os_version: 'Sonoma (14)', os_product_name: 'macOS', build: '23H626', s1OsName: 'macOS Sonoma 14.7', s1OsType: 'macos' }, 40],
    [{ platform: 'Mac', os_version: 'Ventura (13)', os_product_name: 'macOS', build: '22H527', s1OsName: 'macOS Ventura 13.7', s1OsType: 'macos' }, 15],
  ],
  Linux: [
    [
      {
        platform: 'Linux',
        os_version: 'Ubuntu 22.04',
        os_product_name: 'Ubuntu',
        build: '22.04',
        kernel_version: '5.15.0-139-generic',
        s1OsName: 'Ubuntu 22.04.5 LTS',
        s1OsType: 'linux',
      },
      60,
    ],
    [
      {
        platform: 'Linux',
        os_version: 'Ubuntu 24.04',
        os_product_name: 'Ubuntu',
        build: '24.04',
        kernel_version: '6.8.0-60-generic',
        s1OsName: 'Ubuntu 24.04.2 LTS',
        s1OsType: 'linux',
      },
      40,
    ],
  ],
};

export const serverOs: Record<Platform, readonly (readonly [OsProfile, number])[]> = {
  Windows: [
    [
      {
        platform: 'Windows',
        os_version: 'Windows Server 2022',
        os_product_name: 'Windows Server 2022 Datacenter',
        build: '20348',
        s1OsName: 'Windows Server 2022 Datacenter',
        s1OsType: 'windows',
      },
      55,
    ],
    [
      {
        platform: 'Windows',
        os_version: 'Windows Server 2019',
        os_product_name: 'Windows Server 2019 Standard',
        build: '17763',
        s1OsName: 'Windows Server 2019 Standard',
        s1OsType: 'windows',
      },
      35,
    ],
    [
      {
        platform: 'Windows',
        os_version: 'Windows Server 2016',
        os_product_name: 'Windows Server 2016 Standard',
        build: '14393',
        s1OsName: 'Windows Server 2016 Standard',
        s1OsType: 'windows',
      },
      10,
    ],
  ],
  Mac: workstationOs.Mac,
  Linux: [
    [
      {
        platform: 'Linux',
        os_version: 'RHEL 9.4',
        os_product_name: 'Red Hat Enterprise Linux',
        build: '9.4',
        kernel_version: '5.14.0-427.42.1.el9_4.x86_64',
        s1OsName: 'Red Hat Enterprise Linux 9.4',
        s1OsType: 'linux',
      },
      30,
    ],
    [
      {
        platform: 'Linux',
        os_version: 'Ubuntu 22.04',
        os_product_name: 'Ubuntu',
        build: '22.04',
        kernel_version: '5.15.0-139-generic',
        s1OsName: 'Ubuntu 22.04.5 LTS',
        s1OsType: 'linux',
      },
      40,
    ],
    [
      {
        platform: 'Linux',
        os_version: 'Amazon Linux 2023',
        os_product_name: 'Amazon Linux',
        build: '2023',
        kernel_version: '6.1.132-147.221.amzn2023.x86_64',
        s1OsName: 'Amazon Linux 2023',
        s1OsType: 'linux',
      },
      30,
    ],
  ],
};

export interface Hardware {
  manufacturer: string;
  product: string;
  chassis: Chassis;
  /** IEEE OUI used for the MAC address. */
  oui: string;
  serial: 'dell' | 'lenovo' | 'hp' | 'apple' | 'vmware' | 'aws';
}

export const hardwareByPlatform: Record<Platform, { laptop: readonly Hardware[]; desktop: readonly Hardware[]; virtual: readonly Hardware[] }> = {
  Windows: {
    laptop: [
      { manufacturer: 'Dell Inc.', product: 'Latitude 7440', chassis: 'Laptop', oui: 'a4-bb-6d', serial: 'dell' },
      { manufacturer: 'LENOVO', product: '21HDCTO1WW', chassis: 'Laptop', oui: '8c-8c-aa', serial: 'lenovo' },
      { manufacturer: 'HP', product: 'HP EliteBook 840 G10', chassis: 'Laptop', oui: 'bc-0f-f3', serial: 'hp' },
    ],
    desktop: [
      { manufacturer: 'Dell Inc.', product: 'OptiPlex 7010', chassis: 'Desktop', oui: 'b0-7b-25', serial: 'dell' },
      { manufacturer: 'HP', product: 'HP EliteDesk 800 G9', chassis: 'Desktop', oui: '30-24-a9', serial: 'hp' },
    ],
    virtual: [{ manufacturer: 'VMware, Inc.', product: 'VMware7,1', chassis: 'Virtual', oui: '00-50-56', serial: 'vmware' }],
  },
  Mac: {
    laptop: [
      { manufacturer: 'Apple Inc.', product: 'Mac15,7', chassis: 'Laptop', oui: 'f0-18-98', serial: 'apple' },
      { manufacturer: 'Apple Inc.', product: 'MacBookPro18,3', chassis: 'Laptop', oui: '3c-22-fb', serial: 'apple' },
    ],
    desktop: [{ manufacturer: 'Apple Inc.', product: 'Mac14,13', chassis: 'Desktop', oui: 'a8-60-b6', serial: 'apple' }],
    virtual: [{ manufacturer: 'Apple Inc.', product: 'Mac14,3', chassis: 'Desktop', oui: 'a8-60-b6', serial: 'apple' }],
  },
  Linux: {
    laptop: [{ manufacturer: 'LENOVO', product: '21K5CTO1WW', chassis: 'Laptop', oui: '8c-8c-aa', serial: 'lenovo' }],
    desktop: [{ manufacturer: 'Dell Inc.', product: 'Precision 3660', chassis: 'Desktop', oui: 'b0-7b-25', serial: 'dell' }],
    virtual: [
      { manufacturer: 'Amazon EC2', product: 'm6i.large', chassis: 'Virtual', oui: '02-4f-1a', serial: 'aws' },
      { manufacturer: 'VMware, Inc.', product: 'VMware7,1', chassis: 'Virtual', oui: '00-50-56', serial: 'vmware' },
    ],
  },
};

/** Serial numbers real fleets report when the vendor never set one. */
export const junkSerials = ['To Be Filled By O.E.M.', 'System Serial Number', '0', 'Default string'] as const;

export const falconAgentVersions: Record<Platform, readonly string[]> = {
  Windows: ['7.26.19811.0', '7.25.19706.0', '7.24.19607.0', '7.18.18410.0'],
  Mac: ['7.26.19707.0', '7.25.19605.0', '7.21.18920.0'],
  Linux: ['7.26.19607.0', '7.24.19309.0', '7.16.17810.0'],
};

export const s1AgentVersions: Record<'windows' | 'macos' | 'linux', readonly string[]> = {
  windows: ['24.2.3.471', '24.1.4.257', '23.4.6.347', '23.3.3.264'],
  macos: ['24.3.2.7753', '24.2.2.7632', '23.4.1.7125'],
  linux: ['24.2.2.20', '24.1.2.6', '23.4.2.14'],
};

export const departments = ['FIN', 'ENG', 'HR', 'SALES', 'MKT', 'OPS', 'LEGAL', 'IT', 'SUP', 'DES'] as const;
export const serverRoles = ['web', 'db', 'app', 'cache', 'build', 'file', 'mq', 'k8s'] as const;
export const environments = ['prod', 'stg', 'dev'] as const;

export const firstNames = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'yasmin',
  'zoe',
  'amir',
  'bianca',
  'chen',
  'diego',
  'elif',
  'farah',
  'goran',
  'hana',
  'isaac',
  'jun',
  'kofi',
  'lena',
  'marta',
  'nikhil',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sanjay',
  'tomas',
  'uma',
  'vera',
  'wei',
  'ximena',
  'yusuf',
  'zara',
  'aiko',
  'bruno',
  'chloe',
] as const;

export const lastNames = [
  'nguyen',
  'smith',
  'garcia',
  'mueller',
  'rossi',
  'kowalski',
  'tanaka',
  'okafor',
  'haddad',
  'silva',
  'dubois',
  'larsen',
  'novak',
  'ivanova',
  'kim',
  'patel',
  'cohen',
  'murphy',
  'schmidt',
  'lopez',
  'yilmaz',
  'andersson',
  'fischer',
  'moreau',
  'costa',
  'horvat',
  'sato',
  'mensah',
  'farouk',
  'oliveira',
  'brennan',
  'weber',
  'jensen',
  'petrov',
  'park',
  'shah',
  'levi',
  'walsh',
  'wagner',
  'ramos',
] as const;

export const falconTags = [
  'FalconGroupingTags/Prod',
  'FalconGroupingTags/Dev',
  'FalconGroupingTags/VIP',
  'FalconGroupingTags/Remote',
  'SensorGroupingTags/Finance',
  'SensorGroupingTags/Engineering',
] as const;

export const officeEgressIps = ['203.0.113.24', '203.0.113.71', '198.51.100.12', '198.51.100.140', '192.0.2.33'] as const;

export const s1SiteNames = ['Default site', 'EMEA Finance', 'US Engineering', 'APAC Sales'] as const;

export type MeetsCriteria = 'yes' | 'no' | 'unknown';

export interface SignalTemplate {
  signal_id: string;
  signal_name: string;
  group_name: string;
  criteria: string;
}

const signal = (signal_id: string, signal_name: string, group_name: string, criteria: string): SignalTemplate => ({
  signal_id,
  signal_name,
  group_name,
  criteria,
});

/** ZTA assessment signals per platform; the mac set follows recorded traffic, the others its pattern. */
export const ztaSignals: Record<Platform, { os: readonly SignalTemplate[]; sensor: readonly SignalTemplate[] }> = {
  Mac: {
    os: [
      signal('mac_os_version', 'macOS Version', 'macOS', 'macOS version is ≥11.0'),
      signal('file_vault_enabled_mac', 'FileVault', 'macOS', 'FileVault: enabled'),
      signal('sip_enabled_mac', 'System Integrity Protection (SIP)', 'macOS', 'System Integrity Protection (SIP): enabled'),
      signal('remote_login_mac', 'Remote Login', 'macOS', 'Remote Login: disabled'),
      signal('gatekeeper_mac', 'Gatekeeper', 'macOS', 'Gatekeeper: enabled'),
      signal('application_firewall_mac', 'Application Firewall', 'macOS', 'Application Firewall: enabled'),
      signal('stealth_mode_mac', 'Stealth Mode', 'macOS', 'Stealth Mode: enabled'),
      signal('internet_sharing_mac', 'Internet Sharing', 'macOS', 'Internet Sharing: disabled'),
    ],
    sensor: [
      signal(
        'ml_cloud_antimalware_detection_mac',
        'Cloud ML - Cloud Anti-malware - Detection for macOS',
        'Prevention',
        'Cloud ML - Cloud Anti-malware Detection: set to Aggressive or higher',
      ),
      signal(
        'ml_sensor_antimalware_prevention_mac',
        'Sensor ML Anti-malware | Prevention for macOS',
        'Prevention',
        'Sensor ML - Anti-malware Prevention: set to Moderate or higher',
      ),
      signal('quarantine_mac', 'Quarantine', 'Prevention', 'Quarantine: enabled'),
      signal(
        'execution_blocking_suspicious_processes_enabled_mac',
        'Execution Blocking - Suspicious Processes for macOS',
        'Prevention',
        'Execution Blocking - Suspicious Processes: enabled',
      ),
      signal('real_time_response_enabled_mac', 'CrowdStrike - Real Time Response for macOS', 'Sensor', 'Real Time Response: enabled'),
    ],
  },
  Windows: {
    os: [
      signal('windows_os_version', 'Windows Version', 'Windows', 'Windows version is supported'),
      signal('bitlocker_enabled_windows', 'BitLocker', 'Windows', 'BitLocker: enabled'),
      signal('secure_boot_enabled_windows', 'Secure Boot', 'Windows', 'Secure Boot: enabled'),
      signal('firewall_enabled_windows', 'Windows Firewall', 'Windows', 'Windows Firewall: enabled for all profiles'),
      signal('smbv1_disabled_windows', 'SMBv1', 'Windows', 'SMBv1: disabled'),
      signal('credential_guard_windows', 'Credential Guard', 'Windows', 'Credential Guard: enabled'),
      signal('lsa_protection_windows', 'LSA Protection', 'Windows', 'LSA Protection: enabled'),
    ],
    sensor: [
      signal(
        'ml_cloud_antimalware_detection_windows',
        'Cloud ML - Cloud Anti-malware - Detection for Windows',
        'Prevention',
        'Cloud ML - Cloud Anti-malware Detection: set to Aggressive or higher',
      ),
      signal(
        'ml_sensor_antimalware_prevention_windows',
        'Sensor ML Anti-malware | Prevention for Windows',
        'Prevention',
        'Sensor ML - Anti-malware Prevention: set to Moderate or higher',
      ),
      signal('quarantine_windows', 'Quarantine & Security Center Registration', 'Prevention', 'Quarantine: enabled'),
      signal('script_based_execution_monitoring_windows', 'Script-Based Execution Monitoring', 'Prevention', 'Script-Based Execution Monitoring: enabled'),
      signal('uninstall_protection_windows', 'Uninstall Protection', 'Sensor', 'Uninstall Protection: enabled'),
      signal('real_time_response_enabled_windows', 'CrowdStrike - Real Time Response for Windows', 'Sensor', 'Real Time Response: enabled'),
    ],
  },
  Linux: {
    os: [
      signal('linux_kernel_version', 'Kernel Version', 'Linux', 'Kernel version is supported'),
      signal('selinux_enforcing_linux', 'SELinux / AppArmor', 'Linux', 'Mandatory access control: enforcing'),
      signal('ssh_root_login_linux', 'SSH Root Login', 'Linux', 'SSH root login: disabled'),
      signal('firewall_enabled_linux', 'Host Firewall', 'Linux', 'Host firewall: enabled'),
    ],
    sensor: [
      signal(
        'ml_cloud_antimalware_detection_linux',
        'Cloud ML - Cloud Anti-malware - Detection for Linux',
        'Prevention',
        'Cloud ML - Cloud Anti-malware Detection: set to Aggressive or higher',
      ),
      signal('sensor_mode_user_linux', 'Sensor Mode', 'Sensor', 'Sensor running in kernel mode'),
      signal('real_time_response_enabled_linux', 'CrowdStrike - Real Time Response for Linux', 'Sensor', 'Real Time Response: enabled'),
    ],
  },
};
