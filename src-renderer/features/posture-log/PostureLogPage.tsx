import { ComingSoon } from '../placeholders/ComingSoon';

export function PostureLogPage() {
  return <ComingSoon title="Posture Log" what="This screen is being built." />;
}
