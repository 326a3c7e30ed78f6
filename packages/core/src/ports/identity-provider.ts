import type { Domain, Project, Role, RoleAssignment, User } from '../model/identity.js';
import type { RequestContext } from '../model/request-context.js';

export interface PasswordCredentials {
  /** User name (with domain) or user id. */
  user: { id?: string; name?: string; domainId?: string; domainName?: string };
  password: string;
}

export type TokenScope =
  | { project: { id?: string; name?: string; domainId?: string; domainName?: string } }
  | { domain: { id?: string; name?: string } }
  | null;

/** An issued token and what it grants. */
export interface TokenInfo {
  token: string;
  userId: string;
  userName: string;
  userDomainId: string;
  projectId: string | null;
  projectName: string | null;
  projectDomainId: string | null;
  domainId: string | null;
  roles: Role[];
  issuedAt: Date;
  expiresAt: Date;
  methods: string[];
}

/**
 * Who a caller is: Keystone v3. The built-in implementation keeps users, projects and roles
 * in the database; an adapter for a remote Keystone may implement only authentication and
 * validation and throw `NotImplementedByDriver` from the management methods.
 */
export interface IdentityProvider {
  authenticatePassword(credentials: PasswordCredentials, scope: TokenScope): Promise<TokenInfo>;
  /** Re-scopes an existing token (Keystone's `token` method); same expiry as the original. */
  authenticateToken(token: string, scope: TokenScope): Promise<TokenInfo>;
  /** Throws `Unauthorized` for an unknown, expired or revoked token. */
  validateToken(token: string): Promise<TokenInfo>;
  revokeToken(token: string): Promise<void>;
  /** The request context a validated token stands for. */
  contextFor(info: TokenInfo, requestId: string): RequestContext;

  listDomains(): Promise<Domain[]>;
  listProjects(filter?: { domainId?: string; name?: string }): Promise<Project[]>;
  getProject(id: string): Promise<Project>;
  createProject(input: { name: string; domainId?: string; description?: string; enabled?: boolean }): Promise<Project>;
  updateProject(id: string, patch: Partial<Pick<Project, 'name' | 'description' | 'enabled'>>): Promise<Project>;
  deleteProject(id: string): Promise<void>;
  listUsers(filter?: { domainId?: string; name?: string }): Promise<User[]>;
  getUser(id: string): Promise<User>;
  createUser(input: { name: string; password: string; domainId?: string; defaultProjectId?: string | null; enabled?: boolean }): Promise<User>;
  updateUser(id: string, patch: Partial<Pick<User, 'name' | 'enabled' | 'defaultProjectId'>> & { password?: string }): Promise<User>;
  deleteUser(id: string): Promise<void>;
  listRoles(): Promise<Role[]>;
  createRole(name: string): Promise<Role>;
  assignRole(assignment: RoleAssignment): Promise<void>;
  unassignRole(assignment: RoleAssignment): Promise<void>;
  listRoleAssignments(filter?: Partial<RoleAssignment>): Promise<RoleAssignment[]>;
  /** Projects a user has any role on (`/v3/auth/projects`). */
  listUserProjects(userId: string): Promise<Project[]>;
}
