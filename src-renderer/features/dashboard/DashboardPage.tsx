import { ComingSoon } from '../placeholders/ComingSoon';

export function DashboardPage() {
  return <ComingSoon title="Dashboard" what="This screen is being built." />;
}
