"""docs/operations.md lists every environment variable the settings read, as generated."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("env_table", ROOT / "scripts" / "env_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["env_table"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


env_table: Any = _script()


def test_the_guide_s_table_is_the_generated_one() -> None:
    document = (ROOT / "docs" / "operations.md").read_text()
    assert env_table.section(document) == env_table.render(env_table.collect()), (
        "docs/operations.md is out of date with settings.py: run "
        "`python scripts/env_table.py --write`"
    )


def test_every_variable_read_in_settings_is_in_the_table() -> None:
    source = (ROOT / "src/tangerine/config/settings.py").read_text()
    read = set(re.findall(r"env_[a-z_]+\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    listed = {v.name for v in env_table.collect()}
    assert read == listed
    assert {"DATABASE_URL", "CHANNEL_LAYER_URL", "MILVUS_URI", "SECRET_KEY"} <= listed


def test_a_new_variable_and_its_comment_appear_in_the_table() -> None:
    source = (
        "X = 1\n"
        "# WIDGET_LIMIT: how many widgets one user may keep.\n"
        "# More text on the next line.\n"
        'WIDGET_LIMIT = env_int("WIDGET_LIMIT", 12, minimum=1)\n'
        "# A / B_TIMEOUT: shared text.\n"
        'A = env_float("A", 1.5)\n'
        'B = env_float("B_TIMEOUT", 2.0)\n'
        'KEY = env_str("KEY")\n'
        'OPT = env_optional("OPT")\n'
        'FLAG = env_bool("FLAG", default=DEBUG)  # fmt: skip\n'
    )
    table = env_table.render(env_table.collect(source))
    assert (
        "| `WIDGET_LIMIT` | integer | `12` | how many widgets one user may keep. "
        "More text on the next line. |"
    ) in table
    assert "| `B_TIMEOUT` | number | `2.0` | shared text. |" in table
    assert "| `KEY` | string | required in production |" in table
    assert "| `OPT` | string | unset |" in table
    assert f"| `FLAG` | boolean | `DEBUG` | {env_table.UNDOCUMENTED} |" in table


def test_check_fails_on_a_stale_guide(tmp_path: Path) -> None:
    document = (ROOT / "docs" / "operations.md").read_text()
    stale = env_table.replace(document, "| Variable |\n")
    assert env_table.section(stale) != env_table.render(env_table.collect())
    guide = tmp_path / "operations.md"
    guide.write_text(stale)
    env_table.GUIDE = guide
    try:
        assert env_table.main(["--check"]) == 1
        assert env_table.main(["--write"]) == 0
        assert env_table.main(["--check"]) == 0
    finally:
        env_table.GUIDE = ROOT / "docs" / "operations.md"
