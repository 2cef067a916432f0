// Calling a callable function by its contract name, with its contract types.
import { httpsCallable } from "firebase/functions";
import type {
  CallableInput,
  CallableName,
  CallableOutput,
} from "../../functions/src/contract/index.js";
import type { AiChatClient } from "./connect.js";
import { toAppError } from "./errors.js";

/**
 * Calls `name` with `input` and returns what it answers. Failures are thrown as AppError
 * (`code` is the callable's `details.reason`).
 */
export async function call<N extends CallableName>(
  client: AiChatClient,
  name: N,
  input: CallableInput<N>,
): Promise<CallableOutput<N>> {
  try {
    const result = await httpsCallable<CallableInput<N>, CallableOutput<N>>(
      client.functions,
      name,
    )(input);
    return result.data;
  } catch (error) {
    throw toAppError(error);
  }
}
