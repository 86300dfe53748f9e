"""`python -m devstack.audit`: pip-audit over both Python environments, honestly reported.

pip-audit needs a vulnerability service: OSV (api.osv.dev) or PyPI's per-release JSON API
(pypi.org/pypi/<name>/<version>/json). Where neither answers (a machine that reaches only a
package index mirror), pip-audit either fails to connect or skips every dependency as "not
found on PyPI" and still prints "No known vulnerabilities found". This module treats both as
"unavailable", never as a clean result.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

from devstack.processes import ROOT

SERVICES = ("osv", "pypi")
ENVIRONMENTS = {
    "app": ROOT / ".venv" / "lib" / "python3.11" / "site-packages",
    "rasa": ROOT / ".venv-rasa" / "lib" / "python3.10" / "site-packages",
}
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"


@dataclass
class AuditResult:
    """One environment's audit: `status` is "ok", "vulnerable" or "unavailable"."""

    environment: str
    status: str
    service: str | None = None
    audited: int = 0
    vulnerabilities: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def audit(environment: str, timeout: float = 600.0) -> AuditResult:
    """Try each vulnerability service in turn; the first that really answers decides."""
    site_packages = ENVIRONMENTS[environment]
    if not PIP_AUDIT.exists():
        return AuditResult(environment, "unavailable", reasons=["pip-audit is not installed"])
    reasons = []
    for service in SERVICES:
        try:
            completed = subprocess.run(  # noqa: S603 (fixed argv)
                [str(PIP_AUDIT), "--path", str(site_packages), "--vulnerability-service",
                 service, "--format", "json", "--progress-spinner", "off"],
                capture_output=True, text=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            reasons.append(f"{service}: no answer within {timeout:.0f} s")
            continue
        result = _read(environment, service, completed)
        if result.status != "unavailable":
            return result
        reasons += result.reasons
    return AuditResult(environment, "unavailable", reasons=reasons)


def _read(
    environment: str, service: str, completed: subprocess.CompletedProcess[str]
) -> AuditResult:
    try:
        report = json.loads(completed.stdout)
    except ValueError:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return AuditResult(environment, "unavailable", reasons=[f"{service}: {last[:300]}"])
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        example = dependencies[0].get("skip_reason", "") if dependencies else "nothing listed"
        return AuditResult(
            environment, "unavailable",
            reasons=[f"{service}: all {len(dependencies)} dependencies skipped, e.g. {example}"],
        )
    found = [
        {"name": d["name"], "version": d["version"], "id": v.get("id"),
         "fix_versions": v.get("fix_versions", [])}
        for d in audited for v in d.get("vulns", [])
    ]
    return AuditResult(environment, "vulnerable" if found else "ok", service, len(audited), found)


def main() -> int:
    worst = 0
    for environment in ENVIRONMENTS:
        result = audit(environment)
        print(f"{environment}: {result.status}"
              + (f" ({result.audited} packages via {result.service})" if result.service else ""))
        for reason in result.reasons:
            print(f"  {reason}")
        for vuln in result.vulnerabilities:
            print(f"  {vuln['name']} {vuln['version']}: {vuln['id']} fixed in "
                  f"{', '.join(map(str, vuln['fix_versions'])) or 'no release yet'}")
        worst = max(worst, {"ok": 0, "unavailable": 3, "vulnerable": 1}[result.status])
    return worst


if __name__ == "__main__":
    sys.exit(main())
