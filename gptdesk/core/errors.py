"""The project's error hierarchy: each error carries text a user can act on."""

from __future__ import annotations


class GptdeskError(Exception):
    """Base of every error gptdesk shows to a user; ``str(err)`` is the message to show."""


class ModelFileMissingError(GptdeskError):
    """The model file does not exist or cannot be read."""


class NotAGGUFError(GptdeskError):
    """The file is not a GGUF model."""


class InvalidModelError(NotAGGUFError):
    """A GGUF file whose metadata llama.cpp would refuse or crash on (a value of the wrong
    type, a layer count or epsilon out of range, no vocabulary): damaged, or made for a newer
    llama.cpp."""


class TruncatedModelError(GptdeskError):
    """The GGUF file is shorter than its own header says (an interrupted download or copy)."""


class UnsupportedArchitectureError(GptdeskError):
    """The model's architecture is not one this llama.cpp build can run."""


class InsufficientMemoryError(GptdeskError):
    """The model and its context would not fit in the memory that is free."""


class ModelLoadError(GptdeskError):
    """llama.cpp refused the model for another reason (its own log says why)."""


class ContextOverflowError(GptdeskError):
    """A prompt or single message does not fit into the context window."""


class ModelNotFoundError(GptdeskError):
    """No installed model matches the name the user gave."""


class GenerationError(GptdeskError):
    """llama.cpp failed while evaluating or generating."""


class RequestRejectedError(GenerationError):
    """The request itself cannot be run as asked (e.g. a JSON schema llama.cpp's grammar
    converter does not handle): the asker must change it, retrying will not help."""


class EngineCrashedError(GptdeskError):
    """The engine host process died (a signal, an abort in native code, out of memory) or was
    ended because a chat template or a load ran too long. ``during`` is "load" or "reply"."""

    def __init__(self, message: str, *, during: str = "reply", detail: str = "") -> None:
        super().__init__(message)
        self.during = during
        self.detail = detail


class StoreError(GptdeskError):
    """The conversation database could not be used."""


class StorageError(StoreError):
    """The disk refused a read or write of gptdesk's data (``storage.storage_error`` decides
    which kind from SQLite's error code or the OS errno)."""


class StorageFullError(StorageError):
    """The disk (or the user's quota) is full: nothing more can be written until space is freed."""


class ReadOnlyStorageError(StorageError):
    """The data folder or database file cannot be written (read-only disk or permissions)."""


class StorageIOError(StorageError):
    """The disk reported an input/output error (failing, removed or network storage)."""


class DocumentIndexError(StoreError):
    """The document index (the searchable copy of the user's documents) cannot be used as
    asked: a damaged file, an unknown collection, a path that was never added."""
