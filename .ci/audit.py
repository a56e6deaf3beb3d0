"""`make audit`: the installed Python packages against known vulnerabilities, with pip-audit.

Exits 1 when a package has a known vulnerability. When the vulnerability service cannot be
reached, or answers for none of the packages (e.g. behind a PyPI mirror without its JSON API),
it says so plainly and exits 0: that outcome tells nothing about our packages, and CI should not
go red over a network problem. Extra arguments go to pip-audit (e.g. --ignore-vuln ID).
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def run_pip_audit(report: Path) -> subprocess.CompletedProcess:
    command = [
        str(PIP_AUDIT),
        "--progress-spinner=off",
        "--skip-editable",  # the project itself is not on PyPI
        "--format=json",
        f"--output={report}",
        *sys.argv[1:],
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "pip-audit.json"
        result = run_pip_audit(report)
        text = report.read_text() if report.exists() else ""
    if not text.strip():
        print("pip-audit: NOT RUN - the vulnerability service could not be reached:")
        print("\n".join(result.stderr.strip().splitlines()[-3:]))
        return 0

    packages = json.loads(text)["dependencies"]
    audited = [p for p in packages if "skip_reason" not in p]
    vulnerable = [p for p in audited if p.get("vulns")]
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            print(f"{package['name']} {package['version']}: {vuln['id']} (fixed in {fixed})")
    count = sum(len(p["vulns"]) for p in vulnerable)
    print(f"pip-audit: {len(audited)} of {len(packages)} packages checked, {count} vulnerabilities")
    if not audited and packages:
        print("pip-audit: NOT RUN - the vulnerability service answered for none of the packages:")
        print(f"  {packages[0]['skip_reason']}")
    elif len(audited) < len(packages):
        skipped = ", ".join(p["name"] for p in packages if "skip_reason" in p)
        print(f"pip-audit: not checked: {skipped}")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
