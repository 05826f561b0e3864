"use client";

import Link from "next/link";
import { Fragment, type ReactNode } from "react";
import { tagHref } from "@/api/posts";
import { cn } from "@/lib/cn";

export interface MentionRef {
  handle: string;
  display_name?: string;
}

// The server's rule (posts/services/mentions.py): `@` not glued to a word, path or `@`, then a
// handle of 3 to 30 letters, digits or underscores that ends there.
const MENTION = /(?<![A-Za-z0-9_@./])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_@])/g;

/**
 * Text with `@handle` linked to the profile, but only for people the server resolved and the
 * viewer may see (`mentions`); any other `@word` stays plain text.
 */
export function RichText({
  text,
  mentions = [],
  className,
  testId,
}: {
  text: string;
  mentions?: MentionRef[];
  className?: string;
  testId?: string;
}) {
  const known = new Map(mentions.map((m) => [m.handle.toLowerCase(), m]));
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const person = known.get(match[1].toLowerCase());
    if (!person || match.index === undefined) continue;
    parts.push(text.slice(last, match.index));
    parts.push(
      <Link
        key={match.index}
        href={`/u/${person.handle}`}
        className="font-medium text-orange-600 hover:underline"
        data-testid="mention-link"
        title={person.display_name || undefined}
      >
        @{match[1]}
      </Link>,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <p className={cn("whitespace-pre-line", className)} data-testid={testId}>
      {parts.map((part, i) => (
        <Fragment key={i}>{part}</Fragment>
      ))}
    </p>
  );
}

/** A post's tags as links to each tag's page. */
export function TagLinks({ tags, className }: { tags: string[]; className?: string }) {
  if (tags.length === 0) return null;
  return (
    <div className={cn("flex flex-wrap gap-1", className)}>
      {tags.map((tag) => (
        <Link
          key={tag}
          href={tagHref(tag)}
          data-testid="tag-link"
          className="rounded-full bg-orange-50 px-2 py-0.5 text-xs text-orange-700 hover:bg-orange-100"
        >
          #{tag}
        </Link>
      ))}
    </div>
  );
}
