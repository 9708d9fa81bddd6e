"""Fetch a 不動産情報ライブラリ layer over some municipalities (operator's API key) and import it."""

from typing import Any

import pyreinfolib
from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from pyreinfolib import exceptions

from nikyoten.regions import reinfolib
from nikyoten.regions.management.importing import ImportCommand
from nikyoten.regions.services import reinfolib_import


class Command(ImportCommand):
    help = "不動産情報ライブラリ API のタイルを市区町村の区域について取得し、取り込みます（REINFOLIB_API_KEY が必要）。"
    steps = ("fetch", "locate", "write", "recompute")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("api", choices=sorted(reinfolib.LAYERS), help="API（例: XKT010 = 医療機関）")
        parser.add_argument(
            "--municipality", action="append", required=True, help="市区町村コード（繰り返し指定できます）"
        )
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REINFOLIB_API_KEY:
            raise CommandError("REINFOLIB_API_KEY が設定されていません（.env.example を参照）。")
        try:
            with pyreinfolib.Client(api_key=settings.REINFOLIB_API_KEY) as client:
                self.run_import(
                    options,
                    options["api"],
                    lambda progress: reinfolib_import(
                        client=client,
                        api=options["api"],
                        codes=options["municipality"],
                        dry_run=options["dry_run"],
                        progress=progress,
                    ),
                )
        except exceptions.ReinfolibError as exc:
            # Bad key (401), throttling after the client's retries (429), network or server errors.
            raise CommandError(f"不動産情報ライブラリ API: {exc}\n何も変更していません。") from exc
