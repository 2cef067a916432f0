import type { ReactNode } from "react";

type Tone = "info" | "error" | "ok" | "premium";

/** A message box; errors are announced to screen readers as they appear. */
export function Notice({
  tone = "info",
  children,
}: {
  tone?: Tone;
  children: ReactNode;
}): ReactNode {
  return (
    <div className={`notice ${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function Spinner({ label = "Loading" }: { label?: string }): ReactNode {
  return (
    <span className="row muted" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </span>
  );
}
