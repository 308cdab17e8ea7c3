// Where the live APIs (and so the simulator) knowingly differ from their published specs, each with its reason.
// The validator (validate.ts) excuses exactly these; sim/README.md renders this list ("Where the spec and the
// wire disagree"). Anything not listed here that fails validation is a simulator bug to fix.
import type { SpecProvider } from './load';

interface ExceptionBase {
  /** Stable name, quoted by the validator when it excuses something. */
  id: string;
  provider: SpecProvider;
  /** `METHOD /path` inside the API, or every route. */
  routes: readonly string[] | '*';
  /** Only these statuses (default: all). */
  statuses?: readonly number[];
  /** Why the answer differs from the spec, with the evidence. */
  reason: string;
}

/** An answer field that the spec types or requires differently from what the API sends. */
export interface FieldException extends ExceptionBase {
  kind: 'field';
  /** JSON pointer of the field in the answer (a missing required field is named by its own path). */
  at: RegExp;
  /** The ajv keyword excused (`type`, `required`, `format`...); any when absent. */
  keyword?: string;
  /** Only when the value is null (a null where the spec types a value). */
  nullOnly?: true;
  /** Only errors raised by this part of the schema (ajv's schemaPath), e.g. a conversion artefact's keyword. */
  schemaPath?: RegExp;
}

/** A status the spec does not document for the operation; its body is checked against `schema` instead. */
export interface StatusException extends ExceptionBase {
  kind: 'status';
  /** A definition (Falcon) or component schema (S1) by name. */
  schema: string;
}

/** An endpoint the spec does not describe at all; its answers cannot be checked and are listed here instead. */
export interface UndescribedException extends ExceptionBase {
  kind: 'undescribed';
}

export type SpecException = FieldException | StatusException | UndescribedException;

const FALCON_ERRORS = [400, 401, 403, 404, 405, 429, 500, 502, 503, 504] as const;
const S1_ERRORS = [400, 401, 403, 404, 405, 429, 500, 502, 503] as const;
const JAMF_INVENTORY = [1, 2, 3, 4].map((v) => `GET /api/v${v}/computers-inventory`);

