"""Log records as JSON lines."""

import json
import logging
import sys

from core.jsonlog import JsonFormatter


def line_for(record: logging.LogRecord) -> dict:
    return json.loads(JsonFormatter().format(record))


def test_a_record_is_one_json_object_with_its_extras_and_korean_kept():
    record = logging.makeLogRecord(
        {
            "name": "newsroom.security",
            "levelname": "WARNING",
            "msg": "로그인 실패: %s",
            "args": ("editor",),
            "status_code": 403,
        }
    )
    formatted = JsonFormatter().format(record)
    assert "\n" not in formatted
    assert "로그인 실패: editor" in formatted
    entry = json.loads(formatted)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "newsroom.security"
    assert entry["status_code"] == 403
    assert entry["time"].endswith("+00:00")


def test_a_traceback_travels_as_one_field():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.getLogger("t").makeRecord(
            "t", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info()
        )
    entry = line_for(record)
    assert "ValueError: broken" in entry["exception"]
