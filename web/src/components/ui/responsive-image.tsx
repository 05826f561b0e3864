import { sameOrigin } from "@/api/client";
import type { ImageRef, ImageVariant } from "@/api/types";
import { cn } from "@/lib/cn";

function srcSet(variants: ImageVariant[]): string {
  return variants.map((v) => `${sameOrigin(v.url)} ${v.width}w`).join(", ");
}

interface ResponsiveImageProps {
  image: Pick<ImageRef, "variants" | "width" | "height"> | null | undefined;
  alt: string;
  /** The `sizes` attribute: how wide the image is drawn. */
  sizes?: string;
  className?: string;
}

/** A <picture> with WebP and JPEG (or whatever formats the API produced) srcsets. */
export function ResponsiveImage({ image, alt, sizes = "100vw", className }: ResponsiveImageProps) {
  const variants = image?.variants ?? [];
  if (variants.length === 0) {
    return <div className={cn("bg-stone-200", className)} aria-label={alt} role="img" />;
  }
  const byFormat = new Map<string, ImageVariant[]>();
  for (const v of variants) {
    const list = byFormat.get(v.format) ?? [];
    list.push(v);
    byFormat.set(v.format, list);
  }
  const fallbackList =
    byFormat.get("jpeg") ?? byFormat.get("jpg") ?? byFormat.get("png") ?? variants;
  const sorted = [...fallbackList].sort((a, b) => a.width - b.width);
  const fallback = sorted[sorted.length - 1];
  const webp = byFormat.get("webp");
  return (
    <picture>
      {webp && fallbackList !== webp && (
        <source type="image/webp" srcSet={srcSet(webp)} sizes={sizes} />
      )}
      <img
        src={sameOrigin(fallback.url)}
        srcSet={srcSet(sorted)}
        sizes={sizes}
        alt={alt}
        width={image?.width ?? fallback.width}
        height={image?.height ?? fallback.height ?? undefined}
        loading="lazy"
        decoding="async"
        className={cn("object-cover", className)}
      />
    </picture>
  );
}

export function Avatar({
  user,
  size = 40,
}: {
  user: { handle: string; display_name: string; profile_image: ImageRef | null } | null | undefined;
  size?: number;
}) {
  const name = user?.display_name || user?.handle || "?";
  const style = { width: size, height: size };
  if (user?.profile_image && user.profile_image.variants.length > 0) {
    return (
      <span className="inline-block shrink-0 overflow-hidden rounded-full" style={style}>
        <ResponsiveImage
          image={user.profile_image}
          alt={name}
          sizes={`${size}px`}
          className="h-full w-full"
        />
      </span>
    );
  }
  return (
    <span
      aria-hidden
      className="inline-flex shrink-0 items-center justify-center rounded-full bg-orange-100 font-bold text-orange-700"
      style={{ ...style, fontSize: size * 0.4 }}
    >
      {Array.from(name)[0]?.toUpperCase()}
    </span>
  );
}
