import { ComingSoon } from '../placeholders/ComingSoon';

export function ChecksPage() {
  return <ComingSoon title="Checks" what="This screen is being built." />;
}
