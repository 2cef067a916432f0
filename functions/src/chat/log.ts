// One turn, one key: every log line about a reply carries its replyId and conversationId, so
// an operator pulls a whole turn from Cloud Logging with one filter
// (jsonPayload.replyId="..."). Errors are logged with their stack.
import * as logger from "firebase-functions/logger";

export interface TurnKeys {
  convId: string;
  messageId: string;
  replyId: string;
}

export interface TurnLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** An error as log fields: its message, its class and its stack. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return {
      error: error.message,
      errorType: error.constructor.name,
      ...(error.stack ? { stack: error.stack } : {}),
      ...("kind" in error && typeof error.kind === "string" ? { kind: error.kind } : {}),
    };
  }
  return { error: String(error) };
}

export function turnLog(keys: TurnKeys): TurnLog {
  const base = {
    replyId: keys.replyId,
    conversationId: keys.convId,
    messageId: keys.messageId,
  };
  return {
    info: (message, fields = {}) => logger.info(message, { ...base, ...fields }),
    warn: (message, fields = {}) => logger.warn(message, { ...base, ...fields }),
    error: (message, fields = {}) => logger.error(message, { ...base, ...fields }),
  };
}
