"""Every Chinese text we ship speaks in one tone and with Chinese punctuation (issue 15):
the polite 您 (never 你), and full-width punctuation next to Chinese characters — ``，。：；？！（）``,
not ``, . : ; ? ! ( )``. The one exception is the time-format notation 时:分(:秒), written
as clocks show it.

Every zh_Hans catalogue in the tree is read (a new app's catalogue is covered without
touching this test)."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", ".git"}
HAN = r"[\u4e00-\u9fff]"
# ASCII punctuation right after or (opening ones) right before a Chinese character.
ASCII_NEXT_TO_HAN = re.compile(rf"{HAN}[,.:;?!()]|[,:;?!(]{HAN}")
TIME_NOTATION = re.compile(r"时:分(:秒)?")


def catalogues() -> list[Path]:
    return sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
                  if not SKIP & set(p.relative_to(ROOT).parts))


def style_problems(text: str) -> list[str]:
    problems = []
    if "你" in text:
        problems.append("你 instead of 您")
    found = ASCII_NEXT_TO_HAN.search(TIME_NOTATION.sub("", text))
    if found:
        problems.append(f"ASCII punctuation in Chinese text: {found.group()!r}")
    return problems


def test_the_checker_sees_tone_and_punctuation():
    assert style_problems("请您稍后再试。") == []
    assert style_problems("考试开始（时:分）") == []
    assert style_problems("你好") == ["你 instead of 您"]
    assert style_problems("已保存.") and style_problems("答案:A") and style_problems("说明(草稿)")
    assert style_problems("ID (身份证)") and style_problems("已保存，请继续?")


def test_every_catalogue_of_ours_is_found():
    found = {p.relative_to(ROOT).parts[0] for p in catalogues()}
    assert {"cms_site", "course_content", "plugins", "packs", "exam_plugin", "proctor_plugin", "cert_plugin"} <= found


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: str(p.relative_to(ROOT).parent.parent.parent.parent))
def test_chinese_translations_use_one_tone_and_chinese_punctuation(path):
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    problems = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            problems += [f"{message.id!r} → {text!r}: {p}" for p in style_problems(text)]
    assert problems == [], "\n".join(problems)
