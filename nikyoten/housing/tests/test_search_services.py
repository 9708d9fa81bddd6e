"""Saved searches (create, rename, delete, the limit, the audit trail) and the alerts sent once per version."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.http import QueryDict
from django.test import TestCase
from django.utils import timezone

from nikyoten.accounts.models import AuditEvent
from nikyoten.accounts.tests.factories import OrganizationFactory, UserFactory
from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.choices import ListingStatus
from nikyoten.housing.models import Listing, SavedSearch, SavedSearchAlert
from nikyoten.housing.selectors.search import ListingSearchInvalid
from nikyoten.housing.services import search as services
from nikyoten.housing.tests.factories import SavedSearchFactory, SearchableListingFactory


class SavedSearchServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.seeker = UserFactory()

    def test_create_keeps_the_search_parameters_only_in_a_stable_order(self) -> None:
        saved = services.saved_search_create(
            user=self.seeker,
            name=" 高知の空き家 ",
            params=QueryDict("prefecture=39&page=2&kind=akiya_sale&kind=akiya_rent&view=map&q="),
        )
        self.assertEqual(saved.name, "高知の空き家")
        self.assertEqual(saved.query, "kind=akiya_rent&kind=akiya_sale&prefecture=39")
        event = AuditEvent.objects.get(entity="saved_search", entity_id=str(saved.pk))
        self.assertEqual((event.action, event.actor), ("create", self.seeker))

    def test_unreadable_search_is_refused(self) -> None:
        with self.assertRaises(ListingSearchInvalid):
            services.saved_search_create(user=self.seeker, name="x", params=QueryDict("bbox=9,9,1,1"))
        self.assertFalse(SavedSearch.objects.exists())

    def test_blank_name_is_refused(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.saved_search_create(user=self.seeker, name="  ", params=QueryDict("q=家"))

    def test_limit_per_person(self) -> None:
        for n in range(services.MAX_SAVED_SEARCHES):
            services.saved_search_create(user=self.seeker, name=f"検索{n}", params=QueryDict("q=家"))
        with self.assertRaises(services.SavedSearchLimitReached):
            services.saved_search_create(user=self.seeker, name="もう一つ", params=QueryDict("q=家"))
        # someone else is not held back by another's searches
        services.saved_search_create(user=UserFactory(), name="別の人", params=QueryDict("q=家"))

    def test_search_without_conditions_is_refused(self) -> None:
        with self.assertRaises(ApplicationError) as caught:
            services.saved_search_create(user=self.seeker, name="全部", params=QueryDict("page=2"))
        self.assertIn("query", caught.exception.fields)

    def test_update_and_delete_are_audited(self) -> None:
        saved = SavedSearchFactory(user=self.seeker)
        services.saved_search_update(actor=self.seeker, saved_search=saved, name="改名", alerts_enabled=False)
        saved.refresh_from_db()
        self.assertEqual((saved.name, saved.alerts_enabled), ("改名", False))
        pk = saved.pk
        services.saved_search_delete(actor=self.seeker, saved_search=saved)
        self.assertFalse(SavedSearch.objects.filter(pk=pk).exists())
        actions = list(AuditEvent.objects.filter(entity_id=str(pk)).values_list("action", flat=True))
        self.assertEqual(sorted(actions), ["delete", "update"])


class AlertTests(TestCase):
    """A seeker saved 「高知県の賃貸」 a day ago; listings appear and change after that."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.organization = OrganizationFactory(code="39412")
        cls.seeker = UserFactory(email="seeker@example.jp")
        cls.saved = SavedSearchFactory(
            user=cls.seeker, name="高知の賃貸", query="prefecture=39&kind=akiya_rent"
        )
        SavedSearch.objects.filter(pk=cls.saved.pk).update(created_at=timezone.now() - timedelta(days=1))
        cls.old = SearchableListingFactory(organization=cls.organization, title="保存前からある家")
        Listing.objects.filter(pk=cls.old.pk).update(updated_at=timezone.now() - timedelta(days=2))
        cls.new = SearchableListingFactory(organization=cls.organization, title="新着の家")
        cls.elsewhere = SearchableListingFactory(
            organization=OrganizationFactory(code="21217"), title="飛騨の家"
        )
        cls.withdrawn = SearchableListingFactory(
            organization=cls.organization, title="取下げの家", status=ListingStatus.WITHDRAWN
        )

    def run_command(self, *args: str) -> str:
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_listing_alerts", *args, stdout=out, verbosity=0)
        return out.getvalue()

    def test_sends_new_matches_once(self) -> None:
        self.assertIn("メール 1 通、物件 1 件", self.run_command())
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["seeker@example.jp"])
        self.assertIn("高知の賃貸", message.subject)
        self.assertIn("新着の家", message.body)
        self.assertIn(f"/housing/listings/{self.new.pk}/", message.body)
        for absent in ("保存前からある家", "飛騨の家", "取下げの家"):
            self.assertNotIn(absent, message.body)

        self.assertIn("メール 0 通、物件 0 件", self.run_command())
        self.assertEqual(len(mail.outbox), 1)

    def test_a_changed_listing_is_sent_once_more(self) -> None:
        self.run_command()
        self.new.title = "新着の家（値下げ）"
        self.new.save()
        self.run_command()
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("新着の家（値下げ）", mail.outbox[1].body)
        self.assertEqual(
            SavedSearchAlert.objects.get(listing=self.new).listing_updated_at, self.new.updated_at
        )
        self.run_command()
        self.assertEqual(len(mail.outbox), 2)

    def test_dry_run_sends_and_records_nothing(self) -> None:
        self.assertIn("送信予定: メール 1 通、物件 1 件", self.run_command("--dry-run"))
        self.assertEqual(len(mail.outbox), 0)
        self.assertFalse(SavedSearchAlert.objects.exists())

    def test_searches_with_alerts_off_get_nothing(self) -> None:
        SavedSearch.objects.filter(pk=self.saved.pk).update(alerts_enabled=False)
        self.run_command()
        self.assertEqual(len(mail.outbox), 0)
