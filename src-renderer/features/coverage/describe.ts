// Words and colours for why a device is missing from a source.
import { coverageReasonLabels, type CoverageReason } from '../../../src-shared/schemas/coverage';

type Look = { word: string; color: string; hint: string };

export const reasonLook: Record<CoverageReason, Look> = {
  not_found: {
    word: coverageReasonLabels.not_found,
    color: 'red',
    hint: 'The device has a valid serial and no record of that source reports it: it is not enrolled there.',
  },
  possible_match: {
    word: coverageReasonLabels.possible_match,
    color: 'yellow',
    hint: 'A record of that source has the same MAC address or hostname but not the same serial; checks never trust such a link.',
  },
  missing_serial: {
    word: coverageReasonLabels.missing_serial,
    color: 'gray',
    hint: 'The device reports no serial, so it cannot be matched to any other source.',
  },
  junk_serial: { word: coverageReasonLabels.junk_serial, color: 'orange', hint: 'A firmware placeholder is no identity, so the device cannot be matched.' },
  duplicate_serial: {
    word: coverageReasonLabels.duplicate_serial,
    color: 'orange',
    hint: 'Several machines report this serial, so none of them can be matched by it.',
  },
};

/** The Coverage view of one pair, as a link (the Dashboard tile opens it). */
export function coverageLink(pair: { presentIn?: string; missingFrom?: string }): string {
  const params = new URLSearchParams();
  if (pair.presentIn) params.set('presentIn', pair.presentIn);
  if (pair.missingFrom) params.set('missingFrom', pair.missingFrom);
  const query = params.toString();
  return query ? `/coverage?${query}` : '/coverage';
}
