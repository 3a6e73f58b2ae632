"""The URL conf as data: every pattern with its full name, route and (unwrapped) view,
and every django-ninja API it mounts. Used by the API completeness test and the fuzzers,
so a new URL or a new API is covered (or flagged) without editing a list of paths."""

import functools
import inspect
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from ninja import NinjaAPI


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "" for an unnamed pattern
    route: str  # the concatenated pattern text
    view: object  # the callback without decorators (functools.wraps chains unwrapped)
    plugin_label: str | None  # set when the plugin gate wraps it (program-scoped)


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = (entry.namespace,) if entry.namespace else ()
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), namespaces + namespace)
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else ""
            label = getattr(entry.callback, "plugin_label", None)
            yield Route(name, prefix + str(entry.pattern), inspect.unwrap(entry.callback), label)


def routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def ninja_api_of(view) -> NinjaAPI | None:
    """The API a ninja view belongs to (operations and its openapi/docs views)."""
    if isinstance(view, functools.partial) and isinstance(view.keywords.get("api"), NinjaAPI):
        return view.keywords["api"]
    return None


def is_ninja_view(view) -> bool:
    """A ninja operation (PathView wrapper) or one of ninja's own schema/docs views."""
    if ninja_api_of(view) is not None:
        return True
    qualname = getattr(view, "__qualname__", "")
    return getattr(view, "__module__", "") == "ninja.operation" and qualname.startswith("PathView.get_view")


@dataclass(frozen=True)
class MountedAPI:
    api: NinjaAPI
    schema_url_name: str  # reverse() name of its openapi.json
    plugin_label: str | None  # program-scoped: reverse with program_path


def mounted_apis() -> list[MountedAPI]:
    found = {}
    for route in routes():
        api = ninja_api_of(route.view)
        if api is not None and route.name.endswith("openapi-json"):
            found[route.name] = MountedAPI(api, route.name, route.plugin_label)
    return sorted(found.values(), key=lambda m: (m.plugin_label or "", m.schema_url_name))
