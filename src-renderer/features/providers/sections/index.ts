// The form-section registry: each posture source with a section of its own (Falcon's two kinds share the
// hand-written Falcon fields in ProviderForm.tsx). A new source adds its section file and one line here.
import type { ProviderKind } from '../../../../src-shared/schemas/providers';
import type { FormSection } from './section';
import { customSection } from './CustomSection';
import { jamfSection } from './JamfSection';
import { kandjiSection } from './KandjiSection';
import { intuneSection } from './IntuneSection';
import { sentinelOneSection } from './SentinelOneSection';

export const formSections: Partial<Record<ProviderKind, FormSection>> = {
  sentinelone: sentinelOneSection,
  jamf: jamfSection,
  kandji: kandjiSection,
  custom: customSection,
  intune: intuneSection,
};
