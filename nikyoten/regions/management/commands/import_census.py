"""Import an e-Stat census table (CSV): population, age groups and households per municipality."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from nikyoten.regions import estat
from nikyoten.regions.management.importing import ImportCommand, edition_type
from nikyoten.regions.services import census_import


class Command(ImportCommand):
    help = "e-Stat の国勢調査の表（CSV）から人口・年齢別人口・世帯数を取り込みます（全件成功か、何も変更しないか）。"
    steps = ("read", "recompute")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="e-Stat からダウンロードした CSV（UTF-8 または Shift_JIS）"
        )
        parser.add_argument(
            "--edition", type=edition_type, help="調査年（例: 2020）。省略すると表の時間軸から読みます。"
        )
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            text = estat.decode(path.read_bytes())
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} を読めません: {exc}\n何も変更していません。") from exc

        def work(progress: Any) -> Any:
            census = estat.parse(text)
            progress("read")
            edition = options["edition"] or census.edition
            if not edition:
                raise CommandError(
                    "調査年が分かりません。--edition で指定してください（例: --edition 2020）。"
                )
            report = census_import(
                census=census, edition=edition, source_name=path.name, dry_run=options["dry_run"]
            )
            progress("recompute")
            return report

        self.run_import(options, path.name, work)
