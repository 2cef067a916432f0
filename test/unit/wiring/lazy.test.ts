// lazyModule: a handler's module is imported on the first call, once, and the call goes
// through to the handler with its arguments and result.
import { describe, expect, it } from "vitest";
import { lazyModule } from "../../../functions/src/shared/lazy";

function countingLoader() {
  const loads = { count: 0 };
  const module = {
    greet: (name: string, punctuation = "!") => `hello ${name}${punctuation}`,
    later: async (ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    },
    notAFunction: 42,
  };
  const load = async () => {
    loads.count++;
    await Promise.resolve();
    return module;
  };
  return { loads, load };
}

describe("lazyModule", () => {
  it("imports nothing until a handler is called, then imports once", async () => {
    const { loads, load } = countingLoader();
    const handlers = lazyModule(load);
    const greet = handlers.greet;
    expect(loads.count).toBe(0);
    await expect(Promise.all([greet("a"), greet("b", "?"), handlers.later(1)])).resolves.toEqual([
      "hello a!",
      "hello b?",
      1,
    ]);
    await greet("c");
    expect(loads.count).toBe(1);
  });

  it("gives the same function for the same name, named after the handler", () => {
    const handlers = lazyModule(countingLoader().load);
    expect(handlers.greet).toBe(handlers.greet);
    expect(handlers.greet.name).toBe("greet");
  });

  it("tries a failed import again on the next call", async () => {
    let attempts = 0;
    const handlers = lazyModule(() => {
      attempts++;
      return attempts === 1
        ? Promise.reject(new Error("module failed to load"))
        : Promise.resolve({ ping: () => "pong" });
    });
    await expect(handlers.ping()).rejects.toThrow("module failed to load");
    await expect(handlers.ping()).resolves.toBe("pong");
    expect(attempts).toBe(2);
  });

  it("refuses a name that is not a function of the module", async () => {
    const handlers = lazyModule(countingLoader().load) as unknown as Record<
      string,
      () => Promise<unknown>
    >;
    await expect(handlers.notAFunction()).rejects.toThrow("exports no function notAFunction");
  });

  it("finds a CommonJS module's exports under default when the named scan missed them", async () => {
    const handlers = lazyModule(() => Promise.resolve({ default: { hidden: () => "found" } }));
    const hidden = (handlers as unknown as Record<string, () => Promise<unknown>>).hidden;
    await expect(hidden()).resolves.toBe("found");
  });

  it("is not a thenable, so awaiting it does not call a handler", async () => {
    const { loads, load } = countingLoader();
    const handlers = lazyModule(load);
    expect(await Promise.resolve(handlers)).toBe(handlers);
    expect(loads.count).toBe(0);
  });
});
