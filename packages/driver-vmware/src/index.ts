export * as vim from './vim/index.js';
