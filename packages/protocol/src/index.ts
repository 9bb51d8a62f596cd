export * from './models.js';
export * from './limits.js';
export * from './requests.js';
export * from './frames.js';
export * from './error-codes.js';
export * from './change-feed.js';
export * from './reactions.js';
export * from './threads.js';
