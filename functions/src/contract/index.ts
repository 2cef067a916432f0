// The contract between the functions and the apps: document schemas, paths, callables and
// error codes. Pure: zod only, so apps bundle it (the client library re-exports it).
export * from "./ai";
export * from "./callables";
export * from "./characters";
export * from "./chat";
export * from "./common";
export * from "./config";
export * from "./errors";
export * from "./identity";
export * from "./media";
export * from "./paths";
export * from "./payments";
export * from "./timestamp";
export * from "./traits";
export * from "./usage";
