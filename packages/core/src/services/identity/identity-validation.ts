import { BadRequest } from '../../errors.js';

/** Keystone's limits: project and domain names 64 characters, user and role names 255. */
export const NAME_LIMITS = { project: 64, domain: 64, user: 255, role: 255 } as const;
export const DESCRIPTION_LIMIT = 1024;
export const PASSWORD_LIMIT = 4096;

export function requireName(value: unknown, what: keyof typeof NAME_LIMITS): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadRequest(`A ${what} name is required and must be a non-empty string.`);
  }
  if (value.length > NAME_LIMITS[what]) {
    throw new BadRequest(`The ${what} name is ${value.length} characters long; at most ${NAME_LIMITS[what]} are allowed.`);
  }
  return value;
}

export function requirePassword(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new BadRequest('A password is required and must be a non-empty string.');
  if (value.length > PASSWORD_LIMIT) throw new BadRequest(`The password is too long; at most ${PASSWORD_LIMIT} characters are allowed.`);
  return value;
}

export function optionalDescription(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadRequest('A description must be a string.');
  if (value.length > DESCRIPTION_LIMIT) throw new BadRequest(`The description is too long; at most ${DESCRIPTION_LIMIT} characters are allowed.`);
  return value;
}

export function optionalBoolean(value: unknown, what: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new BadRequest(`"${what}" must be true or false.`);
  return value;
}

/** An id given by a caller: a short string, else BadRequest (an unknown one is the caller's NotFound). */
export function requireId(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 64) {
    throw new BadRequest(`A ${what} id must be a non-empty string of at most 64 characters.`);
  }
  return value;
}
