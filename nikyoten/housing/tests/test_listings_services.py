"""Listing services: every rule of create and edit (with its refusal), confirm, status, photos, audit."""

import io
import os
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone
from PIL import Image

from nikyoten.accounts.choices import AuditAction, MembershipRole, OrganizationKind
from nikyoten.accounts.models import AuditEvent
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.housing.choices import ListingKind, ListingStatus
from nikyoten.housing.models import Listing, ListingPhoto
from nikyoten.housing.services import listings as services
from nikyoten.housing.services.listings import ListingInput, ListingRefused
from nikyoten.housing.tests.factories import ListingFactory
from nikyoten.regions.models import Municipality, Prefecture

SHIMANTO, NAKATOSA, SAKAI = "39412", "39401", "08546"


def staff(organization: Any, role: str = MembershipRole.EDITOR) -> Any:
    return MembershipFactory(organization=organization, role=role).user


class ListingServiceTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.shimanto = Municipality.objects.get(code=SHIMANTO)
        cls.nakatosa = Municipality.objects.get(code=NAKATOSA)
        cls.sakai = Municipality.objects.get(code=SAKAI)
        cls.organization = OrganizationFactory(code=SHIMANTO, name="四万十町 にぎわい創出課")
        cls.editor = staff(cls.organization)
        cls.viewer = staff(cls.organization, MembershipRole.VIEWER)
        cls.other = OrganizationFactory(code=SAKAI, name="境町")
        cls.other_editor = staff(cls.other)

    def data(self, **changes: Any) -> ListingInput:
        values: dict[str, Any] = {
            "municipality": self.shimanto,
            "kind": ListingKind.AKIYA_RENT,
            "title": "川沿いの平屋",
            "address": "高知県高岡郡四万十町藤ノ川",
            "rent_yen": 25000,
            "latitude": self.shimanto.inside_lat,
            "longitude": self.shimanto.inside_lng,
        }
        return ListingInput(**{**values, **changes})

    def refused(self, **changes: Any) -> ListingRefused:
        before = Listing.objects.count()
        with self.assertRaises(ListingRefused) as caught:
            services.listing_create(
                actor=self.editor, organization_id=self.organization.pk, data=self.data(**changes)
            )
        self.assertEqual(Listing.objects.count(), before, "nothing is saved when a rule refuses")
        return caught.exception


