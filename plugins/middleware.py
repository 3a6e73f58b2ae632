"""``HotPathMiddleware``: the exam autosave and the few other hot paths a plugin declares,
served without the middleware they do not need (``plugins/services/hot_paths.py`` says which
paths, where this sits in ``MIDDLEWARE`` and what stays the same)."""

from .services.hot_paths import PREFIX, resolve_hot_path


class HotPathMiddleware:
    """Serve a hot path's view directly (see ``plugins.services.hot_paths``); everything
    else passes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PREFIX):
            match = resolve_hot_path(path)
            if match is not None:
                request.resolver_match = match
                return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
