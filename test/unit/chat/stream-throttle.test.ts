import { describe, expect, it } from "vitest";
import { StreamWriteThrottle } from "../../../functions/src/chat/core/stream-throttle";

describe("StreamWriteThrottle", () => {
  it("writes the first text at once", () => {
    const throttle = new StreamWriteThrottle();
    expect(throttle.shouldWrite("", 0)).toBe(false);
    expect(throttle.shouldWrite("H", 5)).toBe(true);
  });

  it("writes at most once per interval, and only changed text", () => {
    const throttle = new StreamWriteThrottle(1000);
    expect(throttle.shouldWrite("Hel", 0)).toBe(true);
    expect(throttle.shouldWrite("Hello", 999)).toBe(false);
    expect(throttle.shouldWrite("Hello", 1000)).toBe(true);
    expect(throttle.shouldWrite("Hello", 5000)).toBe(false);
    expect(throttle.shouldWrite("Hello there", 5000)).toBe(true);
  });

  it("always makes the final write", () => {
    const throttle = new StreamWriteThrottle(1000);
    throttle.shouldWrite("Hi", 0);
    expect(throttle.finalWrite("Hi there", 10)).toBe(true);
    expect(throttle.finalWrite("Hi there", 11)).toBe(true);
  });

  it("says how long until the next write and whether text is waiting", () => {
    const throttle = new StreamWriteThrottle(1000);
    expect(throttle.msUntilNextWrite(0)).toBe(0);
    throttle.shouldWrite("a", 100);
    expect(throttle.msUntilNextWrite(400)).toBe(700);
    expect(throttle.msUntilNextWrite(2000)).toBe(0);
    expect(throttle.hasUnwritten("a")).toBe(false);
    expect(throttle.hasUnwritten("ab")).toBe(true);
  });

  it("keeps a fast 6-second stream to about one write per second", () => {
    const throttle = new StreamWriteThrottle();
    const writes: number[] = [];
    let text = "";
    for (let now = 0; now < 6000; now += 40) {
      text += "word ";
      if (throttle.shouldWrite(text, now)) writes.push(now);
    }
    writes.push(6000); // the final write
    expect(writes[0]).toBe(0);
    expect(writes.length).toBeLessThanOrEqual(7);
    expect(writes.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < writes.length - 1; i++) {
      expect((writes[i] ?? 0) - (writes[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
    }
  });
});
