export { createHttpServer, type HttpDeps, type HttpOptions } from './httpServer.js';
