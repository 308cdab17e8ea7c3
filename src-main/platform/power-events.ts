// Wake from sleep, for the scheduler's immediate poll after resume.
import { powerMonitor } from 'electron';
import type { PowerEvents } from '../core/posture/scheduler';

export const electronPowerEvents: PowerEvents = {
  onResume(listener) {
    powerMonitor.on('resume', listener);
    return () => powerMonitor.off('resume', listener);
  },
};
