"use client";

import { useRef, useState, type ChangeEvent } from "react";
import { toApiError } from "@/api/errors";
import { ACCEPTED_TYPES, checkFile, uploadImage, type UploadPhase } from "@/api/images";
import type { ImageRef } from "@/api/types";
import { Button } from "@/components/ui/button";
import { useT } from "@/i18n";

interface ImageUploaderProps {
  /** How many more images may be added (0 disables the picker). */
  max: number;
  onUploaded: (image: ImageRef) => void;
}

interface Job {
  id: number;
  name: string;
  state: UploadPhase;
}

let nextJob = 1;

/** Picks files, checks them, uploads them one by one with progress, reports each ready image. */
export function ImageUploader({ max, onUploaded }: ImageUploaderProps) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [jobs, setJobs] = useState<Job[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const busy = jobs.some((j) => j.state.phase === "uploading" || j.state.phase === "processing");

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
        const reason =
          Object.values(apiError.fields).flat().join(" ") ||
          apiError.detail ||
          (err instanceof Error ? err.message : "");
        update(id, { phase: "failed", reason });
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
        <div key={job.id} className="text-xs text-stone-600" data-testid="upload-job">
          <span className="mr-2 inline-block max-w-40 truncate align-bottom">{job.name}</span>
          {job.state.phase === "uploading" && (
            <>
              {t("image.uploading", { p: Math.round(job.state.progress * 100) })}
              <progress className="ml-2 h-1.5 w-24 align-middle" max={1} value={job.state.progress} />
            </>
          )}
          {job.state.phase === "processing" && t("image.processing")}
          {job.state.phase === "failed" && (
            <span className="text-red-600">{t("image.failed", { reason: job.state.reason })}</span>
          )}
        </div>
      ))}
    </div>
  );
}
