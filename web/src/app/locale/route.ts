import { isLocale, langCookie, sitePath } from "@/lib/locale";

/**
 * The language switch without JavaScript: before the page has hydrated (a slow phone) or with
 * scripts off, the switch is a plain form that posts `lang` and `next` here. The answer stores the
 * choice in the `lang` cookie, as the hydrated switch does (lib/locale.ts), and sends the browser
 * back to the page, which the server then renders in the chosen language.
 *
 * `next` must be a path of this site: anything else (another origin, `//host`, `/\host`) goes to
 * the home page instead of leaving the site.
 */
export async function POST(request: Request): Promise<Response> {
  let form: FormData | null = null;
  try {
    form = await request.formData();
  } catch {
    form = null;
  }
  const lang = form?.get("lang");
  if (!isLocale(lang)) {
    return Response.json(
      { code: "invalid", lang: ["Choose one of: ko, en."] },
      { status: 400, headers: { "Cache-Control": "no-store" } },
    );
  }
  return new Response(null, {
    status: 303,
    headers: {
      Location: sitePath(form?.get("next")),
      "Set-Cookie": langCookie(lang),
      "Cache-Control": "no-store",
    },
  });
}
