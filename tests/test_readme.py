"""The README's demo output is what a real run prints (scripts/readme_demo.py writes it)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_readme_demo_output_is_current():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_demo.py"), "--check"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
