// Which contract channels act (change state here or at a provider, or start and stop work) and which only read.
// Every channel must be named: a new channel fails the typecheck until it is classified, and every `acts` channel
// is appended to the audit trail (audit-coverage.test.ts calls each one and expects exactly one entry).
import type { Channel } from './contract';

export type ChannelEffect = 'reads' | 'acts';

export const channelEffects = {
  'app.info': 'reads',
  'settings.get': 'reads',
  'settings.update': 'acts',
  'preferences.get': 'reads',
  'preferences.update': 'acts',
  'config.export': 'reads',
  'config.import': 'acts',
  'providers.list': 'reads',
  'providers.save': 'acts',
  'providers.remove': 'acts',
  'providers.test': 'acts',
  'checks.list': 'reads',
  'checks.save': 'acts',
  'checks.remove': 'acts',
  'checks.whatIf': 'reads',
  'devices.list': 'reads',
  'devices.get': 'reads',
  'coverage.summary': 'reads',
  'coverage.query': 'reads',
  // An export writes a file the admin asked for; it changes no configuration (as postureLog.export).
  'coverage.export': 'reads',
  'posture.status': 'reads',
  'posture.pollNow': 'acts',
  'posture.cancel': 'acts',
  'posture.pause': 'acts',
  'posture.resume': 'acts',
  'postureLog.query': 'reads',
  'postureLog.count': 'reads',
  'postureLog.export': 'reads',
  'postureLog.cancelExport': 'reads',
  'dashboard.summary': 'reads',
  'rules.get': 'reads',
  'rules.save': 'acts',
  'rules.check': 'reads',
  'rules.complete': 'reads',
  'rules.fields': 'reads',
  // Validates and returns the rule set; saving it is `rules.save`, recorded as an import when the text came from a file.
  'rules.import': 'reads',
  'rules.export': 'reads',
  'rules.dryRun': 'reads',
  'rules.backTest': 'reads',
  'rules.cancel': 'reads',
  'incidents.list': 'reads',
  'incidents.get': 'reads',
  'incidents.changeState': 'acts',
  'incidents.addNote': 'acts',
  'incidents.containment': 'acts',
  'incidents.retryEnrichment': 'acts',
  'incidents.attachIoc': 'acts',
  'incidents.exportCsv': 'reads',
  'incidents.alertLog': 'reads',
  'incidents.pollerStatus': 'reads',
  'incidents.pollNow': 'acts',
  'incidents.cancelPoll': 'acts',
  'incidents.enrichment.get': 'reads',
  'incidents.enrichment.set': 'acts',
  'incidents.containmentSettings.get': 'reads',
  'incidents.containmentSettings.set': 'acts',
  'iocs.list': 'reads',
  'iocs.push': 'acts',
  'iocs.delete': 'acts',
  'users.list': 'reads',
  'users.get': 'reads',
  'users.reset': 'acts',
  'users.behaviors.get': 'reads',
  'users.behaviors.set': 'acts',
  'users.exportCsv': 'reads',
  'audit.query': 'reads',
  'audit.verify': 'reads',
  'audit.export': 'reads',
  'sinks.list': 'reads',
  'sinks.save': 'acts',
  'sinks.remove': 'acts',
  'sinks.test': 'acts',
  'sinks.status': 'reads',
  'sinks.deadLetters': 'reads',
  'sinks.retryDeadLetters': 'acts',
  'sinks.discardDeadLetters': 'acts',
} as const satisfies Record<Channel, ChannelEffect>;

export type ActingChannel = { [C in Channel]: (typeof channelEffects)[C] extends 'acts' ? C : never }[Channel];

export const actingChannels = (Object.keys(channelEffects) as Channel[]).filter((c): c is ActingChannel => channelEffects[c] === 'acts');

export function acts(channel: Channel): channel is ActingChannel {
  return channelEffects[channel] === 'acts';
}
