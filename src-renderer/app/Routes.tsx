import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect } from 'react';
import { Navigate, Route, Routes as RouterRoutes, useLocation } from 'react-router';
import { ScreenErrorBoundary, ScreenLoading } from './lazy-screen';
import { preloadWhenIdle } from './preload-screens';
import { screens } from './screens';

const {
  dashboard: { Screen: DashboardPage },
  providers: { Screen: ProvidersPage },
  checks: { Screen: ChecksPage },
  devices: { Screen: DevicesPage },
  coverage: { Screen: CoveragePage },
  postureLog: { Screen: PostureLogPage },
  rules: { Screen: RulesPage },
  incidents: { Screen: IncidentsPage },
  iocs: { Screen: IocsPage },
  users: { Screen: UsersPage },
  sinks: { Screen: SinksPage },
  audit: { Screen: AuditPage },
  settings: { Screen: SettingsPage },
  status: { Screen: StatusPage },
} = screens;

const allScreens = Object.values(screens);
// A chunk that failed to preload is fetched again when its screen opens, rather than shown as an error.
const preloads = allScreens.map((s) => () => s.preload().catch(s.retry));
const retryFailedScreens = () => allScreens.forEach((s) => s.retry());

/** Rendered beside the routes, so its effect runs once the first screen has committed, not while it loads. */
function PreloadScreens() {
  const client = useQueryClient();
  useEffect(() => preloadWhenIdle(client, preloads), [client]);
  return null;
}

export function Routes() {
  const section = useLocation().pathname.split('/')[1] ?? '';
  return (
    <ScreenErrorBoundary resetKey={section} onRetry={retryFailedScreens}>
      {/* Shown only while the first screen's chunk loads: later navigations are transitions that keep the old screen up. */}
      <Suspense fallback={<ScreenLoading />}>
        <RouterRoutes>
          <Route path="/" element={<Navigate to="/dashboard" replace />} />
          <Route path="/dashboard/*" element={<DashboardPage />} />
          <Route path="/providers" element={<ProvidersPage />} />
          <Route path="/checks/*" element={<ChecksPage />} />
          <Route path="/devices/*" element={<DevicesPage />} />
          <Route path="/coverage/*" element={<CoveragePage />} />
          <Route path="/posture-log/*" element={<PostureLogPage />} />
          <Route path="/rules/*" element={<RulesPage />} />
          <Route path="/incidents/*" element={<IncidentsPage />} />
          <Route path="/iocs/*" element={<IocsPage />} />
          <Route path="/users/*" element={<UsersPage />} />
          <Route path="/sinks" element={<SinksPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/status" element={<StatusPage />} />
          <Route path="*" element={<Navigate to="/dashboard" replace />} />
        </RouterRoutes>
        <PreloadScreens />
      </Suspense>
    </ScreenErrorBoundary>
  );
}
