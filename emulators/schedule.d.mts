// Types of schedule.mjs, for the tests that run scheduled functions through it.
export interface ScheduledFunction {
  name: string;
  deployed: string;
  localSeconds: number;
}
export declare const SCHEDULED: readonly ScheduledFunction[];
export declare function fireScheduled(target: {
  origin: string;
  projectId: string;
  name: string;
}): Promise<void>;
export declare function startLocalSchedule(options: {
  origin: string;
  projectId: string;
  log?: (line: string) => void;
}): () => void;
