export {
  configSchema,
  parseDuration,
  ROLES,
  type AuthConfig,
  type Config,
  type KafkaConfig,
  type Role,
} from './schema.js';
export { ConfigError, loadConfig, needsGeneratedToken, type LoadOptions } from './load.js';
