"""Email each saved search with alerts on the listings new or changed since they were last sent for it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from nikyoten.housing.models import SavedSearch
from nikyoten.housing.services import search


class Command(BaseCommand):
    help = (
        "保存した検索（新着メールあり）ごとに、前回の送信以降に新しく掲載・更新された物件をメールで送ります。"
        "同じ物件の同じ版は一度だけ送ります。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="送らずに、送る予定の件数だけ表示します")

    def handle(self, *args: Any, **options: Any) -> None:
        saved_searches = SavedSearch.objects.filter(alerts_enabled=True).select_related("user").order_by("pk")
        emails = listings = 0
        for saved_search in tqdm(saved_searches, disable=options["verbosity"] < 1, desc="saved searches"):
            if options["dry_run"]:
                found = search.saved_search_due(saved_search=saved_search)
            else:
                found = search.saved_search_alerts_send(saved_search=saved_search)
            emails += bool(found)
            listings += len(found)
        verb = "送信予定" if options["dry_run"] else "送信"
        self.stdout.write(f"{verb}: メール {emails} 通、物件 {listings} 件")
