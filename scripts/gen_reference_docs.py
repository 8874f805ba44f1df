"""Regenerate the reference pages under docs/reference/ from the code itself.

    python scripts/gen_reference_docs.py

- `cli.md`: every `stdhub` command's `--help`;
- `problem-codes.md`: the problem-code catalogue (`stdhub codes --markdown`);
- `mistakes.md`: the mistakes staff make most, with the message each gives (`stdhub.mistakes`).
Tests fail when either page is out of date, so the docs cannot drift.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from stdhub import mistakes
from stdhub.cli import cli

DOCS = Path(__file__).resolve().parent.parent / "docs" / "reference"

STAFF = """---
search:
  exclude: true  # staff documentation: not in the public search
---

"""

CLI_INTRO = (
    STAFF
    + """# 命令行参考 (CLI reference)

本页由 `python scripts/gen_reference_docs.py` 根据各命令的 `--help` 自动生成，请勿手工编辑。
This page is generated from each command's `--help`; do not edit it by hand.

退出码 exit codes: `0` 成功 success · `1` 发现问题或构建失败 problems found / build failed · `2` 用法错误 usage error.
"""
)

CODES_INTRO = (
    STAFF
    + """# 问题代码 (problem codes)

`stdhub validate` 报告的每个问题都有一个稳定的代码，格式为
`文件:行:列: 代码 $.字段路径: 说明 (如何处理)`。错误（error）使退出码为 1，警告（warning）不影响退出码。
每个代码在 `tests/cases/<代码>/`（数据集代码在 `tests/datasets/`）中都有示例和预期输出。

本页由 `python scripts/gen_reference_docs.py` 生成，请勿手工编辑。

"""
)


MISTAKES_INTRO = (
    STAFF
    + """# 常见错误 (common mistakes)

编辑标准 YAML 时最常见的错误，每一条都给出 `stdhub validate` 对它的实际报告和改正后的写法。
报告的格式是 `文件:行:列: 代码 $.字段: 说明 (如何处理)`；提示中“把 `A` 改为 `B`”可以照原样替换。
每个代码的含义见[问题代码](problem-codes.md)。

本页由 `python scripts/gen_reference_docs.py` 用真实的检查生成，请勿手工编辑。

"""
)


def help_text(*args: str) -> str:
    return CliRunner().invoke(cli, [*args, "--help"], prog_name="stdhub").output


def cli_page() -> str:
    parts = [CLI_INTRO, "## stdhub\n", "```text\n" + help_text() + "```\n"]
    for name in sorted(cli.commands):
        parts.append(f"## stdhub {name}\n")
        parts.append("```text\n" + help_text(name) + "```\n")
    return "\n".join(parts)


def codes_page() -> str:
    return CODES_INTRO + CliRunner().invoke(cli, ["codes", "--markdown"]).output


def mistakes_page() -> str:
    return MISTAKES_INTRO + mistakes.as_markdown()


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    (DOCS / "cli.md").write_text(cli_page(), encoding="utf-8")
    (DOCS / "problem-codes.md").write_text(codes_page(), encoding="utf-8")
    (DOCS / "mistakes.md").write_text(mistakes_page(), encoding="utf-8")
    print(f"wrote cli.md, problem-codes.md and mistakes.md in {DOCS}")


if __name__ == "__main__":
    main()
