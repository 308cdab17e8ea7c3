// The endpoint rule and the schemas that apply it: input refuses a named region with another base URL,
// stored settings read it as custom, and a 308 move is saved where requests now go.
import { describe, expect, it } from 'vitest';
import { falconEndpoint, falconEndpointAfterMove, falconEndpointConflict } from './falcon-endpoint';
import { ProviderConfig, ProviderInput } from './providers';

const zta = {
  kind: 'crowdstrike-zta' as const,
  name: 'Falcon',
  clientId: 'a'.repeat(32),
  clientSecret: 's3cret',
  customerId: 'B'.repeat(32),
};

describe('falconEndpoint', () => {
  it('a named cloud uses its public API host', () => {
    expect(falconEndpoint({ region: 'us-2' })).toEqual({ region: 'us-2', baseUrl: 'https://api.us-2.crowdstrike.com' });
  });

  it('custom uses the base URL, without a trailing slash', () => {
    expect(falconEndpoint({ region: 'custom', baseUrl: 'http://127.0.0.1:4010/' })).toEqual({ region: 'custom', baseUrl: 'http://127.0.0.1:4010' });
  });

  it('a named cloud with its own host as base URL is just that cloud', () => {
    expect(falconEndpoint({ region: 'eu-1', baseUrl: 'https://api.eu-1.crowdstrike.com/' })).toEqual({
      region: 'eu-1',
      baseUrl: 'https://api.eu-1.crowdstrike.com',
    });
    expect(falconEndpointConflict({ region: 'eu-1', baseUrl: 'https://api.eu-1.crowdstrike.com' })).toBeUndefined();
  });

  it('a named cloud with another base URL: the base URL wins and the cloud is custom', () => {
    expect(falconEndpoint({ region: 'us-2', baseUrl: 'https://falcon-proxy.example.com' })).toEqual({
      region: 'custom',
      baseUrl: 'https://falcon-proxy.example.com',
    });
    // Another cloud's host is "another base URL" too.
    expect(falconEndpoint({ region: 'us-2', baseUrl: 'https://api.crowdstrike.com' })).toEqual({ region: 'custom', baseUrl: 'https://api.crowdstrike.com' });
  });

  it('a move is saved where requests now go: a cloud by name, anything else as custom', () => {
    expect(falconEndpointAfterMove({ baseUrl: 'https://api.us-2.crowdstrike.com' })).toEqual({ region: 'us-2' });
    expect(falconEndpointAfterMove({ baseUrl: 'http://127.0.0.1:4010/region/us-1' })).toEqual({
      region: 'custom',
      baseUrl: 'http://127.0.0.1:4010/region/us-1',
    });
  });
});

describe('ProviderInput (form, CLI, web host, import)', () => {
  it('refuses a named region with another base URL, on the base URL field, naming both ways out', () => {
    const parsed = ProviderInput.safeParse({ ...zta, region: 'us-2', baseUrl: 'http://127.0.0.1:4010' });
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path).toEqual(['baseUrl']);
    expect(issue.message).toContain('api.us-2.crowdstrike.com');
    expect(issue.message).toContain('set the Falcon cloud (region) to custom');
    expect(issue.message).toContain('remove the base URL');
  });

  it('accepts a named region with its own host and stores just the region', () => {
    const parsed = ProviderInput.parse({ ...zta, region: 'us-2', baseUrl: 'https://api.us-2.crowdstrike.com/' });
    expect(parsed).toMatchObject({ region: 'us-2' });
    expect(parsed).not.toHaveProperty('baseUrl');
  });

  it('accepts custom with a base URL and a named region alone', () => {
    expect(ProviderInput.parse({ ...zta, region: 'custom', baseUrl: 'http://127.0.0.1:4010' })).toMatchObject({
      region: 'custom',
      baseUrl: 'http://127.0.0.1:4010',
    });
    expect(ProviderInput.parse({ ...zta, region: 'us-1' })).not.toHaveProperty('baseUrl');
  });
});

describe('ProviderConfig (stored settings)', () => {
  it('reads a named region beside another base URL as custom with that URL, never dropping the provider', () => {
    const { clientSecret: _s, ...stored } = zta;
    const config = ProviderConfig.parse({ ...stored, id: 'p1', region: 'us-2', baseUrl: 'http://127.0.0.1:4010' });
    expect(config).toMatchObject({ id: 'p1', region: 'custom', baseUrl: 'http://127.0.0.1:4010' });
  });
});
