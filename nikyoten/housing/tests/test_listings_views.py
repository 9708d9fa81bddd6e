"""Staff listing pages: role × action × organization matrix, isolation from another organization, query counts."""

import io
import shutil
import tempfile
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.housing.choices import ListingStatus
from nikyoten.housing.models import Listing
from nikyoten.housing.tests.factories import ListingFactory
from nikyoten.housing.tests.test_listings_services import image_bytes
from nikyoten.regions.models import Municipality

MISSING_ID = 999_999


def long_ago() -> Any:
    return timezone.now() - timedelta(days=400)


class StaffPagesTestCase(TestCase):
    """四万十町's organization with its staff, and another organization in another municipality (境町)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.organization = OrganizationFactory(code="39412", name="四万十町 にぎわい創出課")
        cls.users = {
            role: MembershipFactory(organization=cls.organization, role=role).user for role in MembershipRole
        }
        cls.other = OrganizationFactory(code="08546", name="境町 まちづくり推進課")
        cls.users["other_editor"] = MembershipFactory(organization=cls.other, role=MembershipRole.EDITOR).user
        cls.users["seeker"] = UserFactory()
        cls.listing = ListingFactory(organization=cls.organization, title="川沿いの平屋")
        cls.stale = ListingFactory(
            organization=cls.organization, title="山あいの古民家", last_confirmed_at=long_ago()
        )
        cls.other_withdrawn = ListingFactory(
            organization=cls.other, title="境町の取下げ物件", status=ListingStatus.WITHDRAWN
        )
        cls.other_stale = ListingFactory(
            organization=cls.other, title="境町の古い物件", last_confirmed_at=long_ago()
        )

    def as_user(self, who: str) -> None:
        if who != "anonymous":
            self.client.force_login(self.users[who])


class RoleActionMatrixTests(StaffPagesTestCase):
    def actions(self) -> dict[str, tuple[str, str, dict[str, Any]]]:
        pk = self.listing.pk
        org = f"?organization={self.organization.pk}"
        return {
            "list": ("get", reverse("housing:listing_manage_list") + org, {}),
            "detail": ("get", reverse("housing:listing_manage_detail", args=[pk]), {}),
            "create": ("get", reverse("housing:listing_create") + org, {}),
            "edit": ("get", reverse("housing:listing_update", args=[pk]), {}),
            "confirm": ("post", reverse("housing:listing_confirm", args=[pk]), {}),
            "status": ("post", reverse("housing:listing_status", args=[pk]), {"status": "negotiating"}),
            "import": ("get", reverse("housing:listing_import") + org, {}),
            "template": ("get", reverse("housing:listing_import_template"), {}),
        }

    # role → the actions that succeed (everything else answers 404, or the login page for anonymous).
    ALLOWED = {
        "admin": {"list", "detail", "create", "edit", "confirm", "status", "import", "template"},
        "editor": {"list", "detail", "create", "edit", "confirm", "status", "import", "template"},
        "viewer": {"list", "detail", "template"},
        "other_editor": {"template"},
        "seeker": set(),
        "anonymous": set(),
    }

    def test_matrix(self) -> None:
        for who, allowed in self.ALLOWED.items():
            for action, (method, url, data) in self.actions().items():
                with self.subTest(who=who, action=action):
                    self.client.logout()
                    self.as_user(who)
                    response = getattr(self.client, method)(url, data)
                    if who == "anonymous":
                        self.assertEqual(response.status_code, 302)
                        self.assertIn(reverse("accounts:login"), response["Location"])
                    elif action in allowed:
                        self.assertIn(response.status_code, (200, 302))
                    else:
                        self.assertEqual(response.status_code, 404)
        self.listing.refresh_from_db()
        self.assertEqual(self.listing.status, "negotiating", "the editors' status change went through")

    def test_missing_and_forbidden_answer_alike(self) -> None:
        self.as_user("editor")
        for url in (
            reverse("housing:listing_manage_detail", args=[MISSING_ID]),
            reverse("housing:listing_manage_detail", args=[self.other_withdrawn.pk]),
            f"{reverse('housing:listing_manage_list')}?organization={self.other.pk}",
            f"{reverse('housing:listing_create')}?organization={self.other.pk}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        response = self.client.post(reverse("housing:listing_confirm", args=[self.other_stale.pk]))
        self.assertEqual(response.status_code, 404)
        self.other_stale.refresh_from_db()
        self.assertLess(self.other_stale.last_confirmed_at, timezone.now() - timedelta(days=300))


class IsolationTests(StaffPagesTestCase):
    def test_another_organizations_listings_never_show(self) -> None:
        for who in ("admin", "editor", "viewer"):
            with self.subTest(who=who):
                self.as_user(who)
                page = self.client.get(reverse("housing:listing_manage_list")).content.decode()
                self.assertIn("川沿いの平屋", page)
                self.assertIn("山あいの古民家", page)
                self.assertNotIn("境町の取下げ物件", page)
                self.assertNotIn("境町の古い物件", page)

    def test_the_other_organization_sees_only_its_own(self) -> None:
        self.as_user("other_editor")
        page = self.client.get(reverse("housing:listing_manage_list")).content.decode()
        self.assertIn("境町の取下げ物件", page)
        self.assertNotIn("川沿いの平屋", page)
        self.assertNotIn("山あいの古民家", page)


class ListPageTests(StaffPagesTestCase):
    def test_to_confirm_list_oldest_first_with_the_one_click_button(self) -> None:
        older = ListingFactory(
            organization=self.organization,
            title="いちばん古い物件",
            last_confirmed_at=long_ago() - timedelta(days=30),
        )
        self.as_user("editor")
        response = self.client.get(reverse("housing:listing_manage_list"))
        to_confirm = list(response.context["to_confirm"])
        self.assertEqual(to_confirm, [older, self.stale])
        page = response.content.decode()
        self.assertIn(reverse("housing:listing_confirm", args=[older.pk]), page)
        self.assertIn("内容を確認しました", page)
        response = self.client.post(
            reverse("housing:listing_confirm", args=[older.pk]),
            {"next": reverse("housing:listing_manage_list")},
        )
        self.assertRedirects(response, reverse("housing:listing_manage_list"), fetch_redirect_response=False)
        self.assertEqual(
            list(self.client.get(reverse("housing:listing_manage_list")).context["to_confirm"]), [self.stale]
        )

    def test_long_lists_are_paged(self) -> None:
        for index in range(50):
            ListingFactory(organization=self.organization, title=f"追加{index}", last_confirmed_at=long_ago())
        self.as_user("viewer")
        url = f"{reverse('housing:listing_manage_list')}?organization={self.organization.pk}"
        response = self.client.get(url)
        self.assertEqual((len(response.context["listings"]), len(response.context["to_confirm"])), (50, 50))
        self.assertContains(response, f"?organization={self.organization.pk}&amp;confirm_page=2")
        second = self.client.get(f"{url}&confirm_page=2").context["to_confirm"]
        self.assertEqual([listing.title for listing in second], ["追加49"])

    def test_confirm_refuses_an_offsite_next(self) -> None:
        self.as_user("editor")
        response = self.client.post(
            reverse("housing:listing_confirm", args=[self.stale.pk]), {"next": "https://evil.example/"}
        )
        self.assertEqual(response["Location"], reverse("housing:listing_manage_detail", args=[self.stale.pk]))

    def test_query_count_does_not_grow_with_listings(self) -> None:
        self.as_user("editor")
        url = reverse("housing:listing_manage_list")
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for index in range(6):
            ListingFactory(organization=self.organization, title=f"追加{index}", last_confirmed_at=long_ago())
        with self.assertNumQueries(len(few)):
            response = self.client.get(url)
        self.assertEqual(len(response.context["listings"]), 8)
        self.assertEqual(len(response.context["to_confirm"]), 7)


class FormPageTests(StaffPagesTestCase):
    def form_data(self, **changes: str) -> dict[str, str]:
        shimanto = Municipality.objects.get(code="39412")
        data = {
            "kind": "akiya_rent",
            "title": "駅に近い二階建て",
            "description": "",
            "rent_yen": "30000",
            "floor_plan": "４ＬＤＫ",
            "year_built": "1978",
            "condition": "unknown",
            "pets": "unknown",
            "internet": "unknown",
            "postal_code": "786-0011",
            "municipality": "39412",
            "address": "高知県四万十町香月が丘",
            "latitude": str(shimanto.inside_lat),
            "longitude": str(shimanto.inside_lng),
        }
        return {**data, **changes}

    def test_create_then_the_detail_page_shows_the_year_in_wareki(self) -> None:
        self.as_user("editor")
        url = f"{reverse('housing:listing_create')}?organization={self.organization.pk}"
        response = self.client.post(url, self.form_data())
        listing = Listing.objects.get(title="駅に近い二階建て")
        self.assertRedirects(response, reverse("housing:listing_manage_detail", args=[listing.pk]))
        self.assertEqual((listing.floor_plan, listing.postal_code), ("4LDK", "7860011"))
        page = self.client.get(reverse("housing:listing_manage_detail", args=[listing.pk])).content.decode()
        self.assertIn("1978年（昭和53年）", page)
        self.assertIn("30,000円", page)

    def test_a_point_outside_is_refused_on_the_field_and_nothing_saved(self) -> None:
        nakatosa = Municipality.objects.get(code="39401")
        self.as_user("editor")
        url = f"{reverse('housing:listing_create')}?organization={self.organization.pk}"
        response = self.client.post(
            url, self.form_data(latitude=str(nakatosa.inside_lat), longitude=str(nakatosa.inside_lng))
        )
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("地図の位置が四万十町ではなく中土佐町にあります。", page)
        self.assertIn('aria-describedby="id_latitude_helptext id_latitude_error"', page)
        self.assertFalse(Listing.objects.filter(title="駅に近い二階建て").exists())

    def test_edit_shows_the_saved_values_and_saves(self) -> None:
        self.as_user("editor")
        url = reverse("housing:listing_update", args=[self.stale.pk])
        self.assertContains(self.client.get(url), "山あいの古民家")
        response = self.client.post(url, self.form_data(title="山あいの古民家（改修済み）"))
        self.assertEqual(response.status_code, 302)
        self.stale.refresh_from_db()
        self.assertEqual(self.stale.title, "山あいの古民家（改修済み）")
        self.assertGreater(self.stale.last_confirmed_at, timezone.now() - timedelta(minutes=1))

    def test_import_page_dry_run_then_apply(self) -> None:
        self.as_user("editor")
        url = f"{reverse('housing:listing_import')}?organization={self.organization.pk}"
        body = (
            "種別,タイトル,市区町村,所在地,賃料（円／月）\r\n賃貸,離れの一室,39412,四万十町,18000\r\n".encode(
                "cp932"
            )
        )
        response = self.client.post(url, {"file": io.BytesIO(body), "dry_run": "1"})
        self.assertContains(response, "1件を登録できます")
        self.assertFalse(Listing.objects.filter(title="離れの一室").exists())
        response = self.client.post(url, {"file": io.BytesIO(body), "apply": "1"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Listing.objects.filter(title="離れの一室", organization=self.organization).exists())

    def test_import_page_lists_bad_rows(self) -> None:
        self.as_user("editor")
        url = f"{reverse('housing:listing_import')}?organization={self.organization.pk}"
        body = "種別,タイトル,市区町村,所在地,賃料（円／月）\r\n賃貸,離れ,39412,四万十町,３万円\r\n".encode()
        response = self.client.post(url, {"file": io.BytesIO(body), "apply": "1"})
        self.assertContains(response, "「３万円」は数値ではありません")
        self.assertFalse(Listing.objects.filter(title="離れ").exists())

    def test_template_csv_has_a_bom_and_the_headers(self) -> None:
        self.as_user("viewer")
        response = self.client.get(reverse("housing:listing_import_template"))
        self.assertTrue(response.content.startswith("\ufeff種別,タイトル,市区町村,所在地".encode()))


class PhotoPageTests(StaffPagesTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.media = tempfile.mkdtemp()
        cls.media_override = override_settings(MEDIA_ROOT=cls.media)
        cls.media_override.enable()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.media_override.disable()
        shutil.rmtree(cls.media, ignore_errors=True)
        super().tearDownClass()

    def upload(self, alt_text: str) -> Any:
        url = reverse("housing:listing_photo_add", args=[self.listing.pk])
        image = SimpleUploadedFile("IMG_0001.jpg", image_bytes((800, 600)), content_type="image/jpeg")
        return self.client.post(url, {"image": image, "alt_text": alt_text})

    def test_upload_move_and_remove(self) -> None:
        self.as_user("editor")
        detail = reverse("housing:listing_manage_detail", args=[self.listing.pk])
        self.assertRedirects(self.upload("南向きの縁側"), detail)
        self.assertRedirects(self.upload("広い土間"), detail)
        first, second = self.listing.photos.all()
        self.assertContains(self.client.get(detail), 'alt="南向きの縁側"')
        self.client.post(
            reverse("housing:listing_photo_move", args=[self.listing.pk, second.pk]), {"direction": "up"}
        )
        self.assertEqual([p.pk for p in self.listing.photos.all()], [second.pk, first.pk])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("housing:listing_photo_remove", args=[self.listing.pk, first.pk]))
        self.assertEqual([p.pk for p in self.listing.photos.all()], [second.pk])

    def test_upload_without_alt_text_is_refused_on_the_field(self) -> None:
        self.as_user("editor")
        response = self.upload("")
        self.assertEqual(response.status_code, 200)
        self.assertIn('aria-describedby="id_alt_text_helptext id_alt_text_error"', response.content.decode())
        self.assertFalse(self.listing.photos.exists())

    def test_viewers_and_other_organizations_cannot_upload(self) -> None:
        for who in ("viewer", "other_editor"):
            with self.subTest(who=who):
                self.client.logout()
                self.as_user(who)
                self.assertEqual(self.upload("縁側").status_code, 404)
        self.assertFalse(self.listing.photos.exists())
