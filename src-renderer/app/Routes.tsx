import { Navigate, Route, Routes as RouterRoutes } from 'react-router';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { ChecksPage } from '../features/checks/ChecksPage';
import { DevicesPage } from '../features/devices/DevicesPage';
import { PostureLogPage } from '../features/posture-log/PostureLogPage';
import { ComingSoon } from '../features/placeholders/ComingSoon';
import { ProvidersPage } from '../features/providers/ProvidersPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { StatusPage } from '../features/status/StatusPage';

export function Routes() {
  return (
    <RouterRoutes>
      <Route path="/" element={<Navigate to="/dashboard" replace />} />
      <Route path="/dashboard/*" element={<DashboardPage />} />
      <Route path="/providers" element={<ProvidersPage />} />
      <Route path="/checks/*" element={<ChecksPage />} />
      <Route path="/devices/*" element={<DevicesPage />} />
      <Route path="/posture-log/*" element={<PostureLogPage />} />
      <Route path="/rules" element={<ComingSoon title="Detection Rules" what="The ordered rule set that turns Falcon alerts into incidents, with a condition editor, dry run and back-test." />} />
      <Route path="/incidents" element={<ComingSoon title="Incidents" what="Incidents created from Falcon alerts, with host enrichment, IOCs, containment and a timeline." />} />
      <Route path="/iocs" element={<ComingSoon title="IOCs" what="Indicators of compromise pushed to Falcon, with their action, severity and expiry." />} />
      <Route path="/users" element={<ComingSoon title="Users" what="Users by risk level, from SentinelOne and Falcon signals on their devices." />} />
      <Route path="/settings" element={<SettingsPage />} />
      <Route path="/status" element={<StatusPage />} />
      <Route path="*" element={<Navigate to="/dashboard" replace />} />
    </RouterRoutes>
  );
}
