/** What a caller may do. An operator may do everything a viewer may. */
export enum Role {
  VIEWER = 'viewer',
  OPERATOR = 'operator',
}

/** Who is calling, once their credential has been verified. */
export interface Principal {
  /** The API key's name, or the token's `preferred_username` (else `sub`). */
  name: string;
  /** Granted roles, implied ones included: an operator also holds VIEWER. */
  roles: Role[];
  /** `none`: authentication is disabled and everybody is the anonymous operator. */
  source: 'api-key' | 'jwt' | 'none';
  /**
   * When the credential stops being accepted (a token: its `exp` plus the clock leeway the
   * verifier allowed); null when it does not expire.
   */
  expiresAt: Date | null;
}

/** The roles each role implies, itself included. */
const IMPLIED_ROLES: Record<Role, readonly Role[]> = {
  [Role.VIEWER]: [Role.VIEWER],
  [Role.OPERATOR]: [Role.OPERATOR, Role.VIEWER],
};

const ROLE_NAMES = new Set<string>(Object.values(Role));
const STRONGEST_FIRST = [Role.OPERATOR, Role.VIEWER] as const;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ROLE_NAMES.has(value);
}

/** The granted roles plus the ones they imply, without duplicates, strongest first. */
export function withImpliedRoles(granted: Iterable<Role>): Role[] {
  const all = new Set<Role>();
  for (const role of granted) {
    IMPLIED_ROLES[role].forEach((implied) => all.add(implied));
  }
  return STRONGEST_FIRST.filter((role) => all.has(role));
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.some((granted) => IMPLIED_ROLES[granted].includes(role));
}

export function isExpired(principal: Principal, now: Date = new Date()): boolean {
  return principal.expiresAt !== null && principal.expiresAt.getTime() <= now.getTime();
}

/** The caller when authentication is disabled: anyone may do anything. */
export const ANONYMOUS_PRINCIPAL: Readonly<Principal> = Object.freeze({
  name: 'anonymous',
  roles: withImpliedRoles([Role.OPERATOR]),
  source: 'none',
  expiresAt: null,
});
