/**
 * Small builders for the JSON Schemas fastify validates bodies with (ajv, no coercion, no
 * silent removal): objects are closed unless told otherwise, like most of Nova's `schemas/`.
 */
export type Schema = Record<string, unknown>;

export const str = (maxLength = 255, minLength = 0): Schema => ({ type: 'string', minLength, maxLength });
export const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
export const int = (minimum = 0, maximum = 2 ** 31 - 1): Schema => ({ type: 'integer', minimum, maximum });
export const bool: Schema = { type: 'boolean' };
export const enumOf = (...values: unknown[]): Schema => ({ enum: values });
/** An integer sent either as a number or as a string of digits (Nova accepts both for counts). */
export const intLike = (minimum = 0, maximum = 2 ** 31 - 1): Schema => ({
  anyOf: [int(minimum, maximum), { type: 'string', pattern: '^[0-9]{1,10}$' }],
});

export function obj(properties: Record<string, Schema>, required: string[] = [], extra: Partial<Schema> = {}): Schema {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}

/** A string→string map such as metadata: keys 1–255, values ≤ 255. */
export const stringMap = (maxProperties = 1000): Schema => ({
  type: 'object',
  maxProperties,
  propertyNames: { minLength: 1, maxLength: 255 },
  additionalProperties: { type: 'string', maxLength: 255 },
});

/** The body of a route: `{ body: schema }` in fastify's route options. */
export const body = (schema: Schema) => ({ body: schema });
