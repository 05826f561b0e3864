"use client";

import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { toApiError } from "@/api/errors";
import { ACCEPTED_TYPES, checkFile, uploadImage, type UploadPhase } from "@/api/images";
import type { ImageRef } from "@/api/types";
import { Button } from "@/components/ui/button";
import { useT } from "@/i18n";
import { imageFailureReason } from "@/i18n/errors";

interface ImageUploaderProps {
  /** How many more images may be added (0 disables the picker). */
  max: number;
  onUploaded: (image: ImageRef) => void;
  /**
   * Told whenever uploads start or finish: `busy` while any file is uploading or processing,
   * `failed` while a failed one is still listed. Forms keep "publish" disabled meanwhile, so a
   * post is never saved without a photo the user picked.
   */
  onStateChange?: (state: UploadsState) => void;
}

export interface UploadsState {
  busy: boolean;
  failed: boolean;
}

interface Job {
  id: number;
  name: string;
  state: UploadPhase;
}

let nextJob = 1;

/** Picks files, checks them, uploads them one by one with progress, reports each ready image. */
export function ImageUploader({ max, onUploaded, onStateChange }: ImageUploaderProps) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [jobs, setJobs] = useState<Job[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const busy = jobs.some((j) => j.state.phase === "uploading" || j.state.phase === "processing");
  const failed = jobs.some((j) => j.state.phase === "failed");
  useEffect(() => onStateChange?.({ busy, failed }), [busy, failed, onStateChange]);

  const update = (id: number, state: UploadPhase) =>
    setJobs((all) => all.map((j) => (j.id === id ? { ...j, state } : j)));

  const onChange = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = "";
    setProblem(null);
    if (files.length > max) {
      setProblem(t("image.tooMany", { n: max }));
      files.splice(max);
    }
    for (const file of files) {
      const check = checkFile(file);
      if (check !== "ok") {
        setProblem(t(check === "badType" ? "image.badType" : "image.tooLarge"));
        continue;
      }
      const id = nextJob++;
      setJobs((all) => [...all, { id, name: file.name, state: { phase: "uploading", progress: 0 } }]);
      try {
        const image = await uploadImage(file, (state) => update(id, state));
        update(id, { phase: "ready", image });
        onUploaded(image);
        setJobs((all) => all.filter((j) => j.id !== id));
      } catch (err) {
        const apiError = toApiError(err);
        update(id, { phase: "failed", reason: imageFailureReason(apiError, err, t) });
      }
    }
  };

  return (
    <div className="flex flex-col gap-2" data-testid="image-uploader">
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_TYPES.join(",")}
        multiple={max > 1}
        className="sr-only"
        onChange={onChange}
        data-testid="image-input"
        aria-label={t("image.choose")}
      />
      <Button
        variant="secondary"
        size="sm"
        disabled={max <= 0 || busy}
        onClick={() => input.current?.click()}
      >
        {t("image.choose")}
      </Button>
      {problem && <p className="text-xs text-red-600" role="alert">{problem}</p>}
      {jobs.map((job) => (
        <div key={job.id} className="flex flex-wrap items-center gap-x-2 text-xs text-stone-600" data-testid="upload-job" data-phase={job.state.phase}>
          <span className="mr-2 inline-block max-w-40 truncate align-bottom">{job.name}</span>
          {job.state.phase === "uploading" && (
            <>
              {t("image.uploading", { p: Math.round(job.state.progress * 100) })}
              <progress className="ml-2 h-1.5 w-24 align-middle" max={1} value={job.state.progress} />
            </>
          )}
          {job.state.phase === "processing" && t("image.processing")}
          {job.state.phase === "failed" && (
            <>
              <span className="text-red-600" data-testid="upload-error">{t("image.failed", { reason: job.state.reason })}</span>
              <button
                type="button"
                data-testid="upload-remove"
                className="whitespace-nowrap text-stone-500 underline"
                onClick={() => setJobs((all) => all.filter((j) => j.id !== job.id))}
              >
                {t("image.remove")}
              </button>
            </>
          )}
        </div>
      ))}
    </div>
  );
}
