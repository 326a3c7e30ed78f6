export * from './builtin-identity-provider.js';
export * from './identity-directory.js';
export * from './implied-roles.js';
export * from './password-hasher.js';
export * from './token-secret.js';
