"use client";

import type { ImageRef } from "@/api/types";
import { ResponsiveImage } from "@/components/ui/responsive-image";
import { useT } from "@/i18n";

/** Thumbnails of attached images with a remove button each. */
export function ImageStrip({ images, onRemove }: { images: ImageRef[]; onRemove: (uuid: string) => void }) {
  const t = useT();
  if (images.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2" data-testid="image-strip">
      {images.map((img) => (
        <li key={img.uuid} className="relative h-20 w-20 overflow-hidden rounded-lg border border-stone-200">
          <ResponsiveImage image={img} alt="" sizes="80px" className="h-full w-full" />
          <button
            type="button"
            onClick={() => onRemove(img.uuid)}
            aria-label={t("image.remove")}
            className="absolute right-0.5 top-0.5 rounded-full bg-black/60 px-1.5 text-xs text-white"
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
