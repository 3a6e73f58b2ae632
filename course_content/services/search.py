"""Chinese-aware full-text search on top of Wagtail's database backend.

SQLite FTS5 and PostgreSQL split words at spaces and punctuation, so a Chinese
paragraph is indexed as a few very long "words" and searching 节约能源法 inside
中华人民共和国节约能源法 finds nothing. Content pages therefore also index their text as
overlapping character bigrams (``cjk_terms``), and this backend adds the bigrams of a
Chinese query (all of them required) as an alternative to the query as typed. Queries
without Chinese characters are passed through unchanged, so other apps' search is not
affected.

Enable with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "course_content.services.search"}}``.
"""

import re

from modelsearch.query import PlainText

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping bigrams of every run of Chinese characters (a lone character stays)."""
    grams = []
    for run in CJK_RUN.findall(text or ""):
        if len(run) == 1:
            grams.append(run)
        else:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def cjk_index_text(*texts: str) -> str:
    return " ".join(gram for text in texts for gram in cjk_bigrams(text))


def _cjk_query(query, operator):
    """``query`` (a string, or the PlainText the admin's query parser makes) plus, when it
    contains Chinese, the alternative "all of its bigrams"."""
    if isinstance(query, PlainText):
        text, operator = query.query_string, query.operator
    elif isinstance(query, str):
        text = query
    else:
        return query, operator
    if not CJK_RUN.search(text):
        return query, operator
    grams = list(dict.fromkeys(cjk_bigrams(text)))
    return PlainText(text, operator=operator or "or") | PlainText(" ".join(grams), operator="and"), None


class ChineseQueryMixin:
    def search(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        query, operator = _cjk_query(query, operator)
        return super().search(query, model_or_queryset, fields=fields, operator=operator, order_by_relevance=order_by_relevance)

    def autocomplete(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        query, operator = _cjk_query(query, operator)
        return super().autocomplete(query, model_or_queryset, fields=fields, operator=operator, order_by_relevance=order_by_relevance)


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    from wagtail.search.backends.database import SearchBackend as database_backend

    backend = database_backend(params)
    chinese = type(f"Chinese{type(backend).__name__}", (ChineseQueryMixin, type(backend)), {})
    return chinese(params)
