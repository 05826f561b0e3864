"""Hooks: how a write in one app causes work in apps above it, with arrows pointing one way.

An app that owns a write declares what happened as a ``Hook`` with a typed payload in its own
``hooks.py`` (``posts.hooks.post_saved``) and calls ``hook.send(payload)`` from the service, inside
the service's transaction. Apps above it (search, notifications, ...) connect their receivers
once, in ``AppConfig.ready()``, from a ``receivers.py`` module that lists everything the app
reacts to. The owner never imports the apps that react, so the import graph stays acyclic.

Receivers run synchronously, in the order they were connected, inside the sender's transaction:
a notification is stored atomically with the like that caused it, and a receiver that leaves the
database (a job, a socket event) defers that part with ``transaction.on_commit`` itself. A
receiver that raises makes the whole write fail, as any other code in the service would; there is
no "best effort" swallowing here.

Unlike Django signals there is no sender filtering, no weak references and no ``**kwargs``: a
hook has one payload type, ``mypy`` checks it at both ends, and ``hooks.registry()`` lists every
connection (docs/architecture.md lists them; the architecture test reads them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

P = TypeVar("P")

_ALL: list[Hook[object]] = []


@dataclass(eq=False)
class Hook(Generic[P]):
    """A named point where the owning app announces ``P``; receivers connect at start-up."""

    name: str
    doc: str = ""
    receivers: list[Callable[[P], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        _ALL.append(self)  # type: ignore[arg-type]

    def connect(self, receiver: Callable[[P], None]) -> Callable[[P], None]:
        """Add ``receiver`` (idempotent, so a second ``ready()`` does not double it)."""
        if receiver not in self.receivers:
            self.receivers.append(receiver)
        return receiver

    def send(self, payload: P) -> None:
        """Call every receiver with ``payload``, in connection order."""
        for receiver in self.receivers:
            receiver(payload)


def registry() -> dict[str, list[str]]:
    """Every hook by name, with the dotted names of its receivers (for docs and tests)."""
    return {
        hook.name: [f"{r.__module__}.{r.__qualname__}" for r in hook.receivers] for hook in _ALL
    }
