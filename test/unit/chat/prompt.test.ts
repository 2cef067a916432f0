import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../functions/src/chat/core/chat-message";
import { messageText } from "../../../functions/src/chat/core/chat-message";
import {
  assemblePrompt,
  PromptBudgetError,
  type ContextTurn,
  type Degradation,
  type PromptInput,
} from "../../../functions/src/chat/core/prompt";
import {
  countMessageTokens,
  countOneMessage,
  countTextTokens,
} from "../../../functions/src/chat/core/tokens";
import { ai, conversation, entry, profile, seededRandom, sentence } from "./character-fixture";

function input(overrides: Partial<PromptInput> = {}): PromptInput {
  return {
    profile: profile(),
    ai: ai(),
    userName: "Sam",
    summary: "",
    recentTurns: [],
    newMessage: { role: "user", text: "Good evening! Is the lamp lit yet?" },
    model: "gpt-4o-mini",
    ...overrides,
  };
}

/** The text of the message at `index` ("" when there is none); negative counts from the end. */
function textAt(messages: readonly ChatMessage[], index: number): string {
  const message = messages.at(index);
  return message ? messageText(message) : "";
}

/** Turn indices ("#12") of the history messages, in the order they appear. */
function turnIndices(messages: ChatMessage[]): number[] {
  return messages
    .map((message) => /^#(\d+) /.exec(messageText(message)))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]));
}

const DEGRADATION_ORDER: Degradation[] = [
  "example_dialogue_dropped",
  "summary_dropped",
  "knowledge_shortened",
  "new_message_truncated",
  "image_dropped",
  "post_history_dropped",
  "character_trimmed",
];

describe("assemblePrompt: budget", () => {
  it("keeps a 2000-message conversation within the budget, newest turns included, in order", () => {
    const turns = conversation(2000);
    const result = assemblePrompt(
      input({ recentTurns: turns, ai: ai({ contextWindow: 8192, maxTokens: 400 }) }),
    );

    expect(result.budget).toBe(8192 - 400);
    expect(result.promptTokens).toBeLessThanOrEqual(result.budget);
    expect(result.promptTokens).toBe(countMessageTokens(result.messages, "gpt-4o-mini"));
    expect(result.includedTurnCount).toBeGreaterThan(10);
    expect(result.includedTurnCount + result.droppedTurnCount).toBe(2000);

    const indices = turnIndices(result.messages);
    expect(indices).toHaveLength(result.includedTurnCount);
    // Exactly the newest turns, oldest of them first, with no gap.
    expect(indices).toEqual(
      Array.from(
        { length: result.includedTurnCount },
        (_, i) => 2000 - result.includedTurnCount + i,
      ),
    );
    // The budget is used well: the next older turn would not have fitted.
    const nextOlder = turns[2000 - result.includedTurnCount - 1];
    expect(nextOlder).toBeDefined();
    const nextCost = nextOlder
      ? countOneMessage({ role: nextOlder.role, content: nextOlder.text }, "gpt-4o-mini")
      : 0;
    expect(result.promptTokens + nextCost).toBeGreaterThan(result.budget);
  });

  it("never exceeds the budget for random budgets, histories and characters", () => {
    const random = seededRandom(20240607);
    let degradedRuns = 0;
    let truncatedHistories = 0;
    for (let run = 0; run < 60; run++) {
      const contextWindow = 1024 + Math.floor(random() * 15_000);
      const maxTokens = 16 + Math.floor(random() * 584);
      const turns = conversation(
        Math.floor(random() * 400),
        random,
        1 + Math.floor(random() * 120),
      );
      const knowledgeBase = Array.from({ length: Math.floor(random() * 6) }, (_, i) =>
        entry({
          id: `k${i}`,
          keys: ["lamp"],
          content: sentence(random, 5 + Math.floor(random() * 300)),
          priority: Math.floor(random() * 100),
        }),
      );
      const model = random() < 0.5 ? "gpt-4o" : "gpt-3.5-turbo";
      const result = assemblePrompt(
        input({
          profile: profile({
            exampleDialogue: sentence(random, Math.floor(random() * 800)),
            description: sentence(random, Math.floor(random() * 1200)),
          }),
          ai: ai({
            contextWindow,
            maxTokens,
            knowledgeBase,
            knowledgeBudgetTokens: Math.floor(random() * 2000),
            postHistoryInstructions: random() < 0.5 ? "Keep replies under 80 words." : "",
          }),
          summary: sentence(random, Math.floor(random() * 600)),
          recentTurns: turns,
          newMessage: {
            role: "user",
            text: `lamp ${sentence(random, 1 + Math.floor(random() * 2500))}`,
          },
          model,
        }),
      );
      expect(result.budget).toBe(contextWindow - maxTokens);
      expect(result.promptTokens).toBeLessThanOrEqual(result.budget);
      expect(result.promptTokens).toBe(countMessageTokens(result.messages, model));
      const indices = turnIndices(result.messages);
      expect(indices).toEqual(
        Array.from(
          { length: result.includedTurnCount },
          (_, i) => turns.length - result.includedTurnCount + i,
        ),
      );
      expect(result.messages[0]?.role).toBe("system");
      expect(result.messages[result.messages.length - 1]?.role).toBe("user");
      const applied = result.degradations;
      expect(DEGRADATION_ORDER.filter((step) => applied.includes(step))).toEqual(applied);
      if (applied.length > 0) degradedRuns++;
      if (result.droppedTurnCount > 0) truncatedHistories++;
    }
    // The runs cover both tight and roomy budgets.
    expect(degradedRuns).toBeGreaterThan(5);
    expect(truncatedHistories).toBeGreaterThan(5);
    expect(truncatedHistories).toBeLessThan(60);
  });

  it("includes the whole history when it fits, unchanged and in order", () => {
    const turns = conversation(30);
    const result = assemblePrompt(input({ recentTurns: turns, ai: ai({ contextWindow: 32_000 }) }));
    expect(result.includedTurnCount).toBe(30);
    expect(result.droppedTurnCount).toBe(0);
    const history = result.messages.filter((message) => /^#\d+ /.test(messageText(message)));
    expect(history.map((message) => ({ role: message.role, text: messageText(message) }))).toEqual(
      turns.map((turn) => ({ role: turn.role, text: turn.text })),
    );
    expect(result.degradations).toEqual([]);
  });

  it("counts its tokens over exactly the messages it returns", () => {
    const result = assemblePrompt(input({ recentTurns: conversation(50), summary: "They met." }));
    expect(result.promptTokens).toBe(countMessageTokens(result.messages, "gpt-4o-mini"));
  });

  it("uses the model's own window when the character claims a larger one", () => {
    const result = assemblePrompt(
      input({ model: "gpt-4", ai: ai({ contextWindow: 100_000, maxTokens: 500 }) }),
    );
    expect(result.budget).toBe(8_192 - 500);
  });

  it("throws rather than return an over-budget prompt when nothing can fit", () => {
    expect(() =>
      assemblePrompt(input({ ai: ai({ contextWindow: 1024, maxTokens: 1000 }) })),
    ).toThrow(PromptBudgetError);
  });
});

describe("assemblePrompt: structure", () => {
  it("starts with one real system message that describes the character", () => {
    const result = assemblePrompt(input({ recentTurns: conversation(4) }));
    const [first, ...rest] = result.messages;
    expect(first?.role).toBe("system");
    const system = first ? messageText(first) : "";
    expect(system).toContain("You are Mira");
    expect(system).toContain("Sam");
    expect(system).toContain("lighthouse keeper");
    expect(system).toContain("Patient, curious");
    // Traits come with their descriptions, levels as plain words.
    expect(system).toContain("warm, affectionate and friendly");
    expect(system).toContain("intellectually curious");
    expect(system).toContain("very formal");
    expect(system).toContain("rarely jokes");
    expect(system).toContain("Tone: warm");
    // Scenario placeholders are filled in.
    expect(system).toContain("Sam has just arrived");
    expect(system).not.toMatch(/\{\{/);
    expect(system).toMatch(/stay in character/i);
    // No other message repeats the character definition.
    expect(rest.some((message) => messageText(message).includes("lighthouse keeper"))).toBe(false);
  });

  it("orders persona, knowledge, summary, turns, post-history instructions, new message", () => {
    const result = assemblePrompt(
      input({
        ai: ai({
          knowledgeBase: [
            entry({ id: "lamp", keys: ["lamp"], content: "The lamp burns whale oil." }),
          ],
          postHistoryInstructions: "Answer {{user}} in under 60 words.",
        }),
        summary: "Sam arrived last week and fixed the fog horn.",
        recentTurns: conversation(3),
      }),
    );
    const kinds = result.messages.map((message) => {
      const text = messageText(message);
      if (text.includes("You are Mira")) return "persona";
      if (text.includes("whale oil")) return "knowledge";
      if (text.includes("fog horn")) return "summary";
      if (/^#\d+ /.test(text)) return "turn";
      if (text.includes("under 60 words")) return "post-history";
      if (text.includes("Is the lamp lit")) return "new";
      return "other";
    });
    expect(kinds).toEqual([
      "persona",
      "knowledge",
      "summary",
      "turn",
      "turn",
      "turn",
      "post-history",
      "new",
    ]);
    const roles = result.messages.map((message) => message.role);
    expect(roles.slice(0, 3)).toEqual(["system", "system", "system"]);
    expect(roles.slice(-2)).toEqual(["system", "user"]);
    expect(textAt(result.messages, 6)).toBe("Answer Sam in under 60 words.");
  });

  it("leaves out the summary message when there is no summary", () => {
    const result = assemblePrompt(input({ summary: "   " }));
    expect(result.messages).toHaveLength(2);
  });

  it("replaces the generated persona with the override, placeholders filled", () => {
    const result = assemblePrompt(
      input({
        ai: ai({
          systemPromptOverride: "You play {{char}}, a pirate captain. {{User}} is your first mate.",
        }),
      }),
    );
    const system = textAt(result.messages, 0);
    expect(system).toContain("You play Mira, a pirate captain. Sam is your first mate.");
    expect(system).not.toContain("lighthouse keeper");
    expect(system).not.toMatch(/\{\{/);
    // Rules still apply under an override.
    expect(system).toMatch(/stay in character/i);
  });

  it("turns restricted topics into explicit refusal guidance", () => {
    const result = assemblePrompt(
      input({
        ai: ai({ restrictedTopics: ["politics", "medical advice"] }),
        restrictedTopicsNotice: "Mira only talks about island life.",
      }),
    );
    const system = textAt(result.messages, 0);
    expect(system).toContain("politics");
    expect(system).toContain("medical advice");
    expect(system).toMatch(/decline/i);
    expect(system).toContain("Mira only talks about island life.");
  });

  it("includes the example dialogue when it fits", () => {
    const result = assemblePrompt(
      input({ profile: profile({ exampleDialogue: "{{char}}: Tea, {{user}}?" }) }),
    );
    expect(textAt(result.messages, 0)).toContain("Mira: Tea, Sam?");
  });

  it("notes images in the history without re-sending them", () => {
    const turns: ContextTurn[] = [
      { role: "user", text: "#0 look at this", imageUrl: "https://img/x.png" },
    ];
    const result = assemblePrompt(input({ recentTurns: turns, model: "gpt-4o" }));
    const history = result.messages.find((message) => messageText(message).startsWith("#0"));
    expect(typeof history?.content).toBe("string");
    expect(history ? messageText(history) : "").toMatch(/shared an image/);
  });
});

describe("assemblePrompt: images on the new message", () => {
  const withImage = (model: string) =>
    assemblePrompt(
      input({
        model,
        newMessage: {
          role: "user",
          text: "What do you think of my boat?",
          imageUrl: "https://img/boat.jpg",
        },
      }),
    );
  const withoutImage = (model: string) =>
    assemblePrompt(
      input({ model, newMessage: { role: "user", text: "What do you think of my boat?" } }),
    );

  it("sends text and image parts to a vision model and counts the image", () => {
    const result = withImage("gpt-4o");
    const last = result.messages[result.messages.length - 1];
    expect(last).toEqual({
      role: "user",
      content: [
        { type: "text", text: "What do you think of my boat?" },
        { type: "image_url", image_url: { url: "https://img/boat.jpg", detail: "low" } },
      ],
    });
    // A low-detail image costs 85 tokens on gpt-4o, 2,833 on gpt-4o-mini (OpenAI's docs).
    expect(result.promptTokens - withoutImage("gpt-4o").promptTokens).toBe(85);
    expect(withImage("gpt-4o-mini").promptTokens - withoutImage("gpt-4o-mini").promptTokens).toBe(
      2833,
    );
  });

  it("tells a text-only model that an image it cannot see was sent", () => {
    const result = withImage("gpt-3.5-turbo");
    const last = result.messages[result.messages.length - 1];
    expect(typeof last?.content).toBe("string");
    expect(textAt(result.messages, -1)).toContain("What do you think of my boat?");
    expect(textAt(result.messages, -1)).toMatch(/image, which you cannot see/);
  });

  it("drops the image before going over budget", () => {
    const result = assemblePrompt(
      input({
        model: "gpt-4o-mini",
        ai: ai({ contextWindow: 2_600, maxTokens: 400 }),
        newMessage: { role: "user", text: "Look!", imageUrl: "https://img/boat.jpg" },
      }),
    );
    expect(result.promptTokens).toBeLessThanOrEqual(2_200);
    expect(result.degradations).toContain("image_dropped");
    expect(typeof result.messages[result.messages.length - 1]?.content).toBe("string");
  });
});

describe("assemblePrompt: knowledge", () => {
  const lore = [
    entry({ id: "lamp", keys: ["lamp", "light"], content: "The lamp was first lit in 1871." }),
    entry({ id: "ferry", keys: ["Ferry"], content: "The ferry comes on Tuesdays only." }),
    entry({ id: "cat", keys: ["cat"], content: "Mira's cat is called Barnacle." }),
    entry({ id: "always", keys: [], constant: true, content: "The island has no doctor." }),
    entry({ id: "off", keys: ["lamp"], enabled: false, content: "Disabled lore." }),
  ];
  const run = (text: string, recentTurns: ContextTurn[] = []) =>
    assemblePrompt(
      input({ ai: ai({ knowledgeBase: lore }), newMessage: { role: "user", text }, recentTurns }),
    );

  it("activates entries whose keys appear in the new message, case-insensitively", () => {
    const result = run("When does the FERRY leave? And is the Lamp on?");
    expect(result.activatedKnowledgeIds.sort()).toEqual(["always", "ferry", "lamp"]);
    const knowledge = textAt(result.messages, 1);
    expect(knowledge).toContain("1871");
    expect(knowledge).toContain("Tuesdays");
    expect(knowledge).not.toContain("Disabled lore");
  });

  it("matches whole words only", () => {
    expect(run("Let me concatenate these notes.").activatedKnowledgeIds).toEqual(["always"]);
    expect(run("Where's the cat?").activatedKnowledgeIds).toContain("cat");
  });

  it("scans the last few turns too, but not older ones", () => {
    const old: ContextTurn[] = [
      { role: "user", text: "#0 tell me about the ferry" },
      ...conversation(6).slice(1),
    ];
    expect(run("hello", old).activatedKnowledgeIds).not.toContain("ferry");
    const recent: ContextTurn[] = [
      ...conversation(6),
      { role: "user", text: "#6 the ferry was late" },
    ];
    expect(run("hello", recent).activatedKnowledgeIds).toContain("ferry");
  });

  it("keeps constant entries with no keyword at all", () => {
    expect(run("hello").activatedKnowledgeIds).toEqual(["always"]);
  });

  it("chooses by priority within the knowledge budget and emits in insertion order", () => {
    const fact = (id: string, priority: number, insertionOrder: number) =>
      entry({
        id,
        keys: ["storm"],
        priority,
        insertionOrder,
        content: `${id}: ${"wind and rain ".repeat(20)}`,
      });
    const entries = [fact("low", 1, 1), fact("high", 50, 3), fact("mid", 20, 2)];
    const each = countTextTokens(entries[0]?.content ?? "", "gpt-4o-mini");
    const result = assemblePrompt(
      input({
        ai: ai({ knowledgeBase: entries, knowledgeBudgetTokens: each * 2 + 1 }),
        newMessage: { role: "user", text: "Is a storm coming?" },
      }),
    );
    expect(result.activatedKnowledgeIds).toEqual(["mid", "high"]);
    const knowledge = textAt(result.messages, 1);
    expect(knowledge.indexOf("mid:")).toBeLessThan(knowledge.indexOf("high:"));
    expect(knowledge).not.toContain("low:");
  });

  it("honours a card's own scan depth", () => {
    const turns: ContextTurn[] = [
      { role: "user", text: "#0 the ferry" },
      ...conversation(3).slice(1),
    ];
    const shallow = assemblePrompt(
      input({ ai: ai({ knowledgeBase: lore, lorebook: { scan_depth: 1 } }), recentTurns: turns }),
    );
    const deep = assemblePrompt(
      input({ ai: ai({ knowledgeBase: lore, lorebook: { scan_depth: 10 } }), recentTurns: turns }),
    );
    expect(shallow.activatedKnowledgeIds).not.toContain("ferry");
    expect(deep.activatedKnowledgeIds).toContain("ferry");
  });
});

describe("assemblePrompt: what gives way when the fixed parts do not fit", () => {
  const heavy = (contextWindow: number) =>
    assemblePrompt(
      input({
        model: "gpt-4o",
        profile: profile({
          exampleDialogue: `{{char}}: ${"Storm tales and sea shanties. ".repeat(60)}`,
        }),
        ai: ai({
          contextWindow,
          maxTokens: 100,
          knowledgeBudgetTokens: 4000,
          knowledgeBase: [
            entry({ id: "a", keys: ["lamp"], priority: 5, content: "Oil. ".repeat(150) }),
            entry({ id: "b", keys: ["lamp"], priority: 9, content: "Wick. ".repeat(150) }),
          ],
          postHistoryInstructions: "Keep it short.",
        }),
        summary: "They talked about the harbour. ".repeat(40),
        newMessage: {
          role: "user",
          text: `lamp ${"and the long story goes on ".repeat(120)}THE END`,
        },
      }),
    );
  const full = heavy(100_000);

  it("drops nothing when there is room", () => {
    expect(full.degradations).toEqual([]);
  });

  it("always gives way in the documented order, whatever the budget", () => {
    // Everything but the image step applies to this character and message.
    const applicable = DEGRADATION_ORDER.filter((step) => step !== "image_dropped");
    let seen = 0;
    for (let budget = full.promptTokens; budget > 250; budget -= 37) {
      const result = heavy(budget + 100);
      expect(result.promptTokens).toBeLessThanOrEqual(budget);
      expect(result.degradations).toEqual(applicable.slice(0, result.degradations.length));
      // Smaller budgets never give back something a larger one took away.
      expect(result.degradations.length).toBeGreaterThanOrEqual(seen);
      seen = result.degradations.length;
    }
    expect(seen).toBeGreaterThanOrEqual(4);
  });

  it("drops the example dialogue first", () => {
    const result = heavy(full.promptTokens - 10 + 100);
    expect(result.degradations).toEqual(["example_dialogue_dropped"]);
    const system = textAt(result.messages, 0);
    expect(system).not.toContain("sea shanties");
    expect(result.messages.some((message) => messageText(message).includes("harbour"))).toBe(true);
  });

  it("keeps the newest part of a truncated message", () => {
    const result = heavy(600);
    expect(result.degradations).toContain("new_message_truncated");
    const last = textAt(result.messages, -1);
    expect(last.startsWith("…")).toBe(true);
    expect(last.endsWith("THE END")).toBe(true);
    expect(result.activatedKnowledgeIds).toEqual([]);
  });
});
