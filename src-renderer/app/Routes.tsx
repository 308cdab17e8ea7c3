import { Navigate, Route, Routes as RouterRoutes } from 'react-router';
import { ComingSoon } from '../features/placeholders/ComingSoon';
import { ProvidersPage } from '../features/providers/ProvidersPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { StatusPage } from '../features/status/StatusPage';

export function Routes() {
  return (
    <RouterRoutes>
      <Route path="/" element={<Navigate to="/dashboard" replace />} />
      <Route path="/dashboard" element={<ComingSoon title="Dashboard" what="Provider health, posture pass/fail trends, score distributions and open incidents will appear here once providers are connected and polled." />} />
      <Route path="/providers" element={<ProvidersPage />} />
      <Route path="/checks" element={<ComingSoon title="Checks" what="Posture checks (ZTA score thresholds, online state, infection, network status) will be defined here per provider." />} />
      <Route path="/devices" element={<ComingSoon title="Devices" what="One row per device matched across providers by serial number, with the reason for each match." />} />
      <Route path="/posture-log" element={<ComingSoon title="Posture Log" what="Every posture result change, filterable, live, and exportable to CSV." />} />
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
