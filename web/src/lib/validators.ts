/** Only http and https links are accepted (the API checks the same; this gives a faster message). */
export function isHttpUrl(value: string): boolean {
  if (!value) return true;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && !!url.hostname;
  } catch {
    return false;
  }
}

/**
 * A link as people paste it: "www.example.com/shop" gets "https://" in front. Anything that
 * already names a scheme is left alone (so "javascript:…" is still refused by isHttpUrl).
 */
export function withScheme(value: string): string {
  const v = value.trim();
  if (!v || /^[a-z][a-z0-9+.-]*:/i.test(v)) return v;
  if (v.startsWith("//")) return `https:${v}`;
  // A host with a dot and no spaces: "example.com", "www.example.com/shop?x=1".
  if (/^[^\s/]+\.[^\s/]+(\/\S*)?$/.test(v)) return `https://${v}`;
  return v;
}
