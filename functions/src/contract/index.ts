// The contract between the functions and the apps: document schemas, paths, callables and
// error codes. Pure: zod only, so apps bundle it (the client library re-exports it).
export * from "./ai.js";
export * from "./callables.js";
export * from "./characters.js";
export * from "./chat.js";
export * from "./common.js";
export * from "./config.js";
export * from "./errors.js";
export * from "./follows.js";
export * from "./identity.js";
export * from "./media.js";
export * from "./notifications.js";
export * from "./presence.js";
export * from "./paths.js";
export * from "./payments.js";
export * from "./search.js";
export * from "./pipeline.js";
export * from "./timestamp.js";
export * from "./traits.js";
export * from "./usage.js";
