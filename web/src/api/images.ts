"use client";

import { api, sameOrigin, unwrap } from "@/api/client";
import type { Image, UploadGrant, UploadGrantRequest } from "@/api/types";

export const ACCEPTED_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export type ImageStatus = Image;

function isAccepted(type: string): type is UploadGrantRequest["content_type"] {
  return (ACCEPTED_TYPES as readonly string[]).includes(type);
}

export type UploadCheck = "ok" | "badType" | "tooLarge";

/** The checks the server also makes, done before spending bandwidth. */
export function checkFile(file: File): UploadCheck {
  if (!isAccepted(file.type)) return "badType";
  if (file.size > MAX_UPLOAD_BYTES) return "tooLarge";
  return "ok";
}

/** Multipart POST of the grant's fields and then the file (S3 wants the file last). */
function postForm(grant: UploadGrant, file: File, onProgress: (fraction: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", sameOrigin(grant.url));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new Error(`upload failed (${xhr.status}): ${xhr.responseText.slice(0, 200)}`));
    xhr.onerror = () => reject(new Error("upload failed (network)"));
    xhr.send(form);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type UploadPhase =
  | { phase: "uploading"; progress: number }
  | { phase: "processing" }
  | { phase: "ready"; image: ImageStatus }
  | { phase: "failed"; reason: string };

/**
 * The whole upload: grant → form POST with progress → complete → poll until ready or failed.
 * Resolves with the ready image, rejects with an Error whose message is the reason.
 */
export async function uploadImage(
  file: File,
  onPhase: (phase: UploadPhase) => void,
  { timeoutMs = 90_000 }: { timeoutMs?: number } = {},
): Promise<ImageStatus> {
  onPhase({ phase: "uploading", progress: 0 });
  if (!isAccepted(file.type)) throw new Error("unsupported type");
  const body: UploadGrantRequest = {
    filename: file.name.slice(-200),
    content_type: file.type,
    size: file.size,
  };
  const grant = await unwrap(api.POST("/api/images/presigned/", { body }));
  await postForm(grant, file, (progress) => onPhase({ phase: "uploading", progress }));
  onPhase({ phase: "processing" });
  const params = { path: { uuid: grant.uuid } };
  await unwrap(api.POST("/api/images/{uuid}/complete/", { params }));
  const deadline = Date.now() + timeoutMs;
  let delay = 400;
  while (Date.now() < deadline) {
    const data = await unwrap(api.GET("/api/images/{uuid}/", { params }));
    if (data.status === "ready") return data;
    if (data.status === "failed") throw new Error(data.error || "failed");
    await sleep(delay);
    delay = Math.min(delay * 1.5, 2000);
  }
  throw new Error("timeout");
}
