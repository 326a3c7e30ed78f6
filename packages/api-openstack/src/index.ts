export * from './endpoints.js';
export { createApp, requestContext, sendError, type CreateAppOptions, type NuboRouteConfig } from './http/create-app.js';
export { errorBody, toHttpFailure, type ErrorDialect } from './http/error-shape.js';
export * from './http/json-schema.js';
export * from './compute/route-deps.js';
export * from './compute/microversion.js';
export { createComputeApp, type ComputeAppOptions } from './compute/compute-app.js';
