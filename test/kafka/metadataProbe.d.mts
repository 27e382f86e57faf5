/** Number of live brokers the broker at host:port lists; rejects when it does not answer. */
export function probeBroker(opts: {
  host?: string;
  port: number;
  timeoutMs?: number;
}): Promise<number>;
