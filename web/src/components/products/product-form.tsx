"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { anyFieldText, errorText, fieldErrors, formError, toApiError, type ApiError } from "@/api/errors";
import { schemaLimits } from "@/api/limits";
import {
  PRODUCT_STATUSES,
  usePreview,
  useCategories,
  useSaveProduct,
  type ProductCategory,
  type ProductStatus,
} from "@/api/products";
import { CURRENCIES, type Currency, type ImageRef, type Product } from "@/api/types";
import { ImageStrip } from "@/components/images/image-strip";
import { ImageUploader, type UploadsState } from "@/components/images/image-uploader";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage, TextAreaField, TextField } from "@/components/ui/field";
import { useLocale, useT } from "@/i18n";
import { formatPriceInput, parsePrice } from "@/lib/price";
import { isHttpUrl, withScheme } from "@/lib/validators";

const MAX_IMAGES = schemaLimits.ProductInputRequest.images.maxItems;

/** Digits of the currency's minor unit (KRW 0, USD 2): the API wants integer minor units. */
function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 0;
  } catch {
    return 0;
  }
}

function isCurrency(value: string | null): value is Currency {
  return !!value && (CURRENCIES as string[]).includes(value);
}

export function ProductForm({ product }: { product?: Product }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const router = useRouter();
  const save = useSaveProduct(product?.uuid);
  const categories = useCategories();
  const [category, setCategory] = useState<ProductCategory>(product?.category ?? "other");
  const [status, setStatus] = useState<ProductStatus>(product?.status ?? "on_sale");
  const [utm, setUtm] = useState(product?.utm ?? true);
  const preview = usePreview();
  const [name, setName] = useState(product?.name ?? "");
  const [description, setDescription] = useState(product?.description ?? "");
  const [currency, setCurrency] = useState<Currency>(product?.currency ?? "KRW");
  const [price, setPrice] = useState(
    product
      ? formatPriceInput(String(product.price / 10 ** minorDigits(product.currency)), minorDigits(product.currency))
      : "",
  );
  const [linkText, setLink] = useState(product?.link ?? "");
  const [uploads, setUploads] = useState<UploadsState>({ busy: false, failed: false });
  const uploadsBlock = uploads.busy || uploads.failed;
  const [images, setImages] = useState<ImageRef[]>(product?.images ?? []);
  const [previewImage, setPreviewImage] = useState<string | null>(null);
  const [localError, setLocalError] = useState<ApiError | null>(null);
  const error = localError ?? (save.error ? toApiError(save.error) : null);
  const previewError = preview.error ? toApiError(preview.error) : null;

  const onPreview = () => {
    const link = withScheme(linkText);
    setLink(link);
    if (!link || !isHttpUrl(link)) {
      setLocalError({ status: 400, code: "invalid", detail: "", fields: { link: [t("profile.linkInvalid")] } });
      return;
    }
    setLocalError(null);
    preview.mutate(link, {
      onSuccess: (data) => {
        if (data.title) setName(data.title.slice(0, 200));
        const cur = isCurrency(data.currency) ? data.currency : currency;
        if (isCurrency(data.currency)) setCurrency(data.currency);
        if (data.price !== null) setPrice(formatPriceInput(String(data.price / 10 ** minorDigits(cur)), minorDigits(cur)));
        setPreviewImage(data.image);
      },
    });
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (uploadsBlock) return;
    const fields: Record<string, string[]> = {};
    const link = withScheme(linkText);
    setLink(link);
    if (!link || !isHttpUrl(link)) fields.link = [t("profile.linkInvalid")];
    const digits = minorDigits(currency);
    const parsed = parsePrice(price, digits);
    const amount = parsed.ok ? Math.round(parsed.value * 10 ** digits) : 0;
    if (!parsed.ok) fields.price = [t(parsed.reason === "negative" ? "price.negative" : "price.invalid")];
    if (Object.keys(fields).length) {
      setLocalError({ status: 400, code: "invalid", detail: "", fields });
      return;
    }
    setLocalError(null);
    save.mutate(
      {
        name, description, price: amount, currency, link, images: images.map((i) => i.uuid),
        category, utm, ...(product ? { status } : {}),
      },
      { onSuccess: (saved) => router.push(`/products/${saved.uuid}`) },
    );
  };

  return (
    <Card className="mx-auto max-w-2xl">
      <PageTitle>{product ? t("product.editTitle") : t("product.newTitle")}</PageTitle>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {error && formError(error) && (
          <FormMessage kind="error">{formError(error)}</FormMessage>
        )}
        <div className="flex flex-col gap-2 rounded-xl bg-orange-50 p-3">
          <div className="flex items-end gap-2">
            <div className="flex-1">
              <TextField label={t("product.link")} name="link" type="url" inputMode="url" value={linkText}
                onChange={(e) => setLink(e.target.value)} onBlur={() => setLink(withScheme(linkText))} errors={fieldErrors(error, "link")} placeholder="https://" />
            </div>
            <Button variant="secondary" onClick={onPreview} disabled={preview.isPending} data-testid="preview-button">
              {t("product.preview")}
            </Button>
          </div>
          <p className="text-xs text-stone-600">{t("product.previewHelp")}</p>
          {preview.isSuccess && (
            <div className="flex items-center gap-2 text-xs text-green-700" role="status">
              {previewImage && (
                // eslint-disable-next-line @next/next/no-img-element -- an outside store's image, shown as is
                <img src={previewImage} alt="" referrerPolicy="no-referrer" className="h-12 w-12 rounded object-cover" />
              )}
              {t("product.previewFilled")}
            </div>
          )}
          {previewError && (
            <p className="text-xs text-red-600" role="alert">
              {anyFieldText(previewError) || errorText(previewError)}
            </p>
          )}
        </div>
        <TextField label={t("product.name")} name="name" value={name} maxLength={schemaLimits.ProductInputRequest.name.maxLength}
          onChange={(e) => setName(e.target.value)} errors={fieldErrors(error, "name")} />
        <div className="grid grid-cols-[1fr_auto] gap-3">
          <TextField label={t("product.price")} name="price" inputMode="decimal" value={price}
            data-testid="price-input" placeholder={currency === "KRW" ? "12,000" : "12.50"}
            onChange={(e) => setPrice(formatPriceInput(e.target.value, minorDigits(currency)))} errors={fieldErrors(error, "price")} />
          <label className="flex flex-col gap-1 text-sm font-medium text-stone-700">
            {t("product.currency")}
            <select name="currency" value={currency} onChange={(e) => setCurrency(e.target.value as Currency)}
              className="h-10 rounded-lg border border-stone-300 bg-white px-2 text-sm">
              {CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
        </div>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <label className="flex min-w-0 flex-col gap-1 text-sm font-medium text-stone-700">
            {t("product.category")}
            <select name="category" value={category} data-testid="category-select"
              onChange={(e) => setCategory(e.target.value as ProductCategory)}
              className="h-10 rounded-lg border border-stone-300 bg-white px-2 text-sm">
              {(categories.data ?? [{ code: "other", label_ko: "기타", label_en: "Other" }]).map((c) => (
                <option key={c.code} value={c.code}>{locale === "ko" ? c.label_ko : c.label_en}</option>
              ))}
            </select>
            {fieldErrors(error, "category")?.map((m) => <span key={m} className="text-xs text-red-600">{m}</span>)}
          </label>
          {product && (
            <label className="flex min-w-0 flex-col gap-1 text-sm font-medium text-stone-700">
              {t("product.statusLabel")}
              <select name="status" value={status} data-testid="status-select"
                onChange={(e) => setStatus(e.target.value as ProductStatus)}
                className="h-10 rounded-lg border border-stone-300 bg-white px-2 text-sm">
                {PRODUCT_STATUSES.map((s) => <option key={s} value={s}>{t(`product.status.${s}`)}</option>)}
              </select>
            </label>
          )}
        </div>
        <label className="flex items-center gap-2 text-sm text-stone-700">
          <input type="checkbox" checked={utm} onChange={(e) => setUtm(e.target.checked)} data-testid="utm-checkbox" />
          {t("product.utm")}
        </label>
        <TextAreaField label={t("product.description")} name="description" value={description}
          maxLength={schemaLimits.ProductInputRequest.description.maxLength}
          onChange={(e) => setDescription(e.target.value)} errors={fieldErrors(error, "description")} />
        <div className="flex flex-col gap-2">
          <span className="text-sm font-medium text-stone-700">{t("post.images")}</span>
          <ImageStrip images={images} onRemove={(uuid) => setImages((all) => all.filter((i) => i.uuid !== uuid))} />
          <ImageUploader
            max={MAX_IMAGES - images.length}
            onUploaded={(img) => setImages((all) => [...all, img])}
            onStateChange={setUploads}
          />
          {(uploads.busy || uploads.failed) && (
            <p className="text-xs text-stone-500" data-testid="uploads-pending">
              {t(uploads.busy ? "image.waitForUploads" : "image.removeFailed")}
            </p>
          )}
          {fieldErrors(error, "images")?.map((m) => <p key={m} className="text-xs text-red-600">{m}</p>)}
        </div>
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => router.back()}>{t("common.cancel")}</Button>
          <Button type="submit" disabled={save.isPending || uploadsBlock} data-testid="form-submit">
            {save.isPending ? t("common.saving") : t("common.save")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
