// Handler modules loaded on first call. Every deployed function runs the same entry point
// (index.ts), so whatever it imports at load, every cold start of every function pays for:
// the tokenizer, openai, stripe, sharp... index.ts therefore declares the functions (what
// deploy-time discovery reads: triggers, options, secrets, params) and reaches each handler
// through lazyModule, which imports the handler's module the first time that function runs.
// A function then loads only its own handler's modules.

type AnyFunction = (...args: never[]) => unknown;

/** The functions a module exports, each one importing the module when first called. */
export type LazyHandlers<M> = {
  readonly [K in keyof M as M[K] extends AnyFunction ? K : never]: M[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * `lazyModule(() => import("./feature/module")).handlerName` is a function with the handler's
 * parameters that imports the module on its first call (once; a failed import is tried again
 * on the next call) and then calls the handler.
 */
export function lazyModule<M extends object>(load: () => Promise<M>): LazyHandlers<M> {
  let loading: Promise<M> | null = null;
  const loaded = (): Promise<M> => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
  const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const handlerNamed = (name: string) => {
    const handler = async (...args: unknown[]): Promise<unknown> => {
      const module = await loaded();
      // import() of a CommonJS file names its exports as Node's static scan finds them; the
      // `default` export (module.exports itself) has them all whatever the scan saw.
      let target: unknown = Reflect.get(module, name);
      if (typeof target !== "function" && "default" in module) {
        const commonJs: unknown = module.default;
        if (typeof commonJs === "object" && commonJs !== null) target = Reflect.get(commonJs, name);
      }
      if (typeof target !== "function") throw new Error(`the module exports no function ${name}`);
      const result: unknown = await Reflect.apply(target, undefined, args);
      return result;
    };
    Object.defineProperty(handler, "name", { value: name });
    return handler;
  };
  const target: LazyHandlers<M> = Object.create(null) as LazyHandlers<M>;
  return new Proxy(target, {
    get(_, name) {
      // Not a thenable: `await lazyModule(...)` must not call a handler named "then".
      if (typeof name !== "string" || name === "then") return undefined;
      let handler = handlers.get(name);
      if (!handler) {
        handler = handlerNamed(name);
        handlers.set(name, handler);
      }
      return handler;
    },
  });
}
