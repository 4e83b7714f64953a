"""`make run` installs what the pages need (espeak-ng, libcairo2) when apt-get is usable,
and otherwise says so in one line and carries on (issue 15). The script is run with stand-in
commands: a dpkg-query that finds nothing installed, and a fake or missing apt-get."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "install-system-deps.sh"


def _stub(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"#!/usr/bin/env bash\n{body}\n")
    path.chmod(0o755)
    return path


def run(tmp_path: Path, apt_get: str, *args: str) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    _stub(bin_dir, "dpkg-query", "exit 1")  # nothing is installed
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PORTAL_APT_GET": apt_get}
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True,
                          env=env, timeout=30, check=False)


def test_without_apt_get_make_run_says_so_in_one_line_and_carries_on(tmp_path):
    result = run(tmp_path, str(tmp_path / "no-such-apt-get"), "--for-run")
    assert result.returncode == 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "espeak-ng libcairo2" in lines[0] and "without speech" in lines[0]


@pytest.mark.skipif(os.geteuid() != 0, reason="the script uses apt-get directly only as root")
def test_with_apt_get_make_run_installs_speech_and_cairo(tmp_path):
    log = tmp_path / "apt.log"
    apt = _stub(tmp_path, "fake-apt-get", f'echo "$@" >> {log}')
    result = run(tmp_path, str(apt), "--for-run")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[0].startswith("update")
    assert calls[1] == "install -y -qq --no-install-recommends espeak-ng libcairo2"


@pytest.mark.skipif(os.geteuid() != 0, reason="the script uses apt-get directly only as root")
def test_a_failing_apt_get_does_not_stop_make_run(tmp_path):
    apt = _stub(tmp_path, "broken-apt-get", "exit 100")
    result = run(tmp_path, str(apt), "--for-run")
    assert result.returncode == 0
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_installs_first_and_sends_people_to_localhost():
    plan = subprocess.run(["make", "--no-print-directory", "-n", "run"], cwd=ROOT,
                          capture_output=True, text=True, timeout=30,
                          check=True).stdout.splitlines()
    assert plan[0] == "./scripts/install-system-deps.sh --for-run"
    assert any("http://localhost:5000/" in line for line in plan if line.startswith("echo"))
    serve = next(line for line in plan if "gunicorn" in line)
    assert "PORTAL_BASE_URL" in serve and "http://localhost:5000" in serve