export const specExceptions: readonly SpecException[] = [
  {
    id: 'graph-odata-type-omitted',
    kind: 'field',
    provider: 'intune',
    routes: ['GET /v1.0/deviceManagement/managedDevices'],
    at: /^\/value\/\d+\/@odata\.type$/,
    keyword: 'required',
    reason:
      'Graph emits @odata.type only when an item’s runtime type differs from the declared one, so list items lack it although the converted spec marks it required (shared/reference/intune-graph-api.md §4).',
  },
  {
    id: 'graph-open-type-artefact',
    kind: 'field',
    provider: 'intune',
    routes: ['GET /v1.0/deviceManagement/managedDevices'],
    at: /^\/value\/\d+\/[A-Za-z0-9@.]+$/,
    keyword: 'type',
    schemaPath: /\/additionalProperties\/type$/,
    reason:
      'The CSDL-to-OpenAPI conversion gives microsoft.graph.entity `additionalProperties: {type: object}` (an open type); inside allOf it applies to every managedDevice property, so a string or boolean field would fail it. Each property is still checked against its own schema in the managedDevice branch.',
  },
  {
    id: 'falcon-gateway-errors',
    kind: 'status',
    provider: 'falcon',
    routes: '*',
    statuses: FALCON_ERRORS,
    schema: 'msa.ReplyMetaOnly',
    reason:
      'The API gateway answers a bad or missing token (401), an unknown path or region (404), a decommissioned API or wrong method (405), the rate limit (429) and upstream failures (5xx) itself, for any route, with the meta-only envelope the spec documents for 403/429 on every operation; each operation lists only the statuses its service documents.',
  },
  {
    id: 's1-error-envelope',
    kind: 'status',
    provider: 'sentinelone',
    routes: '*',
    statuses: S1_ERRORS,
    schema: 'ErrorEnvelope',
    reason:
      'The subset documents 400/401 without a body and no other error statuses; its own ErrorEnvelope component is the {errors:[{code,title,detail}]} body the console sends for every error (shared/reference/sentinelone-api.md, errors).',
  },
  {
    id: 's1-agents-count',
    kind: 'undescribed',
    provider: 'sentinelone',
    routes: ['GET /agents/count'],
    reason:
      'GET /agents/count ({data:{total}}) exists on the console but is not in the reconstructed subset; the product counts with /agents?countOnly=true instead, so only the simulator serves it.',
  },
  {
    id: 'zta-query-errors-null',
    kind: 'field',
    provider: 'falcon',
    routes: ['GET /zero-trust-assessment/queries/assessments/v1'],
    statuses: [200],
    at: /^\/errors$/,
    keyword: 'type',
    reason: 'Recorded answers of the ZTA score query carry `errors: null` on success; the spec types errors as an array (shared/reference, ZTA query).',
  },
  {
    id: 'zta-unscored-assessment',
    kind: 'field',
    provider: 'falcon',
    routes: ['GET /zero-trust-assessment/entities/assessments/v1'],
    statuses: [200],
    at: /^\/resources\/\d+\/assessment(\/(os|overall|sensor_config|version))?$/,
    keyword: 'required',
    reason:
      'Hosts not yet scored come back with `assessment` absent or `{}` and empty signal lists (about 5% of a fleet), while the spec requires all four scores on every record.',
  },
  {
    id: 'combined-hosts-projection',
    kind: 'field',
    provider: 'falcon',
    routes: ['GET /devices/combined/devices/v1'],
    statuses: [200],
    at: /^\/resources\/\d+\/cid$/,
    keyword: 'required',
    reason:
      'With `fields=` the combined hosts endpoint returns only the fields asked for, plus device_id; the product asks for the seven posture reads, so `cid`, required by the spec, is absent.',
  },
  {
    id: 'alert-required-lists',
    kind: 'field',
    provider: 'falcon',
    routes: ['POST /alerts/entities/alerts/v2', 'POST /alerts/combined/alerts/v1'],
    statuses: [200],
    at: /^\/resources\/\d+\/[^/]+$/,
    keyword: 'required',
    reason:
      "The supplement's own note: its 'required' lists reflect the generated Go models, not a guarantee that fields are present for every alert product; EPP alerts carry no aggregation, assignment or CMS-rule fields.",
  },
  {
    id: 'optional-null',
    kind: 'field',
    provider: 'falcon',
    routes: [
      'GET /devices/combined/devices/v1',
      'GET /devices/entities/devices/v2',
      'POST /devices/entities/devices/v2',
      'GET /devices/entities/online-state/v1',
      'POST /alerts/entities/alerts/v2',
      'POST /alerts/combined/alerts/v1',
    ],
    statuses: [200],
    at: /^\/resources\/\d+\/[^/]+$/,
    nullOnly: true,
    reason:
      'Real records carry null for a value they do not have (e.g. a host never logged in to, an alert without a command line) where the spec types a string; the variance fault sends such nulls, and the clients read null as absent.',
  },
  {
    id: 's1-optional-null',
    kind: 'field',
    provider: 'sentinelone',
    routes: ['GET /agents'],
    statuses: [200],
    at: /^\/data\/\d+\/[^/]+$/,
    nullOnly: true,
    reason:
      'Agent records from real consoles carry null for values an agent has not reported: lastIpToMgmt is null in real samples (shared/reference/sentinelone-api.md, agents [X3]), and so are domain, machineType or tags at times; the subset marks few fields nullable. The simulator and the variance fault send such nulls.',
  },
  {
    id: 'jamf-api-errors',
    kind: 'status',
    provider: 'jamf',
    routes: ['GET /api/v1/jamf-pro-version', ...JAMF_INVENTORY],
    statuses: [400, 401, 403, 404, 405, 500, 502, 503],
    schema: 'ApiError',
    reason:
      'The spec lists only 200 for these reads, yet Jamf Pro answers a bad or expired token (401 INVALID_TOKEN), a role without the privilege (403), a version the server lacks (404) and server errors with its ApiError body {httpStatus, errors:[{code, field, description, id}]} (shared/reference/jamf-pro-api.md, errors).',
  },
  {
    id: 'jamf-oauth-401',
    kind: 'status',
    provider: 'jamf',
    routes: ['POST /api/oauth/token', 'POST /api/v1/oauth/token'],
    statuses: [401],
    schema: 'OAuthTokenEndpointErrorResponse',
    reason:
      'The token endpoints document 400 with the RFC 6749 error body; a wrong client id or secret is answered 401 invalid_client with the same body (RFC 6749 section 5.2; the reference marks the status per case unverified).',
  },
  {
    id: 'jamf-sections-null',
    kind: 'field',
    provider: 'jamf',
    routes: JAMF_INVENTORY,
    statuses: [200],
    at: /^\/results\/\d+\/[A-Za-z]+$/,
    keyword: 'type',
    nullOnly: true,
    reason:
      'Sections a request did not ask for come back as null, not omitted (shared/reference/jamf-pro-api.md, device list), while the spec types each section as an object or array.',
  },
  {
    id: 'jamf-optional-null',
    kind: 'field',
    provider: 'jamf',
    routes: JAMF_INVENTORY,
    statuses: [200],
    at: /^\/results\/\d+\/[A-Za-z]+(\/[A-Za-z0-9]+)+$/,
    keyword: 'type',
    nullOnly: true,
    reason:
      'Many scalars are null on real servers (barcode1, assetTag, lastCloudBackupDate, a user without a realname, remoteManagement.managementUsername which the spec itself says always returns null) where the spec types a string (shared/reference/jamf-pro-api.md, device list, from a recorded answer).',
  },
  {
    id: 'jamf-error-field-null',
    kind: 'field',
    provider: 'jamf',
    routes: ['GET /api/v1/jamf-pro-version', ...JAMF_INVENTORY],
    at: /^\/errors\/\d+\/field$/,
    keyword: 'type',
    nullOnly: true,
    reason:
      'ApiErrorCause requires field and types it a string, but recorded errors carry "field": null when no field is at fault, e.g. {"httpStatus":401,"errors":[{"code":"INVALID_TOKEN","description":"Unauthorized","id":"0","field":null}]} (shared/reference/jamf-pro-api.md, errors).',
  },
  {
    id: 'kandji-error-detail',
    kind: 'status',
    provider: 'kandji',
    routes: ['GET /api/v1/devices', 'POST /api/v1/devices', 'GET /api/v1/settings/licensing'],
    statuses: [400, 401, 403, 405, 429, 500, 502, 503],
    schema: 'ErrorDetail',
    reason:
      'The subset documents only 200; Kandji answers errors Django-REST style, {detail} for 401/403/405/429/5xx and a field-to-messages map for 400 (shared/reference/kandji-api.md, errors), which the spec’s own ErrorDetail component describes.',
  },
];
