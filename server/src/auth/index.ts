export { createAudit, type Audit, type AuditEvent } from './audit.js';
export {
  createAuthenticator,
  readCookie,
  SESSION_COOKIE,
  type Authenticator,
  type AuthResult,
  type Credentials,
  type LoginRequest,
} from './authenticator.js';
export { hashPassword, hashToken, newToken, verifySecret } from './hash.js';
export { allows, type Principal, type Role } from './roles.js';
export { loadOrCreateAdminToken, loadOrCreateSessionSecret } from './stateFile.js';
export { createEventLimiter } from './eventLimiter.js';
export { createLoginLimiter } from './loginLimiter.js';
