// Every screen behind its own chunk: the start loads the shell and the screen asked for, the rest follow when idle.
import { lazyScreen } from './lazy-screen';

export const screens = {
  dashboard: lazyScreen(() => import('../features/dashboard/DashboardPage').then((m) => m.DashboardPage)),
  providers: lazyScreen(() => import('../features/providers/ProvidersPage').then((m) => m.ProvidersPage)),
  checks: lazyScreen(() => import('../features/checks/ChecksPage').then((m) => m.ChecksPage)),
  devices: lazyScreen(() => import('../features/devices/DevicesPage').then((m) => m.DevicesPage)),
  coverage: lazyScreen(() => import('../features/coverage/CoveragePage').then((m) => m.CoveragePage)),
  postureLog: lazyScreen(() => import('../features/posture-log/PostureLogPage').then((m) => m.PostureLogPage)),
  rules: lazyScreen(() => import('../features/rules/RulesPage').then((m) => m.RulesPage)),
  incidents: lazyScreen(() => import('../features/incidents/IncidentsPage').then((m) => m.IncidentsPage)),
  iocs: lazyScreen(() => import('../features/iocs/IocsPage').then((m) => m.IocsPage)),
  users: lazyScreen(() => import('../features/users/UsersPage').then((m) => m.UsersPage)),
  sinks: lazyScreen(() => import('../features/sinks/SinksPage').then((m) => m.SinksPage)),
  audit: lazyScreen(() => import('../features/audit/AuditPage').then((m) => m.AuditPage)),
  settings: lazyScreen(() => import('../features/settings/SettingsPage').then((m) => m.SettingsPage)),
  status: lazyScreen(() => import('../features/status/StatusPage').then((m) => m.StatusPage)),
};
