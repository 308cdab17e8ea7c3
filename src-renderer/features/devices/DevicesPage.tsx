import { ComingSoon } from '../placeholders/ComingSoon';

export function DevicesPage() {
  return <ComingSoon title="Devices" what="This screen is being built." />;
}
