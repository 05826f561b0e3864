"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useUpdateProfile } from "@/api/accounts";
import { fieldErrors, formError, toApiError, type ApiError } from "@/api/errors";
import { schemaLimits } from "@/api/limits";
import type { ImageRef, Me } from "@/api/types";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { FormMessage, TextAreaField, TextField } from "@/components/ui/field";
import { ImageUploader } from "@/components/images/image-uploader";
import { Avatar } from "@/components/ui/responsive-image";
import { useT } from "@/i18n";
import { useRequireAuth } from "@/lib/use-require-auth";
import { isHttpUrl, withScheme } from "@/lib/validators";

function ProfileForm({ me }: { me: Me }) {
  const t = useT();
  const router = useRouter();
  const update = useUpdateProfile(me.handle);
  const [form, setForm] = useState({
    display_name: me.display_name,
    bio: me.bio,
    link_1: me.link_1,
    link_2: me.link_2,
  });
  const [picture, setPicture] = useState<ImageRef | null>(me.profile_image);
  const [localError, setLocalError] = useState<ApiError | null>(null);
  const error = localError ?? (update.error ? toApiError(update.error) : null);
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string[]> = {};
    const links = { link_1: withScheme(form.link_1), link_2: withScheme(form.link_2) };
    setForm((f) => ({ ...f, ...links }));
    for (const name of ["link_1", "link_2"] as const) {
      if (!isHttpUrl(links[name])) fields[name] = [t("profile.linkInvalid")];
    }
    if (Object.keys(fields).length) {
      setLocalError({ status: 400, code: "invalid", detail: "", fields });
      return;
    }
    setLocalError(null);
    update.mutate(
      {
        display_name: form.display_name.trim(),
        bio: form.bio,
        link_1: links.link_1,
        link_2: links.link_2,
        profile_image: picture?.uuid ?? null,
      },
      { onSuccess: (saved) => router.push(`/u/${saved.handle}`) },
    );
  };

  return (
    <Card className="mx-auto max-w-lg">
      <PageTitle>{t("profile.editTitle")}</PageTitle>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {error && formError(error) && (
          <FormMessage kind="error">{formError(error)}</FormMessage>
        )}
        <div className="flex items-center gap-4">
          <Avatar user={{ ...me, profile_image: picture }} size={72} />
          <div className="flex flex-col gap-1">
            <span className="text-sm font-medium text-stone-700">{t("profile.picture")}</span>
            <ImageUploader max={1} onUploaded={(img) => setPicture(img)} />
            {picture && (
              <Button variant="link" size="sm" className="h-auto px-0" onClick={() => setPicture(null)}>
                {t("profile.removePicture")}
              </Button>
            )}
            {fieldErrors(error, "profile_image")?.map((m) => (
              <p key={m} className="text-xs text-red-600">{m}</p>
            ))}
          </div>
        </div>
        <TextField label={t("auth.displayName")} name="display_name" value={form.display_name}
          onChange={set("display_name")} errors={fieldErrors(error, "display_name")}
          maxLength={schemaLimits.UserUpdateRequest.display_name.maxLength} />
        <TextAreaField label={t("profile.bio")} name="bio" value={form.bio}
          onChange={set("bio")} errors={fieldErrors(error, "bio")}
          maxLength={schemaLimits.UserUpdateRequest.bio.maxLength} />
        <TextField label={t("profile.link1")} name="link_1" type="url" inputMode="url" value={form.link_1}
          onChange={set("link_1")} onBlur={() => setForm((f) => ({ ...f, link_1: withScheme(f.link_1) }))} help={t("profile.linkHelp")} errors={fieldErrors(error, "link_1")} />
        <TextField label={t("profile.link2")} name="link_2" type="url" inputMode="url" value={form.link_2}
          onChange={set("link_2")} onBlur={() => setForm((f) => ({ ...f, link_2: withScheme(f.link_2) }))} help={t("profile.linkHelp")} errors={fieldErrors(error, "link_2")} />
        <div className="flex items-center justify-between">
          <div className="flex flex-col gap-1">
            <Link href="/settings/password" className="text-sm text-orange-600 hover:underline">
              {t("profile.changePassword")}
            </Link>
            <Link href="/settings/notifications" className="text-sm text-orange-600 hover:underline" data-testid="settings-notifications">{t("notif.settings")}</Link>
            <Link href="/settings/account" className="text-sm text-orange-600 hover:underline" data-testid="settings-account">
              {t("account.settingsLink")}
            </Link>
          </div>
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? t("common.saving") : t("common.save")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

export default function EditProfilePage() {
  const me = useRequireAuth();
  if (!me) return null;
  return <ProfileForm me={me} />;
}
