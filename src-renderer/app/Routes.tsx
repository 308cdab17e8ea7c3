import { Navigate, Route, Routes as RouterRoutes } from 'react-router';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { ChecksPage } from '../features/checks/ChecksPage';
import { DevicesPage } from '../features/devices/DevicesPage';
import { PostureLogPage } from '../features/posture-log/PostureLogPage';
import { RulesPage } from '../features/rules/RulesPage';
import { IncidentsPage } from '../features/incidents/IncidentsPage';
import { IocsPage } from '../features/iocs/IocsPage';
import { ProvidersPage } from '../features/providers/ProvidersPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { StatusPage } from '../features/status/StatusPage';
import { UsersPage } from '../features/users/UsersPage';

export function Routes() {
  return (
    <RouterRoutes>
      <Route path="/" element={<Navigate to="/dashboard" replace />} />
      <Route path="/dashboard/*" element={<DashboardPage />} />
      <Route path="/providers" element={<ProvidersPage />} />
      <Route path="/checks/*" element={<ChecksPage />} />
      <Route path="/devices/*" element={<DevicesPage />} />
      <Route path="/posture-log/*" element={<PostureLogPage />} />
      <Route path="/rules/*" element={<RulesPage />} />
      <Route path="/incidents/*" element={<IncidentsPage />} />
      <Route path="/iocs/*" element={<IocsPage />} />
      <Route path="/users/*" element={<UsersPage />} />
      <Route path="/settings" element={<SettingsPage />} />
      <Route path="/status" element={<StatusPage />} />
      <Route path="*" element={<Navigate to="/dashboard" replace />} />
    </RouterRoutes>
  );
}
