"""Log records as JSON lines, for log collectors (NEWSROOM_LOG_FORMAT=json).

One object a line: time (UTC, ISO 8601), level, logger, message, and what
the record carries besides (a request's method, path and status from
django.request, a task's id), with the traceback as one string. Non-ASCII
text stays as it is: Korean and Japanese messages are read as written.
"""

import json
import logging
from datetime import UTC, datetime

# LogRecord's own attributes: everything else on a record was passed in `extra`.
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        for name, value in vars(record).items():
            if name not in STANDARD and name not in {"request", "server_time"}:
                entry[name] = value if _plain(value) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _plain(value: object) -> bool:
    return isinstance(value, str | int | float | bool) or value is None
