"""Load the sample content for `make demo`: each app's demo seeder in turn (settings.NIKYOTEN_DEMO_SEEDERS)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from nikyoten.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "デモ用のサンプル（組織とユーザー、支援制度など）と、シードの実在の事例を読み込みます。"
        "サンプルはすべてサンプルと表示されます。何度実行しても同じ結果になります。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="nikyoten-demo", help="デモユーザー共通のパスワード")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in settings.NIKYOTEN_DEMO_SEEDERS:
            try:
                lines = import_string(path)(password=options["password"])
            except ApplicationError as exc:
                raise CommandError(f"{exc.message}\n（{path} で停止しました）") from exc
            for line in lines:
                self.stdout.write(line)
