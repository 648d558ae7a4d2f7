"""Reading ahead: a pandas-free read run on a thread of its own (its own connection) while the caller imports pandas;
result() waits for it and returns its value, or raises its error in the caller."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


class Ahead(Generic[T]):
    """`read(*args)` started on a thread now."""

    def __init__(self, read: Callable[..., T], *args: Any, name: str = "stats-ahead"):
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(read, args), name=name, daemon=True)
        self._thread.start()

    def _run(self, read: Callable[..., T], args: tuple) -> None:
        try:
            self._value = read(*args)
        except BaseException as exc:   # handed to the caller by result()
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return cast(T, self._value)   # set: no error was raised
