from django.utils.html import strip_tags
from wagtail.search import index

from ..services.search import cjk_index_text


class ChineseSearchable:
    """Content pages index their title and text as Chinese bigrams too (see ``course_content.services.search``)."""

    def cjk_source_texts(self) -> list[str]:
        texts = [self.title, getattr(self, "summary", ""), getattr(self, "intro", "")]
        body = getattr(self, "body", None)
        if body is not None:
            texts.append(strip_tags(str(body)))
        return [str(text) for text in texts if text]

    def cjk_terms(self) -> str:
        return cjk_index_text(*self.cjk_source_texts())


CJK_SEARCH_FIELDS = [index.SearchField("cjk_terms"), index.AutocompleteField("cjk_terms")]
