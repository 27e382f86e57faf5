import type { Role } from '../config/schema.js';

export type { Role };

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

/** Whether `role` may do what `needed` may: viewer < responder < admin. */
export function allows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Who is acting, and how they proved it. */
export interface Principal {
  /** Shown in acknowledgements, silences and the audit log. */
  name: string;
  role: Role;
  via: 'token' | 'display' | 'password' | 'proxy' | 'generated' | 'none';
}
