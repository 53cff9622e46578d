"""`make demo` installs the Debian packages through scripts/install-system-deps.sh: when another
package manager holds apt's lock it waits, saying so, and after the limit explains what to do
(issue 15, §4). A stand-in apt-get and dpkg-query on PATH play the package manager."""

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "install-system-deps.sh"

FAKE_APT = """#!/usr/bin/env bash
n=$(cat "$STATE/calls" 2>/dev/null || echo 0); echo $((n + 1)) > "$STATE/calls"
if [ "$n" -lt "$LOCKED_CALLS" ]; then
  echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)" >&2
  echo "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?" >&2
  exit 100
fi
echo "$*" >> "$STATE/ran"
"""


@pytest.fixture
def fake_debian(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in {
        "apt-get": FAKE_APT,
        "dpkg-query": "#!/usr/bin/env bash\nexit 1\n",  # nothing is installed
        "sudo": '#!/usr/bin/env bash\nexec "$@"\n',
    }.items():
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)

    def run(locked_calls: int, wait_s: int):
        env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "STATE": str(tmp_path),
            "LOCKED_CALLS": str(locked_calls),
            "GONGKAI_APT_LOCK_WAIT": str(wait_s),
            "GONGKAI_APT_LOCK_POLL": "1",
        }
        return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)

    return run, tmp_path


def test_a_held_lock_is_waited_for_and_the_install_goes_on(fake_debian):
    run, state = fake_debian
    done = run(locked_calls=2, wait_s=30)
    assert done.returncode == 0, done.stderr
    assert "waiting up to 30s" in done.stderr and "GONGKAI_APT_LOCK_WAIT" in done.stderr
    ran = (state / "ran").read_text().splitlines()
    assert ran[0].endswith("update -qq") and "install" in ran[1] and "chromium" in ran[1]


def test_a_lock_held_past_the_limit_is_explained(fake_debian):
    run, state = fake_debian
    done = run(locked_calls=1000, wait_s=2)
    assert done.returncode == 1
    assert "still busy after 2s" in done.stderr
    assert "sudo apt-get install" in done.stderr and "make demo" in done.stderr
    assert not (state / "ran").exists()  # nothing was installed


def test_the_readme_names_the_redis_test_variable_and_ci_sets_it():
    root = SCRIPT.parents[1]
    shared_cache_tests = (root / "gongkai/core/tests/test_shared_cache.py").read_text(encoding="utf-8")
    variable = "GONGKAI_TEST_REDIS_URL"
    assert f'os.environ.get("{variable}")' in shared_cache_tests  # what enables those tests
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert variable in readme and "CI sets it" in readme and "GONGKAI_APT_LOCK_WAIT" in readme
    assert f"export {variable}=" in (root / ".ci/run").read_text(encoding="utf-8")
