"use client";

import { cva } from "class-variance-authority";
import { useId, useState, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";
import { cn } from "@/lib/cn";

const control = cva(
  "w-full rounded-lg border bg-white px-3 text-sm text-stone-900 placeholder:text-stone-400 focus:outline-2 focus:outline-orange-400",
  {
    variants: {
      invalid: { true: "border-red-500", false: "border-stone-300" },
      multiline: { true: "min-h-28 py-2", false: "h-10" },
    },
    defaultVariants: { invalid: false, multiline: false },
  },
);

interface FieldShellProps {
  id: string;
  label: string;
  help?: string;
  errors?: string[];
  children: ReactNode;
}

function FieldShell({ id, label, help, errors, children }: FieldShellProps) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-stone-700">
        {label}
      </label>
      {children}
      {help && !errors && <p className="text-xs text-stone-500">{help}</p>}
      {errors?.map((message) => (
        <p key={message} className="text-xs text-red-600" data-field-error={id}>
          {message}
        </p>
      ))}
    </div>
  );
}

/**
 * A field's errors until the user changes the field: an error is about the value it was given
 * for, so it goes away as soon as the value changes (a new answer from the API shows again:
 * `fieldErrors()` keeps one array per answer, so a new answer is a new array).
 */
export function useFreshErrors(errors: string[] | undefined, value: unknown): string[] | undefined {
  const [seen, setSeen] = useState<{ errors: string[] | undefined; value: unknown }>({ errors, value });
  if (seen.errors !== errors) {
    setSeen({ errors, value });
    return errors;
  }
  return Object.is(seen.value, value) ? errors : undefined;
}

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  help?: string;
  errors?: string[];
};

export function TextField({ label, help, errors: given, className, id, ...props }: TextFieldProps) {
  const autoId = useId();
  const errors = useFreshErrors(given, props.value);
  const fieldId = id ?? autoId;
  return (
    <FieldShell id={fieldId} label={label} help={help} errors={errors}>
      <input
        id={fieldId}
        aria-invalid={errors ? true : undefined}
        className={cn(control({ invalid: !!errors }), className)}
        {...props}
      />
    </FieldShell>
  );
}

type TextAreaFieldProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  help?: string;
  errors?: string[];
};

export function TextAreaField({ label, help, errors: given, className, id, ...props }: TextAreaFieldProps) {
  const autoId = useId();
  const errors = useFreshErrors(given, props.value);
  const fieldId = id ?? autoId;
  return (
    <FieldShell id={fieldId} label={label} help={help} errors={errors}>
      <textarea
        id={fieldId}
        aria-invalid={errors ? true : undefined}
        className={cn(control({ invalid: !!errors, multiline: true }), className)}
        {...props}
      />
    </FieldShell>
  );
}

export function FormMessage({ kind, children }: { kind: "error" | "success"; children: ReactNode }) {
  return (
    <p
      role={kind === "error" ? "alert" : "status"}
      className={cn(
        "rounded-lg px-3 py-2 text-sm",
        kind === "error" ? "bg-red-50 text-red-700" : "bg-green-50 text-green-700",
      )}
    >
      {children}
    </p>
  );
}
