// The one error this folder throws. Import and export deal with files people bring from other
// apps, so every refusal carries a reason written for that person, naming the card field when
// one is at fault.

export class CardError extends Error {
  /** A sentence for the person importing the card. */
  readonly reason: string;
  /** The card field at fault, in the card's own spelling (e.g. `character_book.entries[3].content`). */
  readonly field: string | undefined;

  constructor(reason: string, field?: string) {
    super(reason);
    this.name = "CardError";
    this.reason = reason;
    this.field = field;
  }
}

/** A refusal about one field; the reason starts with the field's name. */
export function fieldError(field: string, problem: string): CardError {
  return new CardError(`${field}: ${problem}`, field);
}

/** Runs `work`; a CardError it throws gets `context` in front of its reason. */
export function withContext<T>(context: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CardError) throw new CardError(`${context}: ${error.reason}`, error.field);
    throw error;
  }
}
