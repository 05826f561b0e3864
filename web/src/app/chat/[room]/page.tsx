"use client";

import { useParams } from "next/navigation";
import { RoomView } from "@/components/chat/room-view";

export default function Page() {
  const { room } = useParams<{ room: string }>();
  return <RoomView key={room} uuid={room} />;
}
