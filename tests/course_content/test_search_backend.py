from modelsearch.query import Or, PlainText

from course_content.services.search import _cjk_query, cjk_bigrams, cjk_index_text


def test_bigrams_of_chinese_runs():
    assert cjk_bigrams("节约能源法") == ["节约", "约能", "能源", "源法"]
    assert cjk_bigrams("第3章 节") == ["第", "章", "节"]
    assert cjk_index_text("能源 ABC", "法") == "能源 法"


def test_non_chinese_queries_pass_through_unchanged():
    assert _cjk_query("energy law", None) == ("energy law", None)
    plain = PlainText("energy", operator="and")
    assert _cjk_query(plain, None) == (plain, "and")


def test_chinese_query_adds_the_all_bigrams_alternative():
    query, operator = _cjk_query(PlainText("节约能源法", operator="and"), None)
    assert isinstance(query, Or) and operator is None
    alternatives = {q.query_string: q.operator for q in query.subqueries}
    assert alternatives == {"节约能源法": "and", "节约 约能 能源 源法": "and"}
