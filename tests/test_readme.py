"""The README is true to the code: each `zhijiao` command of "For analysts" runs on a refreshed warehouse."""

import re
import shlex

from conftest import REPO

from orchestration.cli import main
from orchestration.warehouse.publication import PUBLISHED_TABLES


def analyst_commands() -> list[list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For analysts"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert all(c[0] == ".venv/bin/zhijiao" for c in commands)
    return [c[1:] for c in commands]


def test_the_readme_analyst_commands_run(refreshed, tmp_path, monkeypatch, capsys):
    assert refreshed["exit_code"] == 0
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "raw").symlink_to(REPO / "raw")  # the commands name files relative to the repository
    commands = analyst_commands()
    assert {c[0] for c in commands} >= {"tables", "describe", "query", "export", "report", "extract"}
    for command in commands:
        assert main(command) == 0, (command, capsys.readouterr().out)
        out = capsys.readouterr().out
        assert "failed" not in out and "Error" not in out, (command, out)
        if command[0] == "query":
            assert re.search(r"^[1-9]\d* row\(s\)", out, re.M), (command, out)  # every query finds rows
    assert len(list((tmp_path / "exports").glob("*.parquet"))) == len(PUBLISHED_TABLES)
    assert (tmp_path / "report.html").exists() and (tmp_path / "facts.csv").exists()


def test_every_command_help_has_a_description_and_an_example(capsys):
    import pytest

    from orchestration.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    assert {"refresh", "tables", "describe", "query", "export", "report", "extract", "ui"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        out = capsys.readouterr().out
        assert commands[name].description and commands[name].description.split()[0] in out
        assert f"examples:\n  zhijiao {name}" in out, out
