"""The rules (eligibility, delegates, register CSV) are pure: importing them loads no Django."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_member_rules_never_import_django() -> None:
    code = (
        "import sys, grassroots.members.eligibility, grassroots.members.delegates, "
        "grassroots.members.csvio; print('django' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"
