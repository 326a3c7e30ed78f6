/**
 * The named building blocks Nova's (and our other services') defaults refer to with
 * `rule:NAME`, with Nova's names and check strings (`nova/policies/base.py`).
 */
export const BASE_POLICY_RULES: Readonly<Record<string, string>> = {
  context_is_admin: 'role:admin',
  admin_or_owner: 'is_admin:True or project_id:%(project_id)s',
  admin_api: 'is_admin:True',
  project_member_api: 'role:member and project_id:%(project_id)s',
  project_reader_api: 'role:reader and project_id:%(project_id)s',
  project_member_or_admin: 'rule:project_member_api or rule:context_is_admin',
  project_reader_or_admin: 'rule:project_reader_api or rule:context_is_admin',
  /** What an action nobody registered falls back to: only an admin. */
  default: 'rule:admin_api',
};
