"""Redact every log record of the action server (issue 22, finding 3; docs/privacy.md).

The action server logs codes, not message text, but exceptions (`logger.exception`, rasa-sdk's
`logger.error(e)`) can quote what a person typed. Importing this module (actions/__init__.py
does) installs core.log_redaction for the whole process.
"""

from __future__ import annotations

from core.log_redaction import install_log_redaction

install_log_redaction()
