"""One conversation being chatted in: what to send to the engine, and saving as the reply streams.

Qt-free: the window calls it on the GUI thread with each piece of text and, from a timer,
``save_due``; whatever arrived ``save_interval_s`` ago or earlier is on disk (one small SQLite
update per save), also while generation pauses, and the whole reply at the end, so a crash or
``kill -9`` loses at most that much of a reply. When the disk refuses a write (full, read-only),
the text stays in memory, the refusal is raised once per try as a ``StorageError``, and the
write is tried again a ``save_interval_s`` later until it succeeds; nothing is dropped.

A reply starts in one of four ways, each returning what to send to the engine:
``send`` (a new user message), ``regenerate`` (another version of a reply), ``edit`` (another
version of a user message, then a reply) and ``continue_reply`` (the rest of a cut-off reply).
``finish`` saves the outcome; ``fail`` undoes the start so the conversation is as it was and
the user's text is handed back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from gptdesk.core.chat.presets import Presets, load_presets, sampling_params
from gptdesk.core.errors import StorageError, StoreError
from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import ChatMessage, GenerationStats, SamplingParams
from gptdesk.core.storage.store import Message, MessageState, Store

SAVE_INTERVAL_S = 1.0

ReplyKind = Literal["send", "regenerate", "edit", "continue"]


@dataclass(frozen=True)
class Turn:
    """A message as the chat shows it: its versions and whether it can be continued."""

    message: Message
    version: int = 1
    versions: int = 1
    can_continue: bool = False


@dataclass(frozen=True)
class ReplyPlan:
    """What to ask the engine for: ``messages`` (system prompt first) and whether the last one
    is a cut-off reply to continue."""

    messages: list[ChatMessage]
    continue_last: bool = False


@dataclass
class _Pending:
    kind: ReplyKind
    reply: Message
    prefix: str = ""  # text the reply already had (Continue)
    user: Message | None = None  # the user message this start added (send, edit)
    previous: int | None = None  # the version to go back to on failure (regenerate, edit)
    old_stats: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Final:
    """A finished reply that the disk has not taken yet."""

    content: str
    state: MessageState
    stats: dict[str, Any] | None


class ChatSession:
    """The active conversation: created on its first message, then saved as it grows."""

    def __init__(
        self,
        store: Store,
        conversation_id: int | None = None,
        save_interval_s: float = SAVE_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
        presets: Presets | None = None,
    ) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.save_interval_s = save_interval_s
        self._clock = clock
        self.presets = presets or load_presets()
        self._pending: _Pending | None = None
        self._parts: list[str] = []
        self._unsaved_since: float | None = None  # when the oldest piece not on disk came
        self._retry_at = 0.0  # after a refused write: no new try before this
        self._final: _Final | None = None
        # Settings chosen before the first message, when there is no conversation row yet.
        self._draft_system = ""
        self._draft_params: dict[str, Any] = self.presets.default_params()

    @classmethod
    def latest(cls, store: Store, presets: Presets | None = None) -> ChatSession:
        """The most recently used conversation (a new one if there is none)."""
        recent = store.conversations()
        return cls(store, recent[0].id if recent else None, presets=presets)

    # ------------------------------------------------------------------ settings

    @property
    def title(self) -> str:
        if self.conversation_id is None:
            return translate("chat", "New chat")
        return self.store.conversation(self.conversation_id).title

    @property
    def system_prompt(self) -> str:
        if self.conversation_id is None:
            return self._draft_system
        return self.store.conversation(self.conversation_id).system_prompt

    @property
    def params(self) -> dict[str, Any]:
        """The stored sampling values (and the preset id they came from, if any)."""
        if self.conversation_id is None:
            return dict(self._draft_params)
        stored = self.store.conversation(self.conversation_id).params
        return stored or self.presets.default_params()

    def sampling(self) -> SamplingParams:
        """SamplingParams for the next reply; stored values that are out of range are ignored
        (the conversation may come from an import)."""
        try:
            return sampling_params(self.params)
        except ValueError:
            return sampling_params(self.presets.default_params())

    def set_system_prompt(self, text: str) -> None:
        if self.conversation_id is None:
            self._draft_system = text
        else:
            self.store.update_conversation(self.conversation_id, system_prompt=text)

    def set_params(self, values: dict[str, Any]) -> None:
        """Store sampling values; raises ValueError (naming the setting) if one is invalid."""
        sampling_params(values)
        if self.conversation_id is None:
            self._draft_params = dict(values)
        else:
            self.store.update_conversation(self.conversation_id, params=dict(values))

    # ------------------------------------------------------------------ reading

    def history(self) -> list[Message]:
        """The active path, as the transcript shows it."""
        return self.store.active_path(self.conversation_id) if self.conversation_id else []

    def turns(self) -> list[Turn]:
        """The active path with each message's versions (two queries in all)."""
        if self.conversation_id is None:
            return []
        versions = self.store.versions(self.conversation_id)
        path = self.history()
        last = path[-1].id if path else None
        return [
            Turn(m, *versions.get(m.id, (1, 1)), can_continue=m.id == last and can_continue(m))
            for m in path
        ]

    def engine_messages(self, upto: Message | None = None) -> list[ChatMessage]:
        """System prompt plus the active path (up to ``upto``), without empty replies."""
        if self.conversation_id is None:
            return []
        system = self.system_prompt
        messages = [ChatMessage("system", system)] if system else []
        for m in self.history():
            if m.content and m.role in ("user", "assistant"):
                messages.append(ChatMessage(m.role, m.content))  # type: ignore[arg-type]
            if upto is not None and m.id == upto.id:
                break
        return messages

    @property
    def busy(self) -> bool:
        """A reply is being written (streaming; a finished reply waiting for the disk is not)."""
        return self._pending is not None and self._final is None

    @property
    def unsaved(self) -> bool:
        """Some of the reply is in memory only (not yet due, or refused by the disk)."""
        return self._pending is not None and (
            self._final is not None or self._unsaved_since is not None
        )

    @property
    def streamed(self) -> bool:
        """Text of the reply being written has arrived from the engine."""
        return self._pending is not None and any(self._parts)

    @property
    def reply_text(self) -> str:
        """The whole text of the reply being written or waiting to be saved ("" if none)."""
        if self._pending is None:
            return ""
        if self._final is not None:
            return self._final.content
        return self._pending.prefix + "".join(self._parts)

    # ------------------------------------------------------------------ starting a reply

    def send(self, text: str) -> ReplyPlan:
        """A new user message and an empty streaming reply under it."""
        self._settle()
        user = self.add_user_message(text)
        plan = ReplyPlan(self.engine_messages())
        self._start("send", user.id, user=user)
        return plan

    def add_user_message(self, text: str) -> Message:
        if self.conversation_id is None:
            title = " ".join(text.split())[:60] or translate("chat", "New chat")
            self.conversation_id = self.store.create_conversation(
                title, self._draft_system, self._draft_params
            ).id
        parent = self.store.conversation(self.conversation_id).active_leaf
        return self.store.add_message(self.conversation_id, "user", text, parent)

    def regenerate(self, reply_id: int) -> ReplyPlan:
        """Another version of the assistant reply ``reply_id``; the old one is kept."""
        reply = self._own(reply_id, "assistant")
        if reply.parent_id is None:
            raise ValueError("this reply answers nothing")
        parent = self.store.message(reply.parent_id)
        self.store.set_active_leaf(parent.id)  # the path now ends at the question
        plan = ReplyPlan(self.engine_messages(upto=parent))
        self._start("regenerate", parent.id, previous=reply.id)
        return plan

    def edit(self, message_id: int, text: str) -> ReplyPlan:
        """A new version of user message ``message_id`` with ``text``, then a reply to it."""
        old = self._own(message_id, "user")
        assert self.conversation_id is not None
        user = self.store.add_message(self.conversation_id, "user", text, old.parent_id)
        plan = ReplyPlan(self.engine_messages(upto=user))
        self._start("edit", user.id, user=user, previous=old.id)
        return plan

    def continue_reply(self, reply_id: int) -> ReplyPlan:
        """Go on writing the cut-off reply ``reply_id`` (the last message on the path)."""
        self._settle()
        reply = self._own(reply_id, "assistant")
        path = self.history()
        if not path or path[-1].id != reply_id:
            raise ValueError(translate("chat", "only the last reply can be continued"))
        # An empty reply has nothing to continue from: engine_messages leaves it out, and this
        # is an ordinary reply to the question before it.
        plan = ReplyPlan(self.engine_messages(), continue_last=bool(reply.content))
        streaming = self.store.reopen_streaming(reply_id)
        self._pending = _Pending(
            "continue", streaming, prefix=reply.content, old_stats=reply.stats
        )
        self._reset_saving()
        return plan

    def _settle(self) -> None:
        """Save a finished reply the disk refused before (raises StorageError if it still
        does): the next turn goes after it."""
        if self._final is not None:
            self.flush()

    def _own(self, message_id: int, role: str) -> Message:
        self._settle()
        message = self.store.message(message_id)
        if message.conversation_id != self.conversation_id or message.role != role:
            raise ValueError(f"message {message_id} is not a {role} message of this chat")
        if self._pending is not None:
            raise ValueError(translate("chat", "a reply is still being written"))
        return message

    def _start(
        self,
        kind: ReplyKind,
        parent_id: int,
        user: Message | None = None,
        previous: int | None = None,
    ) -> None:
        assert self.conversation_id is not None
        reply = self.store.add_message(
            self.conversation_id, "assistant", "", parent_id, state="streaming"
        )
        self._pending = _Pending(kind, reply, user=user, previous=previous)
        self._reset_saving()

    def _reset_saving(self) -> None:
        self._parts = []
        self._unsaved_since = None
        self._retry_at = 0.0
        self._final = None

    def begin_reply(self) -> Message:
        """An empty streaming reply under the active leaf (after ``add_user_message``)."""
        assert self.conversation_id is not None, "add a user message first"
        self._settle()
        parent = self.store.conversation(self.conversation_id).active_leaf
        assert parent is not None
        self._start("send", parent, user=self.store.message(parent))
        assert self._pending is not None
        return self._pending.reply

    @property
    def reply(self) -> Message | None:
        """The reply being written (with its text from before this start, for Continue)."""
        return self._pending.reply if self._pending else None

    # ------------------------------------------------------------------ while and after

    def append(self, text: str) -> None:
        """A piece of the streaming reply: kept in memory, and the reply is written once its
        oldest unsaved piece is ``save_interval_s`` old (here or from ``save_due``). Raises
        StorageError when that write is refused; the text stays and is tried again later."""
        if self._pending is None or self._final is not None:
            return
        self._parts.append(text)
        if self._unsaved_since is None:
            self._unsaved_since = self._clock()
        self.save_due()

    def save_due_in(self) -> float | None:
        """Seconds until ``save_due`` has something to write (0: now); None: nothing waits."""
        if self._pending is None:
            return None
        if self._final is not None:
            due = self._retry_at
        elif self._unsaved_since is not None:
            due = max(self._retry_at, self._unsaved_since + self.save_interval_s)
        else:
            return None
        return max(0.0, due - self._clock())

    def save_due(self) -> bool:
        """Write the reply if it is due (a timer calls this, so a pause in generation does not
        leave text unsaved). True if something was written; raises StorageError as ``flush``."""
        wait = self.save_due_in()
        if wait is None or wait > 0:
            return False
        self.flush()
        return True

    def flush(self) -> Message | None:
        """Write what is in memory only, now: the growing text, or the finished reply (then
        returned, and the session is free for the next one). Raises StorageError when the disk
        refuses: everything stays in memory and the next try is due a ``save_interval_s`` later.
        """
        pending = self._pending
        if pending is None:
            return None
        try:
            if self._final is not None:
                final = self._final
                message = self.store.finish_message(
                    pending.reply.id, final.content, final.state, final.stats
                )
                self._pending = None
                self._reset_saving()
                return message
            if self._unsaved_since is not None:
                text = "".join(self._parts)
                self._parts = [text]  # joined once per save, not once per piece
                self.store.update_streaming(pending.reply.id, pending.prefix + text)
                self._unsaved_since = None
        except StorageError:
            self._retry_at = self._clock() + self.save_interval_s
            raise
        except StoreError:  # the reply is gone (its conversation was deleted): nothing to keep
            self._pending = None
            self._reset_saving()
            raise
        self._retry_at = 0.0
        return None

    def finish(
        self, text: str, stats: GenerationStats | None, stopped: bool = False
    ) -> Message | None:
        """The reply is complete (or stopped by the user: kept, marked interrupted) and is
        written now. If the disk refuses, StorageError is raised and the reply is kept in
        memory: ``save_due``/``flush`` write it later (``busy`` is False meanwhile)."""
        pending = self._pending
        if pending is None:
            return None
        record: dict[str, Any] | None = asdict(stats) if stats is not None else None
        self._final = _Final(
            pending.prefix + text, "interrupted" if stopped else "complete", record
        )
        self._retry_at = 0.0
        return self.flush()

    def interrupt(self) -> Message | None:
        """Save the reply being written as it stands, marked interrupted (the window moves
        to another conversation or closes before the engine confirmed Stop). Raises
        StorageError as ``finish``."""
        if self._pending is None:
            return None
        if self._final is not None:
            return self.flush()
        return self.finish("".join(self._parts), None, stopped=True)

    def fail(self) -> str | None:
        """Generation failed: undo the start, so the conversation is as it was. Returns the
        text the user wrote for this turn (to put back in the composer), if any."""
        pending = self._pending
        if pending is None:
            return None
        self._pending = None
        if pending.kind == "continue":
            self.store.finish_message(
                pending.reply.id, pending.prefix, "interrupted", pending.old_stats
            )
            return None
        if pending.user is not None:
            self.store.delete_message(pending.user.id)  # and the empty reply under it
        else:
            self.store.delete_message(pending.reply.id)
        if pending.previous is not None:
            self.store.switch_to(pending.previous)
        return pending.user.content if pending.user is not None else None

    def retract(self, user_message: Message) -> str:
        """Generation of the reply to ``user_message`` failed: see ``fail``."""
        text = self.fail()
        return text if text is not None else user_message.content

    def switch_version(self, message_id: int, step: int) -> bool:
        """Show the previous (``step`` -1) or next (+1) version of ``message_id``; False at
        either end."""
        if self._pending is not None:
            return False
        branch = self.store.branch(message_id)
        target = branch.index - 1 + step
        if not 0 <= target < branch.count:
            return False
        self.store.switch_to(branch.sibling_ids[target])
        return True


def can_continue(message: Message) -> bool:
    """An assistant reply that was cut off: stopped, interrupted by a crash, or out of tokens."""
    if message.role != "assistant":
        return False
    if message.state == "interrupted":
        return True
    return bool(message.stats and message.stats.get("stop_reason") == "length")
