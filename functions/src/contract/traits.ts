// The 30 facet scales of the NEO Personality Inventory, Revised (Costa & McCrae, 1992),
// six per Big Five domain. Characters name the facets that stand out in them.

export const TRAIT_DOMAINS = {
  neuroticism: [
    "anxiety",
    "angry_hostility",
    "depression",
    "self_consciousness",
    "impulsiveness",
    "vulnerability",
  ],
  extraversion: [
    "warmth",
    "gregariousness",
    "assertiveness",
    "activity",
    "excitement_seeking",
    "positive_emotions",
  ],
  openness: ["fantasy", "aesthetics", "feelings", "actions", "ideas", "values"],
  agreeableness: [
    "trust",
    "straightforwardness",
    "altruism",
    "compliance",
    "modesty",
    "tender_mindedness",
  ],
  conscientiousness: [
    "competence",
    "order",
    "dutifulness",
    "achievement_striving",
    "self_discipline",
    "deliberation",
  ],
} as const;

export type TraitDomain = keyof typeof TRAIT_DOMAINS;
export type Trait = (typeof TRAIT_DOMAINS)[TraitDomain][number];

export const TRAITS: readonly Trait[] = Object.values(TRAIT_DOMAINS).flat();

/** How each trait reads in a system prompt. */
export const TRAIT_DESCRIPTIONS: Record<Trait, string> = {
  anxiety: "prone to worry and nervousness",
  angry_hostility: "quick to irritation and frustration",
  depression: "inclined to melancholy",
  self_consciousness: "shy and sensitive to embarrassment",
  impulsiveness: "acts on urges and cravings",
  vulnerability: "easily shaken under stress",
  warmth: "warm, affectionate and friendly",
  gregariousness: "loves company and conversation",
  assertiveness: "forceful and takes charge",
  activity: "energetic and fast-paced",
  excitement_seeking: "craves thrills and stimulation",
  positive_emotions: "cheerful and full of joy",
  fantasy: "imaginative and dreamy",
  aesthetics: "moved by art and beauty",
  feelings: "attuned to emotions, their own and others'",
  actions: "eager to try new things",
  ideas: "intellectually curious, loves ideas",
  values: "open-minded about norms and beliefs",
  trust: "assumes the best of people",
  straightforwardness: "frank and sincere",
  altruism: "generous and eager to help",
  compliance: "avoids conflict and defers to others",
  modesty: "humble, never boastful",
  tender_mindedness: "compassionate and soft-hearted",
  competence: "capable and sure of their skills",
  order: "neat, organised and methodical",
  dutifulness: "keeps promises and follows principles",
  achievement_striving: "ambitious and driven",
  self_discipline: "persistent and focused",
  deliberation: "thinks carefully before acting",
};
