// Generated art for avatars and gallery items that have no image to show here (the Storage
// emulator cannot run, nothing was uploaded yet, or the image failed to load): a gradient
// and shapes derived from a seed, with initials for avatars. Never a broken image.
import type { ReactNode } from "react";

export function hueOf(seed: string): number {
  let hash = 2166136261;
  for (const char of seed) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return Math.abs(hash) % 360;
}

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => Array.from(word ?? "")[0]?.toUpperCase() ?? "").join("") || "?";
}

export function AvatarArt({ seed, name }: { seed: string; name: string }): ReactNode {
  const hue = hueOf(seed);
  const id = `avatar-${hue}-${seed.length}`;
  return (
    <svg className="placeholder-art" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor={`hsl(${hue} 65% 55%)`} />
          <stop offset="1" stopColor={`hsl(${(hue + 60) % 360} 70% 32%)`} />
        </linearGradient>
      </defs>
      <rect width="100" height="100" fill={`url(#${id})`} />
      <text
        x="50"
        y="50"
        dy="0.35em"
        textAnchor="middle"
        fontSize="38"
        fontWeight="700"
        fill="#fff"
        fontFamily="system-ui, sans-serif"
      >
        {initialsOf(name)}
      </text>
    </svg>
  );
}

export function SceneArt({ seed }: { seed: string }): ReactNode {
  const hue = hueOf(seed);
  const id = `scene-${hue}-${seed.length}`;
  const stars = Array.from({ length: 14 }, (_, index) => ({
    x: (hueOf(`${seed}x${index}`) / 360) * 160,
    y: (hueOf(`${seed}y${index}`) / 360) * 80,
    r: 0.6 + (index % 3) * 0.5,
  }));
  return (
    <svg className="placeholder-art art" viewBox="0 0 160 120" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor={`hsl(${hue} 60% 50%)`} />
          <stop offset="1" stopColor={`hsl(${(hue + 70) % 360} 65% 22%)`} />
        </linearGradient>
      </defs>
      <rect width="160" height="120" fill={`url(#${id})`} />
      {stars.map((star, index) => (
        <circle key={index} cx={star.x} cy={star.y} r={star.r} fill="#fff" opacity="0.8" />
      ))}
      <circle cx="104" cy="48" r="20" fill={`hsl(${(hue + 180) % 360} 80% 82%)`} opacity="0.9" />
      <path
        d="M0 96 Q 48 74 88 92 T 160 86 V 120 H 0 Z"
        fill={`hsl(${hue} 40% 14%)`}
        opacity="0.95"
      />
    </svg>
  );
}
