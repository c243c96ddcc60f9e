"""Faker providers: the one place that finds, checks and calls them.

A catalogue type may take its values from a Faker provider (``faker: city``,
``faker_args: {...}``). The loader checks the provider and its arguments while it reads the
file, so a mistake is one error naming the line; the catalogue calls the provider to fill
the type's value pool. Both go through these functions, so the two can never disagree on
what a provider is or how it is called. (Checks of what a provider returns belong here too.)
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from dialogsim._yaml import suggest

__all__ = ["is_provider_name", "new_faker", "provider", "call"]

# Faker attributes that are machinery, not value providers
_NOT_PROVIDERS = frozenset({"seed", "seed_instance", "seed_locale", "add_provider", "get_providers", "provider",
                            "format", "parse", "get_formatter", "set_formatter", "set_arguments",
                            "get_arguments", "del_arguments", "random", "locales", "weights", "factories",
                            "items", "unique", "optional"})


def is_provider_name(name: str) -> bool:
    """Whether ``name`` can name a value provider (not Faker's own machinery)."""
    return not name.startswith("_") and name not in _NOT_PROVIDERS


def new_faker(seed: int) -> Any:
    """A Faker seeded with ``seed``; Faker is slow to import, so only scenarios that use it pay."""
    from faker import Faker

    fake = Faker()
    fake.seed_instance(seed)
    return fake


def provider(fake: Any, name: str) -> Callable[..., Any]:
    """The provider ``name`` of ``fake``; ``ValueError`` (with a suggestion) when there is none."""
    func = getattr(fake, name, None) if is_provider_name(name) else None
    if not callable(func):
        raise ValueError(f"unknown Faker provider {name!r}{suggest(name, filter(is_provider_name, dir(fake)))}")
    return func


def call(func: Callable[..., Any], name: str, args: Mapping[str, Any]) -> Any:
    """One value from provider ``name``; ``ValueError`` carrying the provider's own complaint
    (the message an author needs) when it fails with these arguments."""
    try:
        return func(**args)
    except Exception as exc:
        raise ValueError(f"Faker provider {name!r} fails with these arguments: {type(exc).__name__}: {exc}") from None
