export * from './flow.js';
export * from './traffic.js';
export * from './vectors.js';
export * from './alert.js';
export * from './events.js';
