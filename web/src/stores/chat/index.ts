/**
 * Chat on the client: `socket` (the one WebSocket and its frames), `messages` (the message
 * store), `catch-up` (HTTP catch-up and history) and `cache` (patching cached rooms).
 */
export { roomKey, roomsKey } from "@/stores/chat/cache";
export { loadOlder } from "@/stores/chat/catch-up";
export {
  contiguousSeq,
  maxSeq,
  useChat,
  type ChatError,
  type PendingMessage,
  type SocketStatus,
} from "@/stores/chat/messages";
export { chatConnection } from "@/stores/chat/socket";
