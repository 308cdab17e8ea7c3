// The check every posture source can run: the device (matched by serial) must also be reported by another source,
// so a policy can require both MDM enrollment and an EDR sensor. Evaluated from the match, not from a record's posture.
import { z } from 'zod';

const SOURCE_MESSAGE = 'Choose the source the device must be present in.';

export const rules = [z.object({ attribute: z.literal('present_in'), sourceId: z.string({ error: SOURCE_MESSAGE }).min(1, SOURCE_MESSAGE) })] as const;

export const attributes = { present_in: { label: 'Present in another source' } } as const;
