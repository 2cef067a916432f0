// Counts the Firestore document reads and writes the Admin SDK performs in this process, by
// wrapping the SDK's read and write entry points. For benchmarks only.
import {
  DocumentReference,
  Query,
  Transaction,
  WriteBatch,
} from "../functions/node_modules/@google-cloud/firestore/build/src/index.js";

/**
 * `reads` and `writes` are document reads and writes the SDK calls made (gets, queries,
 * transaction reads; every set/update/create/delete). `listenerReads` are the snapshots
 * listeners received, one per document delivered: Firestore bills them as reads too.
 */
export const counts = { reads: 0, writes: 0, listenerReads: 0 };

/** With BENCH_TRACE=1, what each counted operation touched ("read users/u1", ...). */
export const trace: string[] = [];
const tracing = process.env.BENCH_TRACE === "1";

function note(kind: string, target: unknown): void {
  if (!tracing) return;
  const path =
    target && typeof target === "object" && "path" in target ? String(target.path) : "a query";
  trace.push(`${kind} ${path}`);
}

export function resetCounts(): void {
  counts.reads = 0;
  counts.writes = 0;
  counts.listenerReads = 0;
  trace.length = 0;
}

let installed = false;

type AnyFunction = (...args: unknown[]) => unknown;

function wrap(
  prototype: object,
  method: string,
  onCall: (this: unknown, args: unknown[], result: unknown) => void,
): void {
  const original: unknown = Reflect.get(prototype, method);
  if (typeof original !== "function") throw new Error(`cannot wrap ${method}`);
  const fn = original as AnyFunction;
  Reflect.set(prototype, method, function (this: unknown, ...args: unknown[]) {
    const result = fn.apply(this, args);
    onCall.call(this, args, result);
    return result;
  });
}

function countReadResult(result: unknown): void {
  if (result instanceof Promise) {
    void result.then(
      (value: unknown) => {
        if (value && typeof value === "object" && "docs" in value && Array.isArray(value.docs))
          counts.reads += Math.max(1, value.docs.length);
        else counts.reads += 1;
      },
      () => undefined,
    );
  }
}

export function installCounters(): void {
  if (installed) return;
  installed = true;
  wrap(DocumentReference.prototype, "get", function (this: unknown, _args, result) {
    note("read", this);
    countReadResult(result);
  });
  wrap(Query.prototype, "get", (_args, result) => {
    note("query", null);
    countReadResult(result);
  });
  // A transaction read goes through Transaction.get (documents or queries).
  wrap(Transaction.prototype, "get", (args, result) => {
    note("tx read", args[0]);
    countReadResult(result);
  });
  // Every write (DocumentReference.set/update/create/delete, and each write of a
  // transaction) goes through a WriteBatch, so counting there counts each write once.
  for (const method of ["set", "update", "create", "delete"]) {
    wrap(WriteBatch.prototype, method, (args) => {
      note(method, args[0]);
      counts.writes += 1;
    });
  }
  // A document listener: one read per snapshot it receives.
  const onSnapshot: unknown = Reflect.get(DocumentReference.prototype, "onSnapshot");
  if (typeof onSnapshot !== "function") throw new Error("cannot wrap onSnapshot");
  const listen = onSnapshot as AnyFunction;
  Reflect.set(
    DocumentReference.prototype,
    "onSnapshot",
    function (this: unknown, ...args: unknown[]) {
      const [onNext, ...rest] = args;
      if (typeof onNext !== "function") return listen.apply(this, args);
      const next = onNext as AnyFunction;
      return listen.apply(this, [
        (...snapshot: unknown[]) => {
          counts.listenerReads += 1;
          return next(...snapshot);
        },
        ...rest,
      ]);
    },
  );
}