class ListingCreateTests(ListingServiceTestCase):
    def test_creates_with_prefecture_search_text_freshness_and_audit(self) -> None:
        listing = services.listing_create(
            actor=self.editor,
            organization_id=self.organization.pk,
            data=self.data(postal_code="７８６－０００１"),
        )
        self.assertEqual(listing.prefecture_id, "39")
        self.assertEqual(listing.postal_code, "7860001")
        self.assertIn("しまんとちょう", listing.search_text)
        self.assertIn("川沿いの平屋", listing.search_text)
        self.assertLess(timezone.now() - listing.last_confirmed_at, timedelta(minutes=1))
        event = AuditEvent.objects.get(entity="listing", entity_id=str(listing.pk))
        self.assertEqual((event.action, event.actor), (AuditAction.CREATE, self.editor))

    def test_viewers_and_other_organizations_cannot_create(self) -> None:
        for actor in (self.viewer, self.other_editor, UserFactory()):
            with self.subTest(actor=actor), self.assertRaises(NotFound):
                services.listing_create(actor=actor, organization_id=self.organization.pk, data=self.data())
        self.assertFalse(Listing.objects.exists())

    def test_municipal_organization_publishes_in_its_municipality_only(self) -> None:
        error = self.refused(
            municipality=self.nakatosa, latitude=self.nakatosa.inside_lat, longitude=self.nakatosa.inside_lng
        )
        self.assertIn("中土佐町は対象外", error.message)
        self.assertIn("municipality", error.fields)

    def test_prefecture_wide_body_publishes_anywhere_in_its_prefecture(self) -> None:
        kochi = OrganizationFactory(
            kind=OrganizationKind.PREFECTURE, municipality=None, prefecture=Prefecture.objects.get(code="39")
        )
        editor = staff(kochi)
        nakatosa = self.data(
            municipality=self.nakatosa, latitude=self.nakatosa.inside_lat, longitude=self.nakatosa.inside_lng
        )
        listing = services.listing_create(actor=editor, organization_id=kochi.pk, data=nakatosa)
        self.assertEqual(listing.municipality_id, NAKATOSA)
        sakai = self.data(
            municipality=self.sakai, latitude=self.sakai.inside_lat, longitude=self.sakai.inside_lng
        )
        with self.assertRaises(ListingRefused) as caught:
            services.listing_create(actor=editor, organization_id=kochi.pk, data=sakai)
        self.assertIn("自分の都道府県", caught.exception.message)

    def test_point_outside_the_municipality_names_where_it_fell(self) -> None:
        error = self.refused(latitude=self.nakatosa.inside_lat, longitude=self.nakatosa.inside_lng)
        self.assertEqual(error.message, "地図の位置が四万十町ではなく中土佐町にあります。")
        self.assertEqual(error.fields["latitude"], [error.message])

    def test_point_at_sea_is_outside_every_municipality(self) -> None:
        error = self.refused(latitude=30.0, longitude=135.0)
        self.assertEqual(error.message, "地図の位置が日本の市区町村の外です。")

    def test_point_needs_both_coordinates(self) -> None:
        self.assertEqual(self.refused(longitude=None).message, "緯度と経度は両方入力してください。")

    def test_a_listing_without_a_point_is_accepted(self) -> None:
        listing = services.listing_create(
            actor=self.editor,
            organization_id=self.organization.pk,
            data=self.data(latitude=None, longitude=None),
        )
        self.assertIsNone(listing.latitude)

    def test_postal_code_must_exist_and_belong_to_the_municipality(self) -> None:
        self.assertEqual(self.refused(postal_code="1234567").message, "郵便番号1234567は見つかりません。")
        self.assertEqual(
            self.refused(postal_code="789-1301").message,
            "郵便番号7891301は四万十町の郵便番号ではありません。",
        )

    def test_sale_kinds_need_a_price_and_no_rent(self) -> None:
        self.assertIn("sale_price_yen", self.refused(kind=ListingKind.AKIYA_SALE).fields)
        error = self.refused(kind=ListingKind.AKIYA_SALE, sale_price_yen=3_000_000)
        self.assertEqual(error.message, "売買の物件に賃料は入力できません。")
        listing = services.listing_create(
            actor=self.editor,
            organization_id=self.organization.pk,
            data=self.data(kind=ListingKind.AKIYA_SALE, sale_price_yen=3_000_000, rent_yen=None),
        )
        self.assertEqual(listing.sale_price_yen, 3_000_000)

    def test_rent_kinds_need_a_rent_and_no_price(self) -> None:
        self.assertEqual(self.refused(rent_yen=None).message, "賃貸の物件には月額の賃料を入力してください。")
        trial_stay = services.listing_create(
            actor=self.editor,
            organization_id=self.organization.pk,
            data=self.data(kind=ListingKind.TRIAL_STAY, rent_yen=None),  # priced per night by its unit
        )
        self.assertIsNone(trial_stay.rent_yen)
        self.assertIn("sale_price_yen", self.refused(sale_price_yen=1_000_000).fields)

    def test_master_lease_terms_only_for_sublease_kinds(self) -> None:
        error = self.refused(max_term_months=24)
        self.assertIn("移住支援住宅と中間管理住宅にだけ", error.message)
        listing = services.listing_create(
            actor=self.editor,
            organization_id=self.organization.pk,
            data=self.data(
                kind=ListingKind.SUBLEASE,
                max_term_months=144,
                master_lease_start=date(2025, 4, 1),
                master_lease_end=date(2037, 3, 31),
                master_lease_terms="町が所有者から12年間借り上げ、改修して転貸する。",
            ),
        )
        self.assertEqual(listing.max_term_months, 144)

    def test_master_lease_must_end_after_it_starts(self) -> None:
        error = self.refused(
            kind=ListingKind.RELOCATION_SUPPORT,
            master_lease_start=date(2025, 4, 1),
            master_lease_end=date(2025, 4, 1),
        )
        self.assertEqual(error.fields, {"master_lease_end": ["借上げ終了日は開始日より後にしてください。"]})

    def test_year_built_within_range(self) -> None:
        self.assertIn("year_built", self.refused(year_built=1867).fields)
        self.assertIn("year_built", self.refused(year_built=timezone.localdate().year + 2).fields)

    def test_model_validation_refuses_a_bad_floor_plan(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.listing_create(
                actor=self.editor, organization_id=self.organization.pk, data=self.data(floor_plan="広い")
            )
        self.assertIn("floor_plan", caught.exception.message_dict)
        self.assertFalse(Listing.objects.exists())


class ListingChangeTests(ListingServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.listing = ListingFactory(
            organization=cls.organization, last_confirmed_at=timezone.now() - timedelta(days=200)
        )

    def test_update_changes_the_facts_and_confirms_them(self) -> None:
        listing = services.listing_update(
            actor=self.editor,
            listing_id=self.listing.pk,
            data=self.data(title="改修済みの平屋", rent_yen=30000),
        )
        self.assertEqual((listing.title, listing.rent_yen), ("改修済みの平屋", 30000))
        self.assertIn("改修済みの平屋", listing.search_text)
        self.assertLess(timezone.now() - listing.last_confirmed_at, timedelta(minutes=1))
        event = AuditEvent.objects.get(entity="listing", entity_id=str(listing.pk))
        self.assertIn("title", event.changes["fields"])

    def test_update_keeps_the_rules(self) -> None:
        with self.assertRaises(ListingRefused):
            services.listing_update(
                actor=self.editor, listing_id=self.listing.pk, data=self.data(rent_yen=None)
            )
        self.listing.refresh_from_db()
        self.assertEqual(self.listing.rent_yen, 30000)

    def test_other_organizations_and_viewers_cannot_edit(self) -> None:
        for actor in (self.other_editor, self.viewer):
            for call in (
                lambda a: services.listing_update(actor=a, listing_id=self.listing.pk, data=self.data()),
                lambda a: services.listing_confirm(actor=a, listing_id=self.listing.pk),
                lambda a: services.listing_set_status(
                    actor=a, listing_id=self.listing.pk, status=ListingStatus.WITHDRAWN
                ),
            ):
                with self.subTest(actor=actor), self.assertRaises(NotFound):
                    call(actor)

    def test_confirm_freshens_without_counting_as_a_change(self) -> None:
        updated_at = self.listing.updated_at
        listing = services.listing_confirm(actor=self.editor, listing_id=self.listing.pk)
        listing.refresh_from_db()
        self.assertLess(timezone.now() - listing.last_confirmed_at, timedelta(minutes=1))
        self.assertEqual(listing.updated_at, updated_at)
        self.assertEqual(AuditEvent.objects.get(entity="listing").changes, {"confirmed": True})

    def test_set_status(self) -> None:
        listing = services.listing_set_status(
            actor=self.editor, listing_id=self.listing.pk, status=ListingStatus.WITHDRAWN
        )
        self.assertEqual(listing.status, ListingStatus.WITHDRAWN)
        self.assertEqual(AuditEvent.objects.get(entity="listing").changes, {"status": ["open", "withdrawn"]})
        with self.assertRaises(ApplicationError):
            services.listing_set_status(actor=self.editor, listing_id=self.listing.pk, status="sold")


def image_bytes(
    size: tuple[int, int] = (3000, 2000), *, orientation: int | None = None, fmt: str = "JPEG"
) -> bytes:
    """A photo as a phone writes it: EXIF with the camera, the GPS position and (optionally) the orientation."""
    image = Image.new("RGB", size, "red")
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1] // 10))  # a blue band along the top edge
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (33.0, 12.0, 30.0), 3: "E", 4: (133.0, 8.0, 0.0)})
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


