// Picks the transport: the Electron preload's window.postureConsole, or the loopback web host.
import type { Envelope } from '../../src-shared/contract';
import { webTransport } from './web-transport';

export interface Transport {
  invoke(channel: string, req: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (message: { event: string; payload: unknown }) => void): () => void;
}

declare global {
  interface Window {
    postureConsole?: Transport;
  }
}

let chosen: Transport | undefined;

export function transport(): Transport {
  chosen ??= window.postureConsole ?? webTransport();
  return chosen;
}
