"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrors, formError, toApiError } from "@/api/errors";
import { schemaLimits } from "@/api/limits";
import { useSavePost } from "@/api/posts";
import { CATEGORIES, type Category, type ImageRef, type Post, type PostStatus } from "@/api/types";
import { ImageStrip } from "@/components/images/image-strip";
import { ImageUploader, type UploadsState } from "@/components/images/image-uploader";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage, TextAreaField, TextField } from "@/components/ui/field";
import { useT } from "@/i18n";

const MAX_IMAGES = schemaLimits.PostWriteRequest.images.maxItems;

export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  for (const raw of input.split(/[,\s]+/)) {
    const tag = raw.replace(/^#/, "").trim();
    if (tag) seen.add(tag);
  }
  return Array.from(seen).slice(0, 10);
}

export function PostForm({ post }: { post?: Post }) {
  const t = useT();
  const router = useRouter();
  const save = useSavePost(post?.uuid);
  const [title, setTitle] = useState(post?.title ?? "");
  const [text, setText] = useState(post?.text ?? "");
  const [tags, setTags] = useState(post?.tags.join(", ") ?? "");
  const [category, setCategory] = useState<Category | "">(post?.category ?? "");
  const [status, setStatus] = useState<PostStatus>(post?.status ?? "published");
  const [uploads, setUploads] = useState<UploadsState>({ busy: false, failed: false });
  const uploadsBlock = uploads.busy || uploads.failed;
  const [images, setImages] = useState<ImageRef[]>(post?.images ?? []);
  const error = save.error ? toApiError(save.error) : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (uploadsBlock) return;
    save.mutate(
      { title, text, tags: parseTags(tags), category, status, images: images.map((i) => i.uuid) },
      { onSuccess: (saved) => router.push(`/posts/${saved.uuid}`) },
    );
  };

  return (
    <Card className="mx-auto max-w-2xl">
      <PageTitle>{post ? t("post.editTitle") : t("post.newTitle")}</PageTitle>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {error && formError(error) && (
          <FormMessage kind="error">{formError(error)}</FormMessage>
        )}
        <TextField label={t("post.title")} name="title" value={title} maxLength={schemaLimits.PostWriteRequest.title.maxLength}
          onChange={(e) => setTitle(e.target.value)} errors={fieldErrors(error, "title")} />
        <TextAreaField label={t("post.text")} name="text" value={text} rows={8}
          maxLength={schemaLimits.PostWriteRequest.text.maxLength}
          onChange={(e) => setText(e.target.value)} errors={fieldErrors(error, "text")} />
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
        <TextField label={t("post.tags")} name="tags" value={tags} help={t("post.tagsHelp")}
          onChange={(e) => setTags(e.target.value)} errors={fieldErrors(error, "tags")} />
        <div className="grid gap-4 sm:grid-cols-2">
          <label className="flex flex-col gap-1 text-sm font-medium text-stone-700">
            {t("post.category")}
            <select name="category" value={category} onChange={(e) => setCategory(e.target.value as Category | "")}
              className="h-10 rounded-lg border border-stone-300 bg-white px-2 text-sm">
              <option value="">{t("category.none")}</option>
              {CATEGORIES.map((c) => <option key={c} value={c}>{t(`category.${c}`)}</option>)}
            </select>
          </label>
          <fieldset className="flex flex-col gap-1 text-sm">
            <legend className="mb-1 font-medium text-stone-700">{t("post.status")}</legend>
            <div className="flex gap-4">
              {(["published", "draft"] as const).map((s) => (
                <label key={s} className="flex items-center gap-1.5">
                  <input type="radio" name="status" value={s} checked={status === s} onChange={() => setStatus(s)} />
                  {t(s === "draft" ? "post.draft" : "post.published")}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => router.back()}>{t("common.cancel")}</Button>
          <Button type="submit" disabled={save.isPending || uploadsBlock} data-testid="form-submit">
            {save.isPending ? t("common.saving") : post ? t("common.save") : t("post.publish")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
