"use client";

import { useCallback, useEffect, useRef } from "react";
import { api } from "@/api/client";
import type { DwellEvent } from "@/api/types";

/**
 * Dwell time of posts and products on screen (≥ 50 % visible), accumulated per item and sent to
 * POST /api/events/ in batches: every 15 s and when the page is hidden. `sendBeacon` cannot carry
 * the Authorization header, so the batch goes through the API client with `keepalive: true`, which
 * survives the page unloading and sends JSON with the header. Being the same client as every other
 * call, an expired access token is refreshed (once, across tabs) and the batch is sent again.
 */
type Kind = DwellEvent["kind"];

const FLUSH_MS = 15_000;
const MAX_BATCH = 50; // the API takes at most 50 events per request
const MAX_DWELL = 3_600_000;

const visibleSince = new Map<string, number>(); // key -> performance.now() when it became visible
const accumulated = new Map<string, number>(); // key -> ms not sent yet
let timer: ReturnType<typeof setInterval> | null = null;
let observer: IntersectionObserver | null = null;
const keyOf = new WeakMap<Element, string>();
const counts = new Map<string, number>(); // key -> mounted elements

function stopClock(key: string, now: number) {
  const since = visibleSince.get(key);
  if (since === undefined) return;
  visibleSince.delete(key);
  accumulated.set(key, (accumulated.get(key) ?? 0) + (now - since));
}

/** Moves the running clocks into `accumulated` (they keep running for items still visible). */
function settle() {
  const now = performance.now();
  for (const key of [...visibleSince.keys()]) {
    stopClock(key, now);
    if (document.visibilityState === "visible") visibleSince.set(key, now);
  }
}

export function flushDwell() {
  settle();
  const events: DwellEvent[] = [];
  for (const [key, ms] of accumulated) {
    if (ms < 300) continue; // a scroll past is not a read
    const [kind, target] = key.split(":") as [Kind, string];
    events.push({ target, kind, dwell_ms: Math.min(MAX_DWELL, Math.round(ms)), type: "dwell" });
    accumulated.delete(key);
  }
  if (events.length === 0) return;
  for (let i = 0; i < events.length; i += MAX_BATCH) {
    // A 4xx (e.g. an item hidden meanwhile) drops the batch: dwell is best-effort.
    void api
      .POST("/api/events/", {
        body: events.slice(i, i + MAX_BATCH),
        keepalive: true,
        credentials: "omit",
      })
      .catch(() => undefined);
  }
}

function onVisibility() {
  if (document.visibilityState === "hidden") {
    flushDwell();
    visibleSince.clear();
  }
}

function ensureStarted() {
  if (observer || typeof window === "undefined") return;
  observer = new IntersectionObserver(
    (entries) => {
      const now = performance.now();
      for (const e of entries) {
        const key = keyOf.get(e.target);
        if (!key) continue;
        if (e.isIntersecting && e.intersectionRatio >= 0.5 && document.visibilityState === "visible") {
          if (!visibleSince.has(key)) visibleSince.set(key, now);
        } else {
          stopClock(key, now);
        }
      }
    },
    { threshold: [0, 0.5, 1] },
  );
  timer = setInterval(flushDwell, FLUSH_MS);
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("pagehide", flushDwell);
}

/** `<div ref={useDwell("post", uuid)}>`: counts the time this element is at least half visible. */
export function useDwell(kind: Kind, uuid: string) {
  const el = useRef<Element | null>(null);
  const key = `${kind}:${uuid}`;
  const ref = useCallback(
    (node: Element | null) => {
      if (el.current && observer) {
        observer.unobserve(el.current);
        const left = (counts.get(key) ?? 1) - 1;
        counts.set(key, left);
        if (left <= 0) stopClock(key, performance.now());
      }
      el.current = node;
      if (node) {
        ensureStarted();
        keyOf.set(node, key);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        observer?.observe(node);
      }
    },
    [key],
  );
  useEffect(() => () => ref(null), [ref]);
  return ref;
}

export const __dwellForTests = { accumulated, visibleSince, timer: () => timer };
