"""System checks: say clearly what is missing instead of printing empty boxes later."""

import shutil
import subprocess

from django.core.checks import Warning, register


@register()
def cjk_font_installed(app_configs, **kwargs):
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    if out.strip():
        return []
    return [
        Warning(
            "No Chinese (CJK) font is installed: PDF documents would show empty boxes.",
            hint="Install Debian's fonts-noto-cjk package (apt-get install fonts-noto-cjk).",
            id="gugan.W001",
        )
    ]
