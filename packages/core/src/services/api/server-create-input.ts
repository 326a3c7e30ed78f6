import { BadRequest } from '../../errors.js';
import type { NetworkRequest } from '../../ports/network-service.js';

/** What a user asks for when creating servers (the body of POST /servers, already parsed). */
export interface CreateServerInput {
  name: string;
  flavorRef: string;
  imageRef?: string | null;
  keyName?: string | null;
  metadata?: Record<string, string>;
  /** Base64, as the API takes it. */
  userData?: string | null;
  availabilityZone?: string | null;
  networks?: NetworkRequest;
  minCount?: number;
  maxCount?: number;
  accessIpV4?: string | null;
  schedulerHints?: Record<string, string | string[]>;
  /** Server group to join (hint `group`). */
  groupId?: string | null;
}

const MAX_USER_DATA_BYTES = 65535;

/** Checks the shape of a create request; references (flavor, image, key) are checked by the service. */
export function validateCreateInput(input: CreateServerInput): { userData: string | null; minCount: number; maxCount: number } {
  if (typeof input !== 'object' || input === null) throw new BadRequest('Invalid input: a server body is required.');
  checkName(input.name);
  if (typeof input.flavorRef !== 'string' || input.flavorRef.length === 0 || input.flavorRef.length > 255) {
    throw new BadRequest('Invalid flavorRef provided.');
  }
  if (input.imageRef != null && (typeof input.imageRef !== 'string' || input.imageRef.length > 255)) {
    throw new BadRequest('Invalid imageRef provided.');
  }
  if (input.keyName != null && (typeof input.keyName !== 'string' || input.keyName.length > 255)) {
    throw new BadRequest('Invalid key_name provided.');
  }
  checkMetadata(input.metadata ?? {});
  const minCount = input.minCount ?? 1;
  const maxCount = input.maxCount ?? minCount;
  for (const [k, v] of [['min_count', minCount], ['max_count', maxCount]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1000) throw new BadRequest(`Invalid input for field/attribute ${k}. Value: ${v}. It must be an integer from 1 to 1000.`);
  }
  if (minCount > maxCount) throw new BadRequest('min_count must be <= max_count');
  return { userData: decodeUserData(input.userData), minCount, maxCount };
}

export function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 255) {
    throw new BadRequest('Invalid input for field/attribute name. It must be a non-blank string of at most 255 characters.');
  }
}

export function checkMetadata(metadata: unknown): asserts metadata is Record<string, string> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new BadRequest('Invalid input for field/attribute metadata. It must be an object of strings.');
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (k.length === 0 || k.length > 255) throw new BadRequest(`Invalid metadata key "${k.slice(0, 32)}": 1 to 255 characters.`);
    if (typeof v !== 'string' || v.length > 255) throw new BadRequest(`Invalid metadata value for key "${k.slice(0, 32)}": a string of at most 255 characters.`);
  }
}

function decodeUserData(userData: string | null | undefined): string | null {
  if (userData == null) return null;
  if (typeof userData !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(userData)) {
    throw new BadRequest('User data needs to be valid base 64.');
  }
  if (Buffer.from(userData, 'base64').length > MAX_USER_DATA_BYTES) {
    throw new BadRequest(`User data too large. User data must be no larger than ${MAX_USER_DATA_BYTES} bytes once base64 decoded.`);
  }
  return userData;
}
