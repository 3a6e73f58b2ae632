"""The question form edits options one per line ("A. text"), stored as the JSON list."""

import json

from exam_plugin.forms import OptionLinesWidget

OPTIONS = [{"key": "A", "text": "太阳能发电"}, {"key": "B", "text": "风电"}]


def test_options_are_shown_one_per_line():
    widget = OptionLinesWidget()
    assert widget.format_value(json.dumps(OPTIONS, ensure_ascii=False)) == "A. 太阳能发电\nB. 风电"
    assert widget.format_value("[1, 2]") == "[1, 2]"  # not options: shown as the JSON it is


def test_lines_become_the_json_list():
    widget = OptionLinesWidget()
    text = "A. 太阳能发电\r\nB、风电\n\n水电\n"
    value = json.loads(widget.value_from_datadict({"options": text}, {}, "options"))
    assert value == [*OPTIONS, {"key": "C", "text": "水电"}]
    assert json.loads(widget.value_from_datadict({"options": ""}, {}, "options")) == []
    assert (
        widget.value_from_datadict({"options": '[{"key": "A"}]'}, {}, "options") == '[{"key": "A"}]'
    )
