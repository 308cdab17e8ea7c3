import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminErrorMap, fieldLabel, invalidInput } from './errors';

const Provider = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('crowdstrike-zta'), clientId: z.string(), customerId: z.string() }),
  z.object({ kind: z.literal('sentinelone'), apiUrl: z.string() }),
]);

const messages = (schema: z.ZodType, input: unknown) => schema.safeParse(input, { error: adminErrorMap }).error!.issues.map((i) => i.message);

describe('admin wording for zod messages', () => {
  it('names the field and its allowed values instead of validator jargon', () => {
    expect(messages(Provider, { kind: 'falcon' })).toEqual(['Kind must be one of crowdstrike-zta, sentinelone.']);
    expect(messages(Provider, { kind: 'crowdstrike-zta' })).toEqual(['Client ID is required.', 'Customer ID is required.']);
    expect(messages(z.object({ results: z.array(z.enum(['pass', 'fail'])) }), { results: ['maybe'] })).toEqual(['Results must be one of pass, fail.']);
    expect(messages(z.object({ apiUrl: z.string() }).strict(), { apiUrl: 5, extra: 1 })).toEqual(['API URL must be text.', 'Unknown field: extra.']);
  });

  it("keeps a schema's own message", () => {
    expect(messages(z.object({ name: z.string({ error: 'Enter a name.' }) }), {})).toEqual(['Enter a name.']);
  });

  it('labels fields in words', () => {
    expect(fieldLabel(['clientId'])).toBe('client ID');
    expect(fieldLabel(['rules', 0, 'source_incident'])).toBe('source incident');
    expect(fieldLabel([])).toBe('the value');
  });

  it('reports every invalid field at once, with a fix that does not assume anything is highlighted', () => {
    const error = invalidInput(Provider.safeParse({ kind: 'crowdstrike-zta' }, { error: adminErrorMap }).error!);
    expect(error.issues).toEqual([
      { path: 'clientId', message: 'Client ID is required.' },
      { path: 'customerId', message: 'Customer ID is required.' },
    ]);
    expect(error.message).toBe('Invalid request: 2 problems: clientId: Client ID is required. customerId: Customer ID is required.');
    expect(error.fix).toBe('Correct each field named above and try again.');
  });
});
