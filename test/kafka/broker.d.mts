export const REPO_ROOT: string;
export const CACHE_ROOT: string;
/** The release `pnpm kafka:up` and the tests run when KAFKA_VERSION is not set. */
export const DEFAULT_KAFKA_VERSION: string;

export interface StartBrokerOptions {
  /** Client (PLAINTEXT) port on 127.0.0.1; default 9092. */
  port?: number;
  /** KRaft controller port; default port + 1. */
  controllerPort?: number;
  /** Holds server.properties, broker.log, broker.pid and the data; formatted on first use. */
  dataDir: string;
  /** Default: KAFKA_VERSION or DEFAULT_KAFKA_VERSION. */
  version?: string;
  /** Outlive this process (kafka:up); default false (tests). */
  detached?: boolean;
  /** Default: <dataDir>/broker.pid. */
  pidFile?: string;
  /** How long to wait for the broker to serve; default 90 000 ms. */
  timeoutMs?: number;
  /** JVM heap flags; default ['-Xms256m', '-Xmx512m']. */
  heap?: string[];
}

export interface RunningBroker {
  /** host:port list for clients. */
  brokers: string[];
  port: number;
  controllerPort: number;
  pid: number;
  version: string;
  dataDir: string;
  logFile: string;
  /** SIGTERM (or `signal`), SIGKILL after timeoutMs (default 20 000). Keeps the data. */
  stop(opts?: { timeoutMs?: number; signal?: NodeJS.Signals }): Promise<void>;
}

export function kafkaVersion(): string;
export function libsDir(version: string): string;
/** Fetches the jars with mvn once (cached under .cache/kafka/<version>/libs); returns the folder. */
export function ensureJars(version?: string): string;
export function startBroker(opts: StartBrokerOptions): Promise<RunningBroker>;
export function stopPid(pid: number, timeoutMs: number, signal?: NodeJS.Signals): Promise<void>;
/** Stops the broker recorded in a pid file; null when none was running. */
export function stopBroker(opts: {
  pidFile: string;
  timeoutMs?: number;
}): Promise<{ pid: number } | null>;
export function isAlive(pid: number): boolean;
export function tail(file: string, bytes?: number): string;
