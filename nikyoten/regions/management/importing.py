"""What the import commands share: the progress bar, the dry-run flag and refusal messages."""

import argparse
import re
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from nikyoten.regions import ksj
from nikyoten.regions.services import ImportReport

STEPS = {
    "read": "読み込み・検証",
    "fetch": "タイルの取得",
    "locate": "市区町村の割り当て",
    "write": "書き込み",
    "recompute": "指標の再計算",
}


def edition(value: str) -> str:
    """An `--edition` value: a year (2020) or a base date (2024-01-01), the forms editions are compared in."""
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?", value):
        raise argparse.ArgumentTypeError("版は 2020 または 2024-01-01 の形で指定してください。")
    return value


def edition_type(value: str) -> str:
    """An `--edition` value: a year (2020) or a base date (2024-01-01), the forms editions are compared in."""
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?", value):
        raise argparse.ArgumentTypeError("版は 2020 または 2024-01-01 の形で指定してください。")
    return value


class ImportCommand(BaseCommand):
    """Run one import: parse, write all or nothing, report; a malformed source changes nothing."""

    steps: tuple[str, ...] = ("read", "locate", "write", "recompute")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="検証と集計だけを行い、何も変更しません。")

    def run_import(
        self, options: dict[str, Any], label: str, work: Callable[[Callable[[str], None]], ImportReport]
    ) -> None:
        bar = tqdm(
            total=len(self.steps),
            desc=label,
            unit="段階",
            disable=options["verbosity"] == 0,
            file=self.stderr._out,
        )

        def progress(step: str) -> None:
            bar.set_postfix_str(STEPS[step])
            bar.update(1)

        try:
            report = work(progress)
        except ksj.ImportFileError as exc:
            raise CommandError(f"{label}: {exc}\n何も変更していません。") from exc
        finally:
            bar.close()
        self.stdout.write(self.style.SUCCESS(report.summary()))
