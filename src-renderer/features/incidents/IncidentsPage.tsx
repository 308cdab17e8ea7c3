// Incidents: the list (with the pollers and CSV export) at /incidents, one incident at /incidents/:number.
import { Route, Routes } from 'react-router';
import { IncidentDetail } from './IncidentDetail';
import { IncidentList } from './IncidentList';

export function IncidentsPage() {
  return (
    <Routes>
      <Route index element={<IncidentList />} />
      <Route path=":number" element={<IncidentDetail />} />
    </Routes>
  );
}
