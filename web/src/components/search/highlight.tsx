"use client";

import { Fragment } from "react";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };

function unescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_m, e: string) => ENTITIES[e] ?? _m);
}

/**
 * The API's `snippet_html` is escaped text with `<mark>` around matches. It is not inserted as
 * HTML: it is split on the mark tags, unescaped, and rendered as text nodes, so nothing the user
 * typed can become markup even if the server's escaping ever failed.
 */
export function Highlighted({ html, className }: { html: string; className?: string }) {
  const parts = html.split(/(<mark>|<\/mark>)/);
  let marked = false;
  const nodes: { text: string; marked: boolean }[] = [];
  for (const part of parts) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) nodes.push({ text: unescape(part.replace(/<[^>]*>/g, "")), marked });
  }
  return (
    <span className={className}>
      {nodes.map((n, i) =>
        n.marked ? (
          <mark key={i} className="rounded bg-orange-100 px-0.5 text-orange-900">{n.text}</mark>
        ) : (
          <Fragment key={i}>{n.text}</Fragment>
        ),
      )}
    </span>
  );
}

/** Marks the API's `highlights` terms inside plain text (titles, names, handles). */
export function MarkTerms({ text, terms }: { text: string; terms: string[] }) {
  const usable = terms.filter((t) => t.trim().length > 0).slice(0, 20);
  if (usable.length === 0) return <>{text}</>;
  const escaped = usable.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(`(${escaped.join("|")})`, "gi");
  const lower = usable.map((t) => t.toLowerCase());
  return (
    <>
      {text.split(re).map((part, i) =>
        lower.includes(part.toLowerCase()) ? (
          <mark key={i} className="rounded bg-orange-100 px-0.5 text-orange-900">{part}</mark>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
