"""Load the sample content for `make demo`: demo organizations and users (every row flagged sample)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nikyoten.accounts.demo import demo_accounts_seed
from nikyoten.regions.models import Municipality


class Command(BaseCommand):
    help = "デモ用のサンプル組織とユーザー（役割・組織種別ごとに1人）を作成します。何度実行しても同じ結果になります。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="nikyoten-demo", help="デモユーザー共通のパスワード")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Municipality.objects.exists():
            raise CommandError(
                "市区町村マスタが空です。先に `manage.py load_reference_data` を実行してください。"
            )
        logins = demo_accounts_seed(password=options["password"])
        self.stdout.write(
            self.style.SUCCESS(
                f"デモアカウント {len(logins)} 件（パスワードはすべて「{options['password']}」）:"
            )
        )
        for login in logins:
            self.stdout.write(f"  {login.email:<48} {login.description}")
