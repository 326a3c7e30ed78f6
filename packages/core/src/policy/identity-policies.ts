/** Keystone's policy action names for what the built-in identity serves. */
export const IdentityPolicy = {
  getProject: 'identity:get_project',
  listProjects: 'identity:list_projects',
  createProject: 'identity:create_project',
  updateProject: 'identity:update_project',
  deleteProject: 'identity:delete_project',
  listUserProjects: 'identity:list_user_projects',
  getUser: 'identity:get_user',
  listUsers: 'identity:list_users',
  createUser: 'identity:create_user',
  updateUser: 'identity:update_user',
  deleteUser: 'identity:delete_user',
  getRole: 'identity:get_role',
  listRoles: 'identity:list_roles',
  createRole: 'identity:create_role',
  createGrant: 'identity:create_grant',
  revokeGrant: 'identity:revoke_grant',
  checkGrant: 'identity:check_grant',
  listRoleAssignments: 'identity:list_role_assignments',
  getDomain: 'identity:get_domain',
  listDomains: 'identity:list_domains',
  validateToken: 'identity:validate_token',
  checkToken: 'identity:check_token',
  revokeToken: 'identity:revoke_token',
  getAuthProjects: 'identity:get_auth_projects',
  getAuthDomains: 'identity:get_auth_domains',
  getAuthCatalog: 'identity:get_auth_catalog',
} as const;

const ADMIN = 'rule:context_is_admin';
const ADMIN_OR_TOKEN_SUBJECT = 'rule:context_is_admin or user_id:%(target.token.user_id)s';
const I = IdentityPolicy;

/**
 * Keystone's defaults, reduced to project scope: an admin manages everything; a user may read
 * their own user, the projects they are scoped to, and check or revoke their own tokens.
 * Targets use Keystone's names (`target.project.id`, `target.user.id`, `target.token.user_id`).
 */
export const IDENTITY_DEFAULT_RULES: Readonly<Record<string, string>> = {
  [I.getProject]: 'rule:context_is_admin or project_id:%(target.project.id)s',
  [I.listProjects]: ADMIN,
  [I.createProject]: ADMIN,
  [I.updateProject]: ADMIN,
  [I.deleteProject]: ADMIN,
  [I.listUserProjects]: 'rule:context_is_admin or user_id:%(target.user.id)s',
  [I.getUser]: 'rule:context_is_admin or user_id:%(target.user.id)s',
  [I.listUsers]: ADMIN,
  [I.createUser]: ADMIN,
  [I.updateUser]: ADMIN,
  [I.deleteUser]: ADMIN,
  [I.getRole]: ADMIN,
  [I.listRoles]: ADMIN,
  [I.createRole]: ADMIN,
  [I.createGrant]: ADMIN,
  [I.revokeGrant]: ADMIN,
  [I.checkGrant]: ADMIN,
  [I.listRoleAssignments]: ADMIN,
  [I.getDomain]: ADMIN,
  [I.listDomains]: ADMIN,
  [I.validateToken]: ADMIN_OR_TOKEN_SUBJECT,
  [I.checkToken]: ADMIN_OR_TOKEN_SUBJECT,
  [I.revokeToken]: ADMIN_OR_TOKEN_SUBJECT,
  [I.getAuthProjects]: '@',
  [I.getAuthDomains]: '@',
  [I.getAuthCatalog]: '@',
};
