export interface Domain {
  id: string;
  name: string;
  enabled: boolean;
}

export interface Project {
  id: string;
  name: string;
  domainId: string;
  description: string;
  enabled: boolean;
}

export interface User {
  id: string;
  name: string;
  domainId: string;
  defaultProjectId: string | null;
  enabled: boolean;
}

export interface Role {
  id: string;
  name: string;
}

export interface RoleAssignment {
  userId: string;
  projectId: string;
  roleId: string;
}

/** The built-in roles, as Keystone bootstraps them: admin implies member implies reader. */
export const BUILTIN_ROLES = ['admin', 'member', 'reader'] as const;

export const DEFAULT_DOMAIN_ID = 'default';
