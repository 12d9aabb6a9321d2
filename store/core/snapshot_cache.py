"""One cache for values computed from a published snapshot: counts, indexes, statistics.

A snapshot never changes, so whatever is computed from one stays true until the next publish. The
decorated function runs on a view pinned to the snapshot published when it is called (`Store.pinned`), and
its result is kept under the store's folder, that snapshot's version and the other arguments: the value
and its key always describe the same snapshot, and a publish makes the next call compute afresh.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from store.core.triplestore import Store

P = ParamSpec("P")
R = TypeVar("R")


def per_snapshot(maxsize: int) -> Callable[[Callable[Concatenate[Store, P], R]],
                                           Callable[Concatenate[Store, P], R]]:
    """Cache `function(store, ...)` per store, snapshot and arguments, keeping the `maxsize` latest results.

    The other arguments must be hashable. Two calls for the same new snapshot may both compute it once.
    """

    def decorate(function: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
        cache: OrderedDict[tuple[Path, str | None, Hashable], R] = OrderedDict()
        lock = threading.Lock()

        def cached(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
            view = store.pinned()
            key = (view.path, view.version, (args, tuple(sorted(kwargs.items()))))
            with lock:
                if key in cache:
                    cache.move_to_end(key)
                    return cache[key]
            value = function(view, *args, **kwargs)
            with lock:
                cache[key] = value
                while len(cache) > maxsize:
                    cache.popitem(last=False)
            return value

        functools.update_wrapper(cached, function)  # name and docstring (not as a decorator: mypy loses P)
        return cached

    return decorate
