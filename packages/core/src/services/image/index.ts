export * from './builtin-image-service.js';
export * from './image-access.js';
export * from './image-data-store.js';
export * from './image-input-validation.js';
