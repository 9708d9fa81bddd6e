"""Import listings from a CSV file for one organization: a dry run by default, `--apply` writes all or nothing."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.services import listings as services


@dataclass(frozen=True)
class ShellOperator:
    """Whoever runs manage.py on the server holds every right already: a platform admin without an account.

    The audit trail records such runs with no actor, as it does for system jobs.
    """

    is_authenticated: bool = True
    is_active: bool = True
    is_staff: bool = True
    pk: None = None


class Command(BaseCommand):
    help = "物件をCSVから一括登録します。既定は確認だけ（何も書き込みません）。--apply で全行を登録します（1行でも問題があれば1件も登録しません）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="CSVファイル（UTF-8 または Shift_JIS）")
        parser.add_argument("--organization", type=int, required=True, help="掲載する組織の ID")
        parser.add_argument("--apply", action="store_true", help="問題がなければ登録する")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {exc}") from exc
        rows = max(data.count(b"\n") - 1, 0)
        bar = tqdm(
            total=rows * (2 if options["apply"] else 1),
            desc="物件のCSV",
            unit="行",
            disable=options["verbosity"] == 0,
            file=self.stderr._out,
        )
        try:
            report = services.listing_import(
                actor=ShellOperator(),
                organization_id=options["organization"],
                data=data,
                apply=options["apply"],
                progress=bar.update,
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message}\n何も登録していません。") from exc
        finally:
            bar.close()
        if report.errors:
            for error in report.errors:
                self.stdout.write(f"{error.line}行目\t{error.column or '—'}\t{error.message}")
            raise CommandError(f"{len(report.errors):,} 件の問題があります。何も登録していません。")
        if options["apply"]:
            self.stdout.write(self.style.SUCCESS(f"{report.created:,} 件の物件を登録しました。"))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"問題はありません。{report.rows:,} 件を登録できます（--apply で登録します）。"
                )
            )
