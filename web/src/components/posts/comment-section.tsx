"use client";

import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import {
  commentsKey,
  repliesKey,
  useAddComment,
  useAddReply,
  useComments,
  useDeleteComment,
  useDeleteReply,
  useEditComment,
  useEditReply,
  useLikeItem,
  useReplies,
} from "@/api/comments";
import { fieldErrors, toApiError } from "@/api/errors";
import { schemaLimits } from "@/api/limits";
import type { Comment, Reply } from "@/api/types";
import { InfiniteList } from "@/components/common/infinite-list";
import { LikeButton } from "@/components/posts/like-button";
import { RichText, type MentionRef } from "@/components/posts/rich-text";
import { ReportButton } from "@/components/reports/report-button";
import { AuthorLine } from "@/components/posts/post-card";
import { Button } from "@/components/ui/button";
import { useT } from "@/i18n";
import { useAuth } from "@/stores/auth";

/** Comments and replies share one input: the smaller of the two API limits. */
const TEXT_MAX = Math.min(
  schemaLimits.CommentCreateRequest.text.maxLength,
  schemaLimits.TextRequest.text.maxLength,
);

function TextForm({
  placeholder,
  submit,
  onSubmit,
  pending,
  errors,
  testId,
}: {
  placeholder: string;
  submit: string;
  onSubmit: (text: string, done: () => void) => void;
  pending: boolean;
  errors?: string[];
  testId: string;
}) {
  const [text, setText] = useState("");
  const handle = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) onSubmit(text.trim(), () => setText(""));
  };
  return (
    <form onSubmit={handle} className="flex flex-col gap-1" data-testid={testId}>
      <div className="flex gap-2">
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={placeholder}
          aria-label={placeholder}
          maxLength={TEXT_MAX}
          className="h-10 flex-1 rounded-lg border border-stone-300 px-3 text-sm"
        />
        <Button type="submit" size="md" disabled={pending || !text.trim()}>
          {submit}
        </Button>
      </div>
      {errors?.map((m) => <p key={m} className="text-xs text-red-600">{m}</p>)}
    </form>
  );
}

/** The author's text, or an inline editor for it; saving is optimistic (rolled back on error). */
function EditableText({
  text,
  mentions,
  editedAt,
  editing,
  onSave,
  onCancel,
  failed,
  testId,
}: {
  text: string;
  mentions?: MentionRef[];
  editedAt?: string | null;
  editing: boolean;
  onSave: (text: string) => void;
  onCancel: () => void;
  failed: boolean;
  testId: string;
}) {
  const t = useT();
  const [draft, setDraft] = useState(text);
  if (!editing) {
    return (
      <>
        <RichText text={text} mentions={mentions} className="text-sm text-stone-800" testId={`${testId}-text`} />
        {editedAt && (
          <span className="text-xs text-stone-400" data-testid={`${testId}-edited`} title={editedAt}>
            {t("comment.edited")}
          </span>
        )}
        {failed && <p className="text-xs text-red-600" role="alert">{t("comment.editFailed")}</p>}
      </>
    );
  }
  const value = draft.trim();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value) return;
    if (value === text) onCancel();
    else onSave(value);
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-1" data-testid={`${testId}-edit`}>
      <textarea
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => e.key === "Escape" && onCancel()}
        aria-label={t("comment.editLabel")}
        maxLength={schemaLimits.PatchedTextRequest.text.maxLength}
        rows={2}
        autoFocus
        className="w-full rounded-lg border border-stone-300 px-3 py-2 text-sm"
      />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" size="sm" onClick={onCancel}>{t("comment.editCancel")}</Button>
        <Button type="submit" size="sm" disabled={!value}>{t("comment.editSave")}</Button>
      </div>
    </form>
  );
}

function ReplyItem({ reply, post, comment }: { reply: Reply; post: string; comment: string }) {
  const t = useT();
  const me = useAuth((s) => s.user);
  const like = useLikeItem("reply", repliesKey(comment), reply.uuid);
  const remove = useDeleteReply(post, comment);
  const edit = useEditReply(comment);
  const [editing, setEditing] = useState(false);
  const mine = me?.handle === reply.author.handle;
  return (
    <div id={`reply-${reply.uuid}`} className="flex scroll-mt-20 flex-col gap-1 border-l-2 border-orange-100 pl-3" data-testid="reply">
      <AuthorLine author={reply.author} date={reply.created_at} />
      <EditableText
        key={editing ? "edit" : "view"}
        text={reply.text}
        mentions={reply.mentions}
        editedAt={reply.edited_at}
        editing={editing}
        testId="reply"
        failed={edit.isError}
        onCancel={() => setEditing(false)}
        onSave={(text) => {
          setEditing(false);
          edit.mutate({ uuid: reply.uuid, text });
        }}
      />
      <div className="flex items-center gap-2">
        <LikeButton size="sm" liked={reply.liked} count={reply.like_count} onToggle={(v) => like.mutate(v)} testId="reply-like" />
        {mine && !editing && (
          <button type="button" className="text-xs text-stone-500 hover:underline" data-testid="reply-edit-button"
            onClick={() => { edit.reset(); setEditing(true); }}>
            {t("comment.edit")}
          </button>
        )}
        {mine && (
          <button type="button" className="text-xs text-stone-500 hover:text-red-600"
            onClick={() => window.confirm(t("common.confirmDelete")) && remove.mutate(reply.uuid)}>
            {t("common.delete")}
          </button>
        )}
        {!mine && <ReportButton targetType="reply" target={reply.uuid} />}
      </div>
    </div>
  );
}

