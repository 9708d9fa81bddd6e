"""Writers for the regions app: the municipality master is loaded here and nowhere else."""

from dataclasses import asdict, dataclass

from django.db import transaction

from nikyoten.core.text import search_key
from nikyoten.regions import reference_data
from nikyoten.regions.models import Municipality, MunicipalityAlias, Prefecture, ReferenceDataLoad

_PREFECTURE_FIELDS = ["lg_code", "name", "short_name", "kana", "name_en", "iso_code", "region_block"]


@dataclass(frozen=True)
class LoadSummary:
    prefectures: int
    municipalities: int
    wards: int
    aliases: int
    created: int
    updated: int
    unchanged: int


def _municipality_values(record: reference_data.MunicipalityRecord) -> dict[str, object]:
    aliases = " ".join(name for name, _kind, _until in record.aliases)
    keys = {
        search_key(text)
        for text in (
            record.name,
            record.kana,
            record.romaji,
            record.name_en,
            aliases,
            record.gun + record.name,
        )
    }
    return {
        "lg_code": record.lg_code,
        "name": record.name,
        "kana": record.kana,
        "romaji": record.romaji,
        "name_en": record.name_en,
        "kind": record.kind,
        "prefecture_id": record.prefecture_code,
        "parent_id": record.parent_code,
        "gun": record.gun,
        "office_lat": record.office_lat,
        "office_lng": record.office_lng,
        "office_outside_territory": record.office_outside_territory,
        "inside_lat": record.inside_lat,
        "inside_lng": record.inside_lng,
        "area_km2": record.area_km2,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
        "search_text": "|".join(sorted(keys)),
    }


@transaction.atomic
def reference_data_load(*, data: reference_data.ReferenceData) -> LoadSummary:
    """Write a validated master: insert what is new, update what changed, leave the rest (idempotent)."""
    created = updated = unchanged = 0

    existing_prefectures = {p.code: p for p in Prefecture.objects.all()}
    for pref_record in data.prefectures:
        pref_values = {k: v for k, v in asdict(pref_record).items() if k in _PREFECTURE_FIELDS}
        prefecture = existing_prefectures.get(pref_record.code)
        if prefecture is None:
            prefecture = Prefecture(code=pref_record.code, **pref_values)
            prefecture.full_clean()
            prefecture.save()
            created += 1
        elif any(getattr(prefecture, k) != v for k, v in pref_values.items()):
            for k, v in pref_values.items():
                setattr(prefecture, k, v)
            prefecture.full_clean()
            prefecture.save()
            updated += 1
        else:
            unchanged += 1

    existing = {m.code: m for m in Municipality.objects.all()}
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    # Parents (政令市) sort before their wards, so a ward's parent row always exists when it is checked.
    for record in sorted(data.municipalities, key=lambda r: (r.parent_code is not None, r.code)):
        values = _municipality_values(record)
        current = existing.get(record.code)
        if current is None:
            to_create.append(Municipality(code=record.code, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
        else:
            unchanged += 1
    Municipality.objects.bulk_create([m for m in to_create if m.parent_id is None])
    Municipality.objects.bulk_create([m for m in to_create if m.parent_id is not None])
    Municipality.objects.bulk_update(
        to_update, list(_municipality_values(data.municipalities[0])), batch_size=500
    )
    created += len(to_create)
    updated += len(to_update)

    wanted = {
        (code, name): (kind, until)
        for code, name, kind, until in reference_data.iter_aliases(data.municipalities)
    }
    have = {(a.municipality_id, a.name): a for a in MunicipalityAlias.objects.all()}
    MunicipalityAlias.objects.filter(pk__in=[a.pk for key, a in have.items() if key not in wanted]).delete()
    MunicipalityAlias.objects.bulk_create(
        [
            MunicipalityAlias(municipality_id=code, name=name, kind=kind, valid_to=until)
            for (code, name), (kind, until) in wanted.items()
            if (code, name) not in have
        ]
    )
    changed_aliases = []
    for key, (kind, until) in wanted.items():
        alias = have.get(key)
        if alias is not None and (alias.kind, alias.valid_to) != (kind, until):
            alias.kind, alias.valid_to = kind, until
            changed_aliases.append(alias)
    MunicipalityAlias.objects.bulk_update(changed_aliases, ["kind", "valid_to"])

    ReferenceDataLoad.objects.create(
        sources=data.sources, created=created, updated=updated, unchanged=unchanged
    )
    return LoadSummary(
        prefectures=Prefecture.objects.count(),
        municipalities=Municipality.objects.municipalities().count(),
        wards=Municipality.objects.wards().count(),
        aliases=MunicipalityAlias.objects.count(),
        created=created,
        updated=updated,
        unchanged=unchanged,
    )
