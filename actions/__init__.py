from actions import logging_filter as _logging_filter  # noqa: F401  (redacts all logs)
