"use client";

import { createContext, createElement, useCallback, useContext, type ReactNode } from "react";
import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";
import { en } from "@/i18n/en";
import { ko, type MessageKey, type Messages } from "@/i18n/ko";
import { DEFAULT_LOCALE, LOCALES, readLangCookie, writeLangCookie, type Locale } from "@/lib/locale";

export { LOCALES, type Locale };
const catalogs: Record<Locale, Messages> = { ko, en };

/**
 * The language the server rendered the page in (the `lang` cookie or Accept-Language, read by the
 * root layout): what every component shows until the user's stored choice is read, so the server
 * HTML and the first client render agree.
 */
const ServerLocale = createContext<Locale>(DEFAULT_LOCALE);

/** The server's language in the browser, for code outside components (`useLocale.getState()`). */
let serverLocale: Locale = DEFAULT_LOCALE;

export function LocaleProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  if (typeof window !== "undefined") serverLocale = locale;
  return createElement(ServerLocale.Provider, { value: locale }, children);
}

interface StoredLocale {
  /** The user's choice from localStorage; null until read (and for a user who never chose). */
  locale: Locale | null;
  setLocale: (locale: Locale) => void;
}

const localeStore = create<StoredLocale>()(
  persist(
    (set) => ({
      locale: null,
      setLocale: (locale) => {
        writeLangCookie(locale);
        set({ locale });
      },
    }),
    {
      name: "tangerine-locale",
      storage: createJSONStorage(() => localStorage),
      skipHydration: true,
      // The cookie is the newest choice (the switch's form sets it without scripts, and the
      // hydrated switch writes both): a stored choice that differs gives way to it. A choice
      // stored before the cookie existed tells the server for the next page load.
      onRehydrateStorage: () => (state) => {
        const cookie = readLangCookie();
        if (cookie) {
          if (state && state.locale !== cookie) state.setLocale(cookie);
        } else if (state?.locale) {
          writeLangCookie(state.locale);
        }
      },
    },
  ),
);

export interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

/** `useLocale((s) => s.locale)` or `const { locale, setLocale } = useLocale()`. */
export function useLocale(): LocaleState;
export function useLocale<T>(selector: (state: LocaleState) => T): T;
export function useLocale<T>(selector?: (state: LocaleState) => T): T | LocaleState {
  const rendered = useContext(ServerLocale);
  const stored = localeStore((s) => s.locale);
  const setLocale = localeStore((s) => s.setLocale);
  const state = { locale: stored ?? rendered, setLocale };
  return selector ? selector(state) : state;
}
/** Providers reads the stored choice after the first render (`useLocale.persist.rehydrate()`). */
useLocale.persist = localeStore.persist;
/** The language shown now, outside React (error texts built in event handlers). */
useLocale.getState = (): LocaleState => {
  const { locale, setLocale } = localeStore.getState();
  return { locale: locale ?? serverLocale, setLocale };
};

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