function CommentItem({ comment, post, postAuthor }: { comment: Comment; post: string; postAuthor: string }) {
  const t = useT();
  const me = useAuth((s) => s.user);
  const [open, setOpen] = useState(false);
  const [replying, setReplying] = useState(false);
  const like = useLikeItem("comment", commentsKey(post), comment.uuid);
  const remove = useDeleteComment(post);
  const replies = useReplies(comment.uuid, open);
  const addReply = useAddReply(post, comment.uuid);
  const replyError = addReply.error ? toApiError(addReply.error) : null;
  const canDelete = me && (me.handle === comment.author.handle || me.handle === postAuthor);
  const edit = useEditComment(post);
  const [editing, setEditing] = useState(false);
  const mine = me?.handle === comment.author.handle;
  return (
    <div id={`comment-${comment.uuid}`} className="flex scroll-mt-20 flex-col gap-2 py-3 data-[targeted=true]:bg-orange-50" data-testid="comment">
      <AuthorLine author={comment.author} date={comment.created_at} />
      <EditableText
        key={editing ? "edit" : "view"}
        text={comment.text}
        mentions={comment.mentions}
        editedAt={comment.edited_at}
        editing={editing}
        testId="comment"
        failed={edit.isError}
        onCancel={() => setEditing(false)}
        onSave={(text) => {
          setEditing(false);
          edit.mutate({ uuid: comment.uuid, text });
        }}
      />
      <div className="flex items-center gap-3 text-xs text-stone-500">
        <LikeButton size="sm" liked={comment.liked} count={comment.like_count} onToggle={(v) => like.mutate(v)} testId="comment-like" />
        {mine && !editing && (
          <button type="button" className="hover:underline" data-testid="comment-edit-button"
            onClick={() => { edit.reset(); setEditing(true); }}>
            {t("comment.edit")}
          </button>
        )}
        {me && (
          <button type="button" className="hover:underline" onClick={() => { setReplying((r) => !r); setOpen(true); }}>
            {t("comment.reply")}
          </button>
        )}
        {comment.reply_count > 0 && (
          <button type="button" className="hover:underline" onClick={() => setOpen((o) => !o)}>
            {open ? t("comment.hideReplies") : t("comment.showReplies", { n: comment.reply_count })}
          </button>
        )}
        {canDelete && (
          <button type="button" className="hover:text-red-600"
            onClick={() => window.confirm(t("common.confirmDelete")) && remove.mutate(comment.uuid)}>
            {t("common.delete")}
          </button>
        )}
        {me?.handle !== comment.author.handle && <ReportButton targetType="comment" target={comment.uuid} />}
      </div>
      {open && (
        <div className="ml-4 flex flex-col gap-2">
          <InfiniteList
            query={replies}
            getKey={(r) => r.uuid}
            className="flex flex-col gap-2"
            empty=" "
            render={(r) => <ReplyItem reply={r} post={post} comment={comment.uuid} />}
          />
          {replying && (
            <TextForm
              testId="reply-form"
              placeholder={t("comment.replyPlaceholder")}
              submit={t("comment.replySubmit")}
              pending={addReply.isPending}
              errors={fieldErrors(replyError, "text")}
              onSubmit={(text, done) => addReply.mutate(text, { onSuccess: done })}
            />
          )}
        </div>
      )}
    </div>
  );
}

export function CommentSection({ post, postAuthor }: { post: string; postAuthor: string }) {
  const t = useT();
  const me = useAuth((s) => s.user);
  const comments = useComments(post);
  const add = useAddComment(post);
  const error = add.error ? toApiError(add.error) : null;
  // A link to one comment (#comment-<uuid>, from a notification): the browser cannot scroll to
  // it by itself, the comments arrive after the page. Scroll once they are there, and mark it.
  const scrolled = useRef(false);
  useEffect(() => {
    const hash = window.location.hash;
    if (scrolled.current || !/^#(comment|reply)-[0-9a-f-]{36}$|^#comments$/.test(hash)) return;
    if (!comments.isSuccess) return;
    scrolled.current = true;
    const el = document.getElementById(hash.slice(1)) ?? document.getElementById("comments");
    el?.setAttribute("data-targeted", "true");
    el?.scrollIntoView({ block: "center" });
  }, [comments.isSuccess, comments.data]);
  return (
    <section id="comments" className="mt-6 flex flex-col gap-2">
      {me ? (
        <TextForm
          testId="comment-form"
          placeholder={t("comment.placeholder")}
          submit={t("comment.submit")}
          pending={add.isPending}
          errors={fieldErrors(error, "text") ?? fieldErrors(error, "post")}
          onSubmit={(text, done) => add.mutate(text, { onSuccess: done })}
        />
      ) : (
        <Link href="/login" className="text-sm text-orange-600 hover:underline">
          {t("comment.loginToComment")}
        </Link>
      )}
      <InfiniteList
        query={comments}
        getKey={(c) => c.uuid}
        className="flex flex-col divide-y divide-stone-100"
        empty=" "
        render={(c) => <CommentItem comment={c} post={post} postAuthor={postAuthor} />}
      />
    </section>
  );
}
