export { configSchema, parseDuration, type Config, type KafkaConfig } from './schema.js';
export { ConfigError, loadConfig, type LoadOptions } from './load.js';
