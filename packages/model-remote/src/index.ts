export * from './protocol.js';
export * from './http-client.js';
export * from './remote-model-adapter.js';
export * from './server.js';
export * from './served-model.js';
export * from './loader.js';
