"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { useOpenProductChat } from "@/api/chat";
import { errorText, toApiError } from "@/api/errors";
import { Button, type ButtonProps } from "@/components/ui/button";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

interface ChatWithSellerButtonProps {
  productUuid: string;
  /** The viewer owns the product: nothing to show (a seller does not chat with themselves). */
  isOwner: boolean;
  className?: string;
  size?: ButtonProps["size"];
  block?: boolean;
}

/**
 * "채팅하기" on a product: opens (or reuses) the one-to-one room between the viewer and the
 * seller about this product (`POST /api/products/{uuid}/chat/`) and goes to it. Visitors are
 * sent to log in first and come back to this page.
 */
export function ChatWithSellerButton({ productUuid, isOwner, className, size, block }: ChatWithSellerButtonProps) {
  const t = useT();
  const router = useRouter();
  const pathname = usePathname();
  const loggedIn = useAuth((s) => !!s.user);
  const open = useOpenProductChat();
  const [error, setError] = useState<string | null>(null);
  if (isOwner) return null;
  const onClick = () => {
    if (!loggedIn) {
      router.push(`/login?next=${encodeURIComponent(pathname || `/products/${productUuid}`)}`);
      return;
    }
    setError(null);
    open.mutate(productUuid, {
      onSuccess: (room) => router.push(`/chat/${room.uuid}`),
      onError: (err) => setError(errorText(toApiError(err))),
    });
  };
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        data-testid="chat-with-seller"
        variant="primary"
        size={size}
        block={block}
        className={className}
        disabled={open.isPending}
        onClick={onClick}
      >
        {t("chat.withSeller")}
      </Button>
      {error && (
        <span role="alert" className="text-xs text-red-600" data-testid="chat-with-seller-error">
          {error}
        </span>
      )}
    </span>
  );
}
