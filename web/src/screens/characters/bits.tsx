// Small pieces the character screens share.
import type { ReactNode } from "react";

export function PremiumBadge(): ReactNode {
  return <span className="badge premium">★ Premium</span>;
}

export function Stars({ value, count }: { value: number; count: number }): ReactNode {
  if (count === 0) return <span className="small muted">No ratings yet</span>;
  const rounded = Math.round(value);
  return (
    <span className="small">
      <span className="stars" aria-hidden="true">
        {"★".repeat(rounded)}
        {"☆".repeat(5 - rounded)}
      </span>{" "}
      <span className="muted">
        {value.toFixed(1)} ({count} {count === 1 ? "rating" : "ratings"})
      </span>
      <span className="visually-hidden">
        Rated {value.toFixed(1)} of 5 by {count}
      </span>
    </span>
  );
}

/** `angry_hostility` -> `Angry hostility`. */
export function traitLabel(trait: string): string {
  const words = trait.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
