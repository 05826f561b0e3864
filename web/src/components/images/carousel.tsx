"use client";

import { useRef, useState } from "react";
import type { ImageRef } from "@/api/types";
import { ResponsiveImage } from "@/components/ui/responsive-image";
import { useT } from "@/i18n";

/**
 * Photos one at a time: swipe (scroll-snap, so touch and trackpads work natively), arrows on
 * wider screens, and dots with "2 / 5".
 */
export function Carousel({ images, alt }: { images: ImageRef[]; alt: string }) {
  const t = useT();
  const track = useRef<HTMLUListElement>(null);
  const [index, setIndex] = useState(0);
  if (images.length === 0) return null;
  if (images.length === 1) {
    return (
      <ResponsiveImage image={images[0]} alt={alt} sizes="(min-width: 768px) 672px, 100vw" className="w-full rounded-xl" />
    );
  }
  const go = (i: number) => {
    const el = track.current;
    if (!el) return;
    const next = Math.max(0, Math.min(images.length - 1, i));
    el.scrollTo({ left: next * el.clientWidth, behavior: "smooth" });
  };
  const onScroll = () => {
    const el = track.current;
    if (el && el.clientWidth > 0) setIndex(Math.round(el.scrollLeft / el.clientWidth));
  };
  return (
    <div className="relative" data-testid="carousel" aria-roledescription="carousel">
      <ul
        ref={track}
        onScroll={onScroll}
        className="flex snap-x snap-mandatory overflow-x-auto rounded-xl [scrollbar-width:none]"
      >
        {images.map((img, i) => (
          <li key={img.uuid} className="w-full shrink-0 snap-center" aria-label={`${i + 1} / ${images.length}`}>
            <ResponsiveImage image={img} alt={alt} sizes="(min-width: 768px) 672px, 100vw" className="w-full" />
          </li>
        ))}
      </ul>
      <span className="absolute right-2 top-2 rounded-full bg-black/60 px-2 py-0.5 text-xs text-white" data-testid="carousel-count">
        {index + 1} / {images.length}
      </span>
      <button
        type="button"
        aria-label={t("carousel.prev")}
        disabled={index === 0}
        onClick={() => go(index - 1)}
        className="absolute left-2 top-1/2 hidden h-8 w-8 -translate-y-1/2 rounded-full bg-white/80 text-stone-800 shadow disabled:opacity-0 sm:block"
      >
        ‹
      </button>
      <button
        type="button"
        aria-label={t("carousel.next")}
        disabled={index === images.length - 1}
        onClick={() => go(index + 1)}
        className="absolute right-2 top-1/2 hidden h-8 w-8 -translate-y-1/2 rounded-full bg-white/80 text-stone-800 shadow disabled:opacity-0 sm:block"
        data-testid="carousel-next"
      >
        ›
      </button>
      <div className="mt-2 flex justify-center gap-1.5">
        {images.map((img, i) => (
          <button
            key={img.uuid}
            type="button"
            aria-label={`${i + 1} / ${images.length}`}
            aria-current={i === index ? "true" : undefined}
            onClick={() => go(i)}
            className={i === index ? "h-1.5 w-4 rounded-full bg-orange-500" : "h-1.5 w-1.5 rounded-full bg-stone-300"}
          />
        ))}
      </div>
    </div>
  );
}
