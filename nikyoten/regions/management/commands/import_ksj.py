"""Import a 国土数値情報 GeoJSON file (P04, P29, P14, N02, S12, P20, A31a, A33, A40, N03) and recompute the facts."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from nikyoten.regions import ksj
from nikyoten.regions.management.importing import ImportCommand, edition_type
from nikyoten.regions.services import ksj_import

DATASETS = sorted(set(ksj.READERS) - {"XGT001"})  # 指定緊急避難場所 comes through import_reinfolib


class Command(ImportCommand):
    help = "国土数値情報の GeoJSON を取り込み、暮らしの環境の指標を再計算します（全件成功か、何も変更しないか）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=DATASETS, help="データセット（例: P04）")
        parser.add_argument("path", type=Path, help="GeoJSON ファイル（zip の中の UTF-8 の .geojson）")
        parser.add_argument(
            "--edition",
            type=edition_type,
            help="版（例: 2020、2024-01-01）。省略するとファイル名から読みます。",
        )
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        dataset: str = options["dataset"]
        name = ksj.source_name(path.name)
        if name is not None and name.dataset != dataset:
            raise CommandError(f"{path.name} は {name.dataset} のファイルです（{dataset} を指定しました）。")
        edition = options["edition"] or (name.edition if name else None)
        if not edition:
            raise CommandError("版が分かりません。--edition で指定してください（例: --edition 2020）。")
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(f"{path} を読めません: {exc}\n何も変更していません。") from exc

        def work(progress: Any) -> Any:
            parsed = ksj.parse(dataset, data)
            progress("read")
            return ksj_import(
                parsed=parsed,
                edition=edition,
                source_name=path.name,
                prefectures=name.prefectures if name else (),
                dry_run=options["dry_run"],
                progress=progress,
            )

        self.run_import(options, path.name, work)
