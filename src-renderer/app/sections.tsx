// The navigation rail's sections, in order. Each has a route and an icon.
import {
  IconAlertTriangle,
  IconArrowsDiff,
  IconHistory,
  IconBook2,
  IconDeviceDesktop,
  IconGauge,
  IconHeartbeat,
  IconListCheck,
  IconPlugConnected,
  IconSend,
  IconSettings,
  IconShieldCheck,
  IconTargetArrow,
  IconUsers,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

export interface Section {
  path: string;
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
}

export const sections: Section[] = [
  { path: '/dashboard', label: 'Dashboard', icon: IconGauge },
  { path: '/providers', label: 'Providers', icon: IconPlugConnected },
  { path: '/checks', label: 'Checks', icon: IconListCheck },
  { path: '/devices', label: 'Devices', icon: IconDeviceDesktop },
  { path: '/coverage', label: 'Coverage', icon: IconArrowsDiff },
  { path: '/posture-log', label: 'Posture Log', icon: IconBook2 },
  { path: '/rules', label: 'Detection Rules', icon: IconShieldCheck },
  { path: '/incidents', label: 'Incidents', icon: IconAlertTriangle },
  { path: '/iocs', label: 'IOCs', icon: IconTargetArrow },
  { path: '/users', label: 'Users', icon: IconUsers },
  { path: '/sinks', label: 'Sinks', icon: IconSend },
  { path: '/audit', label: 'Audit', icon: IconHistory },
  { path: '/settings', label: 'Settings', icon: IconSettings },
  { path: '/status', label: 'Status', icon: IconHeartbeat },
];
