import { EntitySchema } from 'typeorm';
import type { Domain, Project, Role, RoleAssignment, User } from '../../model/identity.js';
import { bool, id, json, snake, str, time } from '../column-types.js';

export const DomainSchema = new EntitySchema<Domain>({
  name: 'Domain',
  tableName: 'domains',
  columns: snake({ id: id(64), name: str(255), enabled: bool() }),
  uniques: [{ name: 'uq_domains_name', columns: ['name'] }],
});

export const ProjectSchema = new EntitySchema<Project>({
  name: 'Project',
  tableName: 'projects',
  columns: snake({ id: id(64), name: str(255), domainId: str(64), description: str(1024), enabled: bool() }),
  uniques: [{ name: 'uq_projects_domain_name', columns: ['domainId', 'name'] }],
});

/** A user row also carries its scrypt password hash, which the model never exposes. */
export interface UserRow extends User {
  passwordHash: string;
}

export const UserSchema = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: snake({
    id: id(64),
    name: str(255),
    domainId: str(64),
    defaultProjectId: str(64, true),
    enabled: bool(),
    passwordHash: str(512),
  }),
  uniques: [{ name: 'uq_users_domain_name', columns: ['domainId', 'name'] }],
});

export const RoleSchema = new EntitySchema<Role>({
  name: 'Role',
  tableName: 'roles',
  columns: snake({ id: id(64), name: str(255) }),
  uniques: [{ name: 'uq_roles_name', columns: ['name'] }],
});

export const RoleAssignmentSchema = new EntitySchema<RoleAssignment>({
  name: 'RoleAssignment',
  tableName: 'role_assignments',
  columns: snake({
    userId: { ...str(64), primary: true },
    projectId: { ...str(64), primary: true },
    roleId: { ...str(64), primary: true },
  }),
});

/** An issued token. Only its SHA-256 is stored, so a database dump leaks no usable token. */
export interface TokenRow {
  tokenHash: string;
  userId: string;
  projectId: string | null;
  domainId: string | null;
  methods: string[];
  issuedAt: Date;
  expiresAt: Date;
  revoked: boolean;
  /** Audit chain: a re-scoped token keeps the id of the token it came from. */
  parentHash: string | null;
}

export const TokenSchema = new EntitySchema<TokenRow>({
  name: 'Token',
  tableName: 'tokens',
  columns: snake({
    tokenHash: id(64),
    userId: str(64),
    projectId: str(64, true),
    domainId: str(64, true),
    methods: json(),
    issuedAt: time(),
    expiresAt: time(),
    revoked: bool(),
    parentHash: str(64, true),
  }),
});