class ListingPhotoTests(ListingServiceTestCase):
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

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.listing = ListingFactory(organization=cls.organization)

    def add(
        self, data: bytes | None = None, alt_text: str = "南向きの縁側", actor: Any = None
    ) -> ListingPhoto:
        return services.listing_photo_add(
            actor=actor or self.editor,
            listing_id=self.listing.pk,
            data=data or image_bytes(),
            alt_text=alt_text,
        )

    def test_upright_resized_jpeg_without_metadata(self) -> None:
        photo = self.add(image_bytes(orientation=6))
        with Image.open(photo.image.path) as stored:
            self.assertEqual(stored.format, "JPEG")
            self.assertEqual(
                stored.size, (1067, 1600), "turned upright (portrait), then 1600 px on the long side"
            )
            self.assertEqual(len(stored.getexif()), 0, "no EXIF: no GPS, no camera")
            self.assertNotIn("exif", stored.info)
            # The blue band along the original top edge is now along the right edge.
            self.assertGreater(stored.getpixel((1060, 10))[2], 200)
        self.assertNotIn(b"PhoneMaker", Path(photo.image.path).read_bytes())

    def test_small_png_with_transparency_is_kept_small_and_flattened(self) -> None:
        image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
        out = io.BytesIO()
        image.save(out, "PNG")
        photo = self.add(out.getvalue())
        with Image.open(photo.image.path) as stored:
            self.assertEqual((stored.size, stored.mode), ((400, 300), "RGB"))
            self.assertEqual(stored.getpixel((10, 10)), (255, 255, 255))

    def test_alt_text_is_required(self) -> None:
        with self.assertRaises(ApplicationError) as caught:
            self.add(alt_text="  ")
        self.assertIn("alt_text", caught.exception.fields)
        self.assertFalse(ListingPhoto.objects.exists())

    def test_a_file_that_is_not_an_image_is_refused(self) -> None:
        with self.assertRaises(ApplicationError) as caught:
            self.add(b"%PDF-1.4 not an image")
        self.assertIn("image", caught.exception.fields)
        self.assertFalse(ListingPhoto.objects.exists())

    def test_photos_are_added_at_the_end_reordered_and_removed(self) -> None:
        first, second, third = self.add(), self.add(), self.add()
        self.assertEqual([first.position, second.position, third.position], [0, 1, 2])
        services.listing_photo_reorder(
            actor=self.editor, listing_id=self.listing.pk, photo_ids=[third.pk, first.pk, second.pk]
        )
        self.assertEqual(
            list(self.listing.photos.values_list("pk", flat=True)), [third.pk, first.pk, second.pk]
        )
        with self.assertRaises(ApplicationError):
            services.listing_photo_reorder(
                actor=self.editor, listing_id=self.listing.pk, photo_ids=[third.pk]
            )
        path = first.image.path
        with self.captureOnCommitCallbacks(execute=True):
            services.listing_photo_remove(actor=self.editor, photo_id=first.pk)
        self.assertFalse(ListingPhoto.objects.filter(pk=first.pk).exists())
        self.assertFalse(os.path.exists(path), "the file goes with the photo")

    def test_other_organizations_cannot_touch_photos(self) -> None:
        photo = self.add()
        with self.assertRaises(NotFound):
            self.add(actor=self.other_editor)
        with self.assertRaises(NotFound):
            services.listing_photo_remove(actor=self.other_editor, photo_id=photo.pk)
        with self.assertRaises(NotFound):
            services.listing_photo_reorder(
                actor=self.viewer, listing_id=self.listing.pk, photo_ids=[photo.pk]
            )
        self.assertEqual(ListingPhoto.objects.count(), 1)
