import type { AckRequest, Alert, AlertUpdate, Silence, SilenceRequest } from './alert.js';
import type { SourceStatus, TrafficSnapshot, TrafficTick } from './traffic.js';

/** Error codes a browser may see. Never a stack. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** The answer to every acknowledged client → server event. */
export type AckResult<T> = { ok: true; data: T } | { ok: false; error: WireError };

export interface ServerToClientEvents {
  'traffic:snapshot': (snapshot: TrafficSnapshot) => void;
  'traffic:tick': (tick: TrafficTick) => void;
  'alert:update': (update: AlertUpdate) => void;
  'source:status': (status: SourceStatus) => void;
}

export interface ClientToServerEvents {
  'alert:ack': (req: AckRequest, ack: (res: AckResult<Alert>) => void) => void;
  'silence:create': (req: SilenceRequest, ack: (res: AckResult<Silence>) => void) => void;
}

/** socket.io path and default port, so server and client agree. */
export const SOCKET_PATH = '/socket.io';
export const DEFAULT_PORT = 8080;
