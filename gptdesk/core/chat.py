"""One conversation being chatted in: what to send to the engine, and saving as the reply streams.

Qt-free: the window calls it on the GUI thread with each piece of text; it writes the growing
reply to the store at most every ``save_interval_s`` (one small SQLite update) and at the end,
so a crash or ``kill -9`` loses at most that much of a reply.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from gptdesk.core.engine import ChatMessage, GenerationStats
from gptdesk.core.store import Message, Store

SAVE_INTERVAL_S = 1.0


class ChatSession:
    """The active conversation: created on its first message, then saved as it grows."""

    def __init__(
        self,
        store: Store,
        conversation_id: int | None = None,
        save_interval_s: float = SAVE_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.save_interval_s = save_interval_s
        self._clock = clock
        self._reply: Message | None = None
        self._parts: list[str] = []
        self._saved_at = 0.0

    @classmethod
    def latest(cls, store: Store) -> ChatSession:
        """The most recently used conversation (a new one if there is none)."""
        recent = store.conversations()
        return cls(store, recent[0].id if recent else None)

    def history(self) -> list[Message]:
        """The active path, as the transcript shows it."""
        return self.store.active_path(self.conversation_id) if self.conversation_id else []

    def engine_messages(self) -> list[ChatMessage]:
        """System prompt plus the active path, without empty or unfinished replies."""
        if self.conversation_id is None:
            return []
        conv = self.store.conversation(self.conversation_id)
        messages = [ChatMessage("system", conv.system_prompt)] if conv.system_prompt else []
        for m in self.history():
            if m.content and m.role in ("user", "assistant"):
                messages.append(ChatMessage(m.role, m.content))  # type: ignore[arg-type]
        return messages

    def add_user_message(self, text: str) -> Message:
        if self.conversation_id is None:
            title = " ".join(text.split())[:60] or "New chat"
            self.conversation_id = self.store.create_conversation(title).id
        parent = self.store.conversation(self.conversation_id).active_leaf
        return self.store.add_message(self.conversation_id, "user", text, parent)

    def begin_reply(self) -> Message:
        assert self.conversation_id is not None, "add a user message first"
        parent = self.store.conversation(self.conversation_id).active_leaf
        self._reply = self.store.add_message(
            self.conversation_id, "assistant", "", parent, state="streaming"
        )
        self._parts = []
        self._saved_at = self._clock()
        return self._reply

    def append(self, text: str) -> None:
        """A piece of the streaming reply; saved when a second has passed since the last save."""
        if self._reply is None:
            return
        self._parts.append(text)
        now = self._clock()
        if now - self._saved_at >= self.save_interval_s:
            self.store.update_streaming(self._reply.id, "".join(self._parts))
            self._saved_at = now

    def finish(self, text: str, stats: GenerationStats | None, stopped: bool = False) -> None:
        """The reply is complete (or stopped by the user: kept, marked interrupted)."""
        if self._reply is None:
            return
        record: dict[str, Any] | None = asdict(stats) if stats is not None else None
        self.store.finish_message(
            self._reply.id, text, "interrupted" if stopped else "complete", record
        )
        self._reply = None

    def retract(self, user_message: Message) -> str:
        """Generation failed: remove the unanswered turn (the user's message and the empty
        reply) and return the text, which goes back to the composer so nothing is lost."""
        self.store.delete_message(user_message.id)
        self._reply = None
        return user_message.content
