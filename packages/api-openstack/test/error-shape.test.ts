import { describe, expect, it } from 'vitest';
import { BadRequest, Conflict, Forbidden, InstanceInvalidState, NoValidHost, NotFound, QuotaExceeded, Unauthorized } from '@nubo/core';
import { errorBody, toHttpFailure } from '../src/index.js';

const nova = (err: unknown) => errorBody('nova', toHttpFailure(err));

describe('the one error mapper', () => {
  it('renders core\'s typed errors in Nova\'s fault shape with their status', () => {
    expect(nova(new NotFound('Instance x could not be found.'))).toEqual({ itemNotFound: { code: 404, message: 'Instance x could not be found.' } });
    expect(nova(new BadRequest('Invalid flavorRef provided.'))).toEqual({ badRequest: { code: 400, message: 'Invalid flavorRef provided.' } });
    expect(nova(new Forbidden('Policy does not allow it.'))).toEqual({ forbidden: { code: 403, message: 'Policy does not allow it.' } });
    expect(nova(new InstanceInvalidState('busy'))).toEqual({ conflictingRequest: { code: 409, message: 'busy' } });
    expect(nova(new Conflict('taken'))).toEqual({ conflictingRequest: { code: 409, message: 'taken' } });
    expect(nova(new Unauthorized('who?'))).toEqual({ unauthorized: { code: 401, message: 'who?' } });
  });

  it('keeps the 403 or 413 a quota failure carries, as overLimit for 413', () => {
    expect(nova(new QuotaExceeded('Quota exceeded for instances', 403))).toEqual({ forbidden: { code: 403, message: 'Quota exceeded for instances' } });
    expect(nova(new QuotaExceeded('Quota exceeded for metadata', 413))).toEqual({ overLimit: { code: 413, message: 'Quota exceeded for metadata' } });
  });

  it('answers Keystone\'s shape on identity and never leaks an unexpected error\'s message', () => {
    expect(errorBody('keystone', toHttpFailure(new Unauthorized('The request you have made requires authentication.'))))
      .toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    const internal = toHttpFailure(new TypeError('cannot read x of undefined at /srv/secret/path.ts'));
    expect(internal.status).toBe(500);
    expect(internal.message).not.toContain('secret');
    expect(nova(new NoValidHost('No valid host was found.'))).toEqual({ computeFault: { code: 500, message: 'NoValidHost: No valid host was found.' } });
  });

  it('turns fastify\'s client errors (bad JSON, schema) into a 400, never a 500', () => {
    expect(toHttpFailure({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'Body is not valid JSON' }).status).toBe(400);
    expect(toHttpFailure({ statusCode: 400, validation: [{}], message: 'body/server must have required property name' })).toEqual({
      status: 400, message: 'Invalid input for field/attribute. body/server must have required property name',
    });
    expect(toHttpFailure({ statusCode: 413, message: 'Request body is too large' }).status).toBe(413);
  });
});
