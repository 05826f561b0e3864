"use client";

import { useCallback } from "react";
import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";
import { en } from "@/i18n/en";
import { ko, type MessageKey, type Messages } from "@/i18n/ko";

export type Locale = "ko" | "en";
export const LOCALES: Locale[] = ["ko", "en"];
const catalogs: Record<Locale, Messages> = { ko, en };

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

export const useLocale = create<LocaleState>()(
  persist(
    (set) => ({
      locale: "ko",
      setLocale: (locale) => set({ locale }),
    }),
    {
      name: "tangerine-locale",
      storage: createJSONStorage(() => localStorage),
      skipHydration: true,
    },
  ),
);

export type TranslateVars = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, vars?: TranslateVars): string {
  const template = catalogs[locale][key] ?? ko[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

/** `const t = useT(); t("nav.home")`: re-renders when the language changes. */
export function useT(): (key: MessageKey, vars?: TranslateVars) => string {
  const locale = useLocale((s) => s.locale);
  return useCallback((key, vars) => translate(locale, key, vars), [locale]);
}

export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "ko" ? "ko-KR" : "en-US", {
    dateStyle: "medium",
  }).format(new Date(iso));
}

/** Money is an integer in the currency's minor unit (KRW has none, USD has cents). */
export function formatPrice(amount: number, currency: string, locale: Locale): string {
  const tag = locale === "ko" ? "ko-KR" : "en-US";
  try {
    const digits = new Intl.NumberFormat(tag, { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 0;
    return new Intl.NumberFormat(tag, { style: "currency", currency }).format(
      amount / 10 ** digits,
    );
  } catch {
    return `${amount} ${currency}`;
  }
}

export type { MessageKey };
