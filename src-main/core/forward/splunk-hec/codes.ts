// Splunk HTTP Event Collector answers, per Splunk's "Troubleshoot HTTP Event Collector" status-code table,
// as what the outbox should do and what the admin should read.
import type { SinkError } from '../transport';

/** What an answer means for the batch: wait and resend (the data is fine, the set-up or the server is not), or refuse the data for good. */
export type HecVerdict = { kind: 'retry'; error: SinkError } | { kind: 'refused'; error: SinkError };

const TOKEN_FIX =
  'In Splunk, Settings > Data inputs > HTTP Event Collector: check that the token exists and is enabled (and that HEC itself is enabled under Global Settings), then paste it again into this sink. Events wait in the outbox until then.';

const retry = (code: string, message: string, fix: string): HecVerdict => ({ kind: 'retry', error: { code, message, fix } });
const refused = (code: string, message: string, fix: string): HecVerdict => ({ kind: 'refused', error: { code, message, fix } });

/**
 * The verdict for a HEC error code (anything but 0 and 17). A bad token, a wrong index, a missing channel or
 * disabled acknowledgement are set-up problems: the events themselves are fine, so they wait and are resent.
 * Only data Splunk cannot parse is refused for good (dead letters).
 */
export function verdictForCode(code: number, status: number, text: string, host: string): HecVerdict | undefined {
  const said = text ? ` Splunk said: “${text}” (HEC code ${code}, HTTP ${status}).` : ` (HEC code ${code}, HTTP ${status}).`;
  switch (code) {
    case 1:
      return retry('hec.bad_token', `Bad token: the HEC token is disabled on ${host}.${said}`, TOKEN_FIX);
    case 2:
      return retry('hec.bad_token', `Bad token: ${host} received no HEC token.${said}`, TOKEN_FIX);
    case 3:
    case 4:
      return retry('hec.bad_token', `Bad token: ${host} does not accept this HEC token.${said}`, TOKEN_FIX);
    case 5:
      return refused('hec.no_data', `${host} received no events in the request.${said}`, 'This is a bug in the console; report it with the app logs.');
    case 6:
      return refused(
        'hec.invalid_format',
        `${host} could not parse the events.${said}`,
        'The events were kept as dead letters. If a proxy sits between the console and Splunk, check that it does not rewrite request bodies.',
      );
    case 7:
      return retry(
        'hec.bad_index',
        `${host} refused the index set for this sink.${said}`,
        'Correct the index in this sink, or in Splunk allow this token to write to it (the token’s Allowed indexes). Events wait in the outbox until then.',
      );
    case 8:
      return retry('hec.server_error', `${host} had an internal error.${said}`, 'Events are sent again; if it persists, check the Splunk server’s health.');
    case 9:
      return retry(
        'hec.busy',
        `${host} is busy (its queues are full).${said}`,
        'Events are sent again after a pause; if it persists, the Splunk indexers are overloaded or blocked.',
      );
    case 10:
      return retry(
        'hec.channel_missing',
        `${host} wants a channel: indexer acknowledgement is enabled on this token.${said}`,
        'Turn on “Wait for indexer acknowledgement” in this sink and give it a channel GUID, or turn acknowledgement off on the token in Splunk.',
      );
    case 11:
      return retry(
        'hec.channel_invalid',
        `${host} refused the channel GUID.${said}`,
        'Give this sink a different channel GUID (any GUID works); Splunk may also have too many open channels.',
      );
    case 12:
      return refused(
        'hec.event_required',
        `${host} refused an event without an event field.${said}`,
        'This is a bug in the console; report it with the app logs.',
      );
    case 13:
      return refused(
        'hec.event_blank',
        `${host} refused an event with a blank event field.${said}`,
        'This is a bug in the console; report it with the app logs.',
      );
    case 14:
      return retry(
        'hec.ack_disabled',
        `${host} has indexer acknowledgement turned off for this token.${said}`,
        'In Splunk, edit the HEC token and tick “Enable indexer acknowledgement”, or turn acknowledgement off in this sink (a 200 then means received, not indexed).',
      );
    case 15:
      return refused('hec.indexed_fields', `${host} could not handle the events’ indexed fields.${said}`, 'The events were kept as dead letters.');
    case 18:
    case 19:
    case 20:
      return retry('hec.unhealthy', `${host} reports HEC is unhealthy.${said}`, 'Events are sent again after a pause; check the Splunk indexers’ queues.');
    default:
      return undefined;
  }
}

/** The verdict for an answer without a HEC code (a proxy, a wrong URL, a non-Splunk server). */
export function verdictForStatus(status: number, text: string, host: string): HecVerdict {
  const said = text ? ` It said: “${text}”.` : '';
  if (status === 401 || status === 403) return retry('hec.bad_token', `Bad token: ${host} refused the request (HTTP ${status}).${said}`, TOKEN_FIX);
  if (status === 404)
    return retry(
      'hec.not_found',
      `${host} has no HTTP Event Collector at this URL (HTTP 404).${said}`,
      'Use the collector URL, e.g. https://splunk.example.com:8088 (Splunk Cloud: https://http-inputs-<stack>.splunkcloud.com), and enable HEC under Settings > Data inputs > HTTP Event Collector > Global Settings.',
    );
  if (status === 413)
    return refused(
      'hec.too_large',
      `${host} refused the batch as too large (HTTP 413).${said}`,
      'Lower the batch size of this sink, or raise max_content_length in Splunk’s limits.conf [http_input].',
    );
  if (status === 429 || status >= 500)
    return retry('hec.server_error', `${host} could not take the events now (HTTP ${status}).${said}`, 'Events are sent again after a pause.');
  return refused('hec.unexpected', `${host} refused the events (HTTP ${status}).${said}`, 'Check that the URL points at Splunk’s HTTP Event Collector.');
}
